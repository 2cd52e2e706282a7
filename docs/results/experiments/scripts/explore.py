"""Issue 4 exploration: main section with probe and/or Mandarin recognised-speech calls.
Scored only on data that chooses: TAF calib half (2-fold CV) and dev-zh audio."""
import copy, hashlib, json, math, pickle, sys
import numpy as np
sys.path.insert(0, "../../../../host"); sys.path.insert(0, ".")
from common import EMB, LIB, ev, run
from scamguard.calibrate import calibrate
from scamguard.strategies import create
from scamguard.strategies.config import FALLBACK

PKG = json.load(open("../../../../host/scamguard/data/calibration.json"))
taf = pickle.load(open("/tmp/sg_evidence/taf_calib.pkl", "rb"))
zh = ev("cal-zh") + ev("cal2-zh")
dev = ev("dev-zh")

def fold(e):
    return int(hashlib.sha256(("cv" + e.call["id"]).encode()).hexdigest()[:8], 16) % 2

def cfg_with(main):
    cfg = copy.deepcopy(PKG)
    main = dict(main); main["languages"] = PKG["strategies"]["default"]["languages"]
    cfg["strategies"]["default"] = main
    return cfg

def score(cfg, calls):
    s = create("default", cfg, LIB.entries, EMB.model_id)
    res = run(s, calls)
    y = np.array([r[1] for r in res]); a = np.array([r[3] for r in res]); m = np.array([r[2] for r in res])
    tp, fp = int((y & a).sum()), int((~y & a).sum()); P, N = int(y.sum()), int((~y).sum())
    rec, fpr = tp / P, fp / N
    prec = tp / (tp + fp) if tp + fp else 0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0
    auc = float(np.mean([(p > n) + 0.5 * (p == n) for p in m[y] for n in m[~y]]))
    thr = s.t_scam
    tta = []
    for e, r in zip(calls, res):
        if r[1] and r[3]:
            i = next(i for i, L in enumerate(r[4]) if L >= thr); tta.append(e.segments[i].t_end_s)
    return dict(rec=round(rec, 3), fpr=round(fpr, 3), f1=round(f1, 3), auc=round(auc, 3),
                tta=round(float(np.mean(tta)), 1) if tta else None, fp=fp, N=N, tp=tp, P=P)

def fit(evs, probe, target):
    return calibrate(evs, LIB, target, FALLBACK, 3.0, probe=probe)["default"]

cands = {
    "taf": (False, False), "taf+probe": (False, True),
    "taf+zh": (True, False), "taf+zh+probe": (True, True),
}
which = sys.argv[1:] or list(cands)
target = 0.01
for name in which:
    usezh, probe = cands[name]
    out = {}
    # 2-fold CV on TAF calib half (zh audio always in training when used)
    cv = []
    for k in (0, 1):
        tr = [e for e in taf if fold(e) != k] + (zh if usezh else [])
        te = [e for e in taf if fold(e) == k]
        cv.append(score(cfg_with(fit(tr, probe, target)), te))
    tp = sum(c["tp"] for c in cv); P = sum(c["P"] for c in cv); fp = sum(c["fp"] for c in cv); N = sum(c["N"] for c in cv)
    prec = tp / (tp + fp); rec = tp / P
    out["taf_cv"] = dict(rec=round(rec, 3), fpr=round(fp / N, 4), f1=round(2 * prec * rec / (prec + rec), 3),
                         auc=[c["auc"] for c in cv], tta=[c["tta"] for c in cv])
    full = fit(taf + (zh if usezh else []), probe, target)
    cfg = cfg_with(full)
    json.dump(cfg, open(f"/tmp/sg_evidence/cfg_{name}.json", "w"), ensure_ascii=False)
    out["fit"] = full["fit"]
    out["dev_zh"] = score(cfg, dev)
    if usezh:
        out["zh_in"] = score(cfg, zh)
    print(name, json.dumps(out), flush=True)
