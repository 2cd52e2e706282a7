"""Leave one set out over fresh sets 1-9: the English section with a multiple-instance probe.
A scam call's segments are not all scam talk; the MIL probe keeps as positives only the top
SHARE of each scam call's segments by a first probe's score (SHARE 1.0 = the packaged recipe).
Usage: python mil.py TARGET_FPR SHARE [LIBRARY_WEIGHT RIDGE]   (packaged probe: 5 and 1)"""
import sys
import numpy as np
sys.path.insert(0, ".")
import scamguard.calibrate as C
from scamguard.strategies.probe import LinearProbe
from common import leave_one_set_out

HELD = ["test-en", "test2-en", "test3-en", "test4-en", "test5-en", "test6-en", "test7-en", "test8-en", "test9-en"]
SHARE = 1.0  # set from the command line


def fit_probe_mil(evidence, library):
    lib_x = np.asarray(library.vectors, dtype=np.float32)
    lib_y = np.array([e.label == "scam" for e in library.entries], dtype=float)
    folds = np.array([C._fold(e.call["id"]) for e in evidence])

    def fit_once(X, y, sw):
        return C.fit_logistic(X.astype(float), y, l2=C.PROBE_L2, sample_weight=sw)

    def fit(calls):
        V = [np.vstack([np.asarray(s.qvec, dtype=np.float32).reshape(1, -1) for s in e.segments]) if e.segments else np.zeros((0, lib_x.shape[1]), np.float32) for e in calls]
        lab = [e.call["label"] == "scam" for e in calls]
        X = np.vstack([lib_x] + V); y = np.concatenate([lib_y] + [np.full(len(v), float(l)) for v, l in zip(V, lab)])
        sw = np.concatenate([np.full(len(lib_y), C.PROBE_LIBRARY_WEIGHT), np.ones(len(X) - len(lib_y))])
        w, b = fit_once(X, y, sw)
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

if __name__ == "__main__":
    target, SHARE = float(sys.argv[1]), float(sys.argv[2])
    if len(sys.argv) > 3:
        C.PROBE_LIBRARY_WEIGHT, C.PROBE_L2 = float(sys.argv[3]), float(sys.argv[4])
    if SHARE < 1.0:  # 1.0 keeps the package's own fit_probe: the packaged recipe itself
        C.fit_probe = fit_probe_mil  # calibrate() looks it up in its module
    leave_one_set_out(HELD, target, f"mil share {SHARE} library x{C.PROBE_LIBRARY_WEIGHT:g} ridge {C.PROBE_L2:g}")
