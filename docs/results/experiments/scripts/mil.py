"""LOSO over fresh sets 1-9: English section with a multiple-instance probe (scratch).
A scam call's segments are not all scam talk; the MIL probe keeps as positives only the
top share of each scam call's segments by a first probe's score."""
import sys, json, copy, time
import numpy as np
sys.path.insert(0, ".")
from common import ev, run, summary, LIB, EMB
import scamguard.calibrate as C
from scamguard.strategies.probe import LinearProbe
from scamguard.strategies import create
from scamguard.strategies.config import FALLBACK

SHIPPED = json.load(open("../../../../host/scamguard/data/calibration.json"))
CAL = ["cal-en", "cal-zh", "cal2-en", "cal2-zh", "en", "dev-en"]
HELD = ["test-en", "test2-en", "test3-en", "test4-en", "test5-en", "test6-en", "test7-en", "test8-en", "test9-en"]
SHARE = None

def fit_probe_mil(evidence, library):
    lib_x = np.asarray(library.vectors, dtype=np.float32)
    lib_y = np.array([e.label == "scam" for e in library.entries], dtype=float)
    folds = np.array([C._fold(e.call["id"]) for e in evidence])

    def fit_once(X, y, sw):
        w, b = C.fit_logistic(X.astype(float), y, l2=C.PROBE_L2, sample_weight=sw)
        return w, b

    def fit(calls):
        V = [np.vstack([np.asarray(s.qvec, dtype=np.float32).reshape(1, -1) for s in e.segments]) if e.segments else np.zeros((0, lib_x.shape[1]), np.float32) for e in calls]
        lab = [e.call["label"] == "scam" for e in calls]
        X = np.vstack([lib_x] + V); y = np.concatenate([lib_y] + [np.full(len(v), float(l)) for v, l in zip(V, lab)])
        sw = np.concatenate([np.full(len(lib_y), C.PROBE_LIBRARY_WEIGHT), np.ones(len(X) - len(lib_y))])
        w, b = fit_once(X, y, sw)
        if SHARE < 1.0:
            keep = []
            for v, l in zip(V, lab):
                if not l or not len(v):
                    keep.append(np.ones(len(v))); continue
                s = v @ w + b
                k = max(1, int(np.ceil(SHARE * len(v))))
                m = np.zeros(len(v)); m[np.argsort(-s)[:k]] = 1.0
                keep.append(m)
            sw = np.concatenate([np.full(len(lib_y), C.PROBE_LIBRARY_WEIGHT)] + keep)
            w, b = fit_once(X, y, sw)
        return LinearProbe(w.astype(np.float32), b, library.model_id)

    per_fold = [fit([e for e, f in zip(evidence, folds) if f != k]) for k in range(C.PROBE_FOLDS)]
    return fit(evidence), [per_fold[f] for f in folds]

def section(corpora, target_fpr):
    C.fit_probe = fit_probe_mil
    evidence = [e for c in corpora for e in ev(c)]
    return C.calibrate(evidence, LIB, target_fpr, FALLBACK, 3.0, probe=True)["default"]

def strategy_with(sec):
    cfg = copy.deepcopy(SHIPPED)
    cfg["strategies"]["default"]["languages"]["en"] = sec
    return create("default", cfg, LIB.entries, EMB.model_id)

if __name__ == "__main__":
    tfpr = float(sys.argv[1]); SHARE = float(sys.argv[2])
    if len(sys.argv) > 3:  # optional: the probe's library weight and ridge (packaged: 5 and 1)
        C.PROBE_LIBRARY_WEIGHT, C.PROBE_L2 = float(sys.argv[3]), float(sys.argv[4])
    tot = [0, 0, 0, 0]
    for h in HELD:
        t = time.time()
        sec = section(CAL + [s for s in HELD if s != h], tfpr)
        r = summary(run(strategy_with(sec), ev(h)))
        tot = [x + y for x, y in zip(tot, r)]
        print(h, "tp/P fp/N", r, "fit", sec["fit"], round(time.time() - t), flush=True)
    tp, P, fp, N = tot
    print("mil", SHARE, tfpr, C.PROBE_LIBRARY_WEIGHT, C.PROBE_L2, f"recall {tp}/{P}={tp/P:.3f} fpr {fp}/{N}={fp/N:.3f} errors {P-tp+fp}")
