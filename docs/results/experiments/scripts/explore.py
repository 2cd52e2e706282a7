"""Issue 4 exploration: main section with probe and/or Mandarin recognised-speech calls.
Scored only on data that chooses: TAF calib half (2-fold CV) and dev-zh audio."""
import copy, hashlib, json, pickle, sys
import numpy as np
sys.path.insert(0, "../../../../host"); sys.path.insert(0, ".")
from common import EMB, EVIDENCE, LIB, PACKAGED as PKG, auc, confusion, ev, fit_default, run
from scamguard.evaluation.metrics import Confusion
from scamguard.strategies import create

taf = pickle.load(open(f"{EVIDENCE}/taf_calib.pkl", "rb"))
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
    cm = confusion(res)
    tta = []  # seconds of call audio until the first alert, over caught scams
    for e, r in zip(calls, res):
        if r[1] and r[3]:
            i = next(i for i, L in enumerate(r[4]) if L >= s.t_scam)
            tta.append(e.segments[i].t_end_s)
    return dict(rec=round(cm.recall, 3), fpr=round(cm.fpr, 3), f1=round(cm.f1, 3), auc=round(auc(res), 3),
                tta=round(float(np.mean(tta)), 1) if tta else None, fp=cm.fp, N=cm.fp + cm.tn, tp=cm.tp, P=cm.tp + cm.fn)

def fit(evs, probe, target):
    return fit_default(evs, target, probe=probe)

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
    pooled = Confusion(tp=sum(c["tp"] for c in cv), fn=sum(c["P"] - c["tp"] for c in cv),
                       fp=sum(c["fp"] for c in cv), tn=sum(c["N"] - c["fp"] for c in cv))
    out["taf_cv"] = dict(rec=round(pooled.recall, 3), fpr=round(pooled.fpr, 4), f1=round(pooled.f1, 3),
                         auc=[c["auc"] for c in cv], tta=[c["tta"] for c in cv])
    full = fit(taf + (zh if usezh else []), probe, target)
    cfg = cfg_with(full)
    json.dump(cfg, open(f"{EVIDENCE}/cfg_{name}.json", "w"), ensure_ascii=False)
    out["fit"] = full["fit"]
    out["dev_zh"] = score(cfg, dev)
    if usezh:
        out["zh_in"] = score(cfg, zh)
    print(name, json.dumps(out), flush=True)
