"""Eleventh session: each of fresh sets 1-11 held out in turn and scored by an English section
fitted on the calibration sets, the other ten fresh sets and any EXTRA evidence sets (such as
cal3-en), target FPR 5 %; pooled errors and a breakdown by fraud_type / benign category.
Usage: python loso11.py [EXTRA ...]   (SG_LIBRARY / SG_EVIDENCE select a candidate library;
SG_LAST_SET=13 holds out sets 1-13 instead, SG_TARGET=0.045 fits at another target FPR)"""
import collections
import os
import sys
sys.path.insert(0, ".")
from common import CALIBRATION_SETS, confusion, ev, fit_default, run, with_english_section
from scamguard.evaluation.metrics import Confusion

HELD = ["test-en"] + [f"test{i}-en" for i in range(2, int(os.environ.get("SG_LAST_SET", 11)) + 1)]
TARGET = float(os.environ.get("SG_TARGET", 0.05))


def kind_of(call) -> str:
    if call.get("fraud_type"):
        return call["fraud_type"]
    return "hard negative" if (call.get("notes") or "").startswith("hard negative") else "everyday"


if __name__ == "__main__":
    extra = sys.argv[1:]
    total, by = Confusion(), collections.defaultdict(lambda: [0, 0])  # kind -> [alerted, calls]
    for h in HELD:
        sec = fit_default([e for c in CALIBRATION_SETS + extra + [s for s in HELD if s != h] for e in ev(c)], TARGET)
        res = run(with_english_section(sec), ev(h))
        cm = confusion(res)
        for f in ("tp", "fp", "tn", "fn"):
            setattr(total, f, getattr(total, f) + getattr(cm, f))
        for e, r in zip(ev(h), res):
            by[kind_of(e.call)][0] += int(r[3])
            by[kind_of(e.call)][1] += 1
        print(h, cm.tp, cm.fn, cm.fp, cm.tn, flush=True)
    for kind, (alerted, n) in sorted(by.items()):
        print(f"  {kind:28s} alerted {alerted}/{n}")
    print(f"extra={extra} target={TARGET} recall {total.tp}/{total.tp + total.fn}={total.recall:.3f} "
          f"fpr {total.fp}/{total.fp + total.tn}={total.fpr:.3f} errors {total.fn + total.fp}", flush=True)
