"""Learning curve of the English section (tenth session): each fresh set 1-9 held out in turn,
scored by a section fitted on the calibration sets plus K of the other eight fresh sets (a
seeded draw per held-out set), plus any EXTRA evidence sets. Target FPR 5 %.
Usage: PYTHONHASHSEED=0 python lc.py K [EXTRA ...]   (K = 8 is leave_one_set_out)"""
import random
import sys
sys.path.insert(0, ".")
from common import CALIBRATION_SETS, confusion, ev, fit_default, run, with_english_section
from scamguard.evaluation.metrics import Confusion

HELD = ["test-en"] + [f"test{i}-en" for i in range(2, 10)]

if __name__ == "__main__":
    k, extra = int(sys.argv[1]), sys.argv[2:]
    total = Confusion()
    for h in HELD:
        others = [s for s in HELD if s != h]
        random.Random(hash(h) % 1000 + k).shuffle(others)  # PYTHONHASHSEED=0 fixes the draw
        sec = fit_default([e for c in CALIBRATION_SETS + extra + others[:k] for e in ev(c)], 0.05)
        cm = confusion(run(with_english_section(sec), ev(h)))
        for f in ("tp", "fp", "tn", "fn"):
            setattr(total, f, getattr(total, f) + getattr(cm, f))
        print(k, h, cm.tp, cm.fn, cm.fp, cm.tn, flush=True)
    print(f"K={k} extra={extra} recall {total.tp}/{total.tp + total.fn}={total.recall:.3f} "
          f"fpr {total.fp}/{total.fp + total.tn}={total.fpr:.3f} errors {total.fn + total.fp}", flush=True)
