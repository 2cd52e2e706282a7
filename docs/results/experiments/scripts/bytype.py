"""Nine-set leave-one-out of the packaged English recipe (as lc.py with K = 8), broken down by
fraud_type and benign category (tenth session). Usage: python bytype.py [EXTRA ...]"""
import collections
import sys
sys.path.insert(0, ".")
from common import CALIBRATION_SETS, ev, fit_default, run, with_english_section

HELD = ["test-en"] + [f"test{i}-en" for i in range(2, 10)]

if __name__ == "__main__":
    extra = sys.argv[1:]
    by = collections.defaultdict(lambda: [0, 0])  # kind -> [alerted, calls]
    for h in HELD:
        sec = fit_default([e for c in CALIBRATION_SETS + extra + [s for s in HELD if s != h] for e in ev(c)], 0.05)
        for e, r in zip(ev(h), run(with_english_section(sec), ev(h))):
            kind = e.call.get("fraud_type") or ("hard negative" if (e.call.get("notes") or "").startswith("hard negative")
                                                else "everyday")
            by[kind][0] += int(r[3])
            by[kind][1] += 1
    for kind, (alerted, n) in sorted(by.items()):
        print(f"{kind:28s} alerted {alerted}/{n}")
