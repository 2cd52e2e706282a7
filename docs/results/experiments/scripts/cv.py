"""LOSO over fresh sets 1-7: English section with / without the kwb feature (scratch)."""
import sys, json, copy, time
sys.path.insert(0, ".")
from common import ev, run, summary, LIB, EMB
import scamguard.calibrate as C
from scamguard.strategies import create
from scamguard.strategies.config import FALLBACK

SHIPPED = json.load(open("../../../../host/scamguard/data/calibration.json"))
CAL = ["cal-en", "cal-zh", "cal2-en", "cal2-zh", "en", "dev-en"]
HELD = ["test-en", "test2-en", "test3-en", "test4-en", "test5-en", "test6-en", "test7-en"]
ALL = C.FEATURES

def section(corpora, target_fpr, feats):
    C.FEATURES = feats
    evidence = [e for c in corpora for e in ev(c)]
    return C.calibrate(evidence, LIB, target_fpr, FALLBACK, 3.0, probe=True)["default"]

def strategy_with(sec):
    cfg = copy.deepcopy(SHIPPED)
    cfg["strategies"]["default"]["languages"]["en"] = sec
    return create("default", cfg, LIB.entries, EMB.model_id)

if __name__ == "__main__":
    tfpr = float(sys.argv[1]); variant = sys.argv[2]
    feats = ALL if variant == "kwb" else tuple(f for f in ALL if f != "kwb")
    tot = [0, 0, 0, 0]
    for h in HELD:
        t = time.time()
        sec = section(CAL + [s for s in HELD if s != h], tfpr, feats)
        r = summary(run(strategy_with(sec), ev(h)))
        tot = [x + y for x, y in zip(tot, r)]
        w = dict(zip(sec["features"], sec["weights"]))
        print(h, "tp/P fp/N", r, "fit", sec["fit"], {k: round(v, 2) for k, v in w.items()}, round(time.time() - t), flush=True)
    tp, P, fp, N = tot
    print(variant, tfpr, f"recall {tp}/{P}={tp/P:.3f} fpr {fp}/{N}={fp/N:.3f} errors {P-tp+fp}")
