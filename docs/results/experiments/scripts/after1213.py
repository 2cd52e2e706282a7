"""Eleventh session, after sets 12 and 13 were measured: what a recipe fitted on every seen call
would have scored on them (scratch fit, same as `scamguard calibrate`). Not a judged figure.
Usage: python after1213.py [EXTRA ...]   (R3: SG_LIBRARY=... SG_EVIDENCE=... python after1213.py cal3-en)"""
import sys
sys.path.insert(0, ".")
from common import CALIBRATION_SETS, auc, confusion, ev, fit_default, run, with_english_section
from loso11 import HELD, kind_of

if __name__ == "__main__":
    extra = sys.argv[1:]
    sec = fit_default([e for c in CALIBRATION_SETS + extra + HELD for e in ev(c)], 0.05)
    strategy = with_english_section(sec)
    for sets in (["test12-en"], ["test13-en"], ["test12-en", "test13-en"]):
        calls = [e for s in sets for e in ev(s)]
        res = run(strategy, calls)
        cm = confusion(res)
        print(f"{extra} {'+'.join(sets)} recall {cm.tp}/{cm.tp + cm.fn}={cm.recall:.3f} "
              f"fpr {cm.fp}/{cm.fp + cm.tn}={cm.fpr:.3f} auc {auc(res):.3f}", flush=True)
    for e, r in zip(calls, res):
        if r[1] != r[3]:
            print("  error:", e.call["id"], kind_of(e.call), "alerted" if r[3] else "missed")
