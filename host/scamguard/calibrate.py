"""Fit strategy thresholds and the default strategy's weights on a labelled corpus.

One selection rule for every threshold, so the comparison is fair: among thresholds whose
call-level false-positive rate on the calibration calls is at most ``target_fpr``, take the
one with the best call-level F1, placed halfway to the next lower observed score so it
does not sit exactly on a calibration example.
- A1: per-call statistic = whole-transcript best scam cosine.
- A2: per-call statistic = highest segment keyword sum (a segment alerts alone).
- A3: per-call statistic = highest segment best-scam cosine.
- A4cal: per-call statistic = highest k-th best cosine over any n consecutive segments
  (the call alerts iff some window has k qualifying segments). A4 keeps the paper's 0.80.
- default: with ``probe=True``, first a linear probe on segment embeddings (every library
  entry, weighted ``PROBE_LIBRARY_WEIGHT``, plus every calibration segment with its call's
  label); its value on each calibration segment comes from the probe fitted on the other
  folds, so the next step does not trust it more than it deserves on unseen calls. It is off
  by default: on the development calls it helped English and hurt Mandarin (see
  docs/results/dev_eval.md). Then an L2-regularised
  logistic regression on standardised segment features with the call's label as target, each weight constrained to its feature's meaning (features.SIGNS), then a small grid over (leak, cap, floor) of the evidence
  accumulator; each grid point gets its threshold by the rule above, and the winner is the
  fastest mean time to alert among points within ``F1_TOLERANCE`` of the best F1.
  "suspicious" is the evidence level exceeded by ``SUSPICIOUS_FPR`` of benign calls.
  With ``context`` > 1 (``--context``) the probe and the default strategy's features come from
  each segment's context view (strategies/context.py); A1–A4cal stay on single segments.
"""
from __future__ import annotations

import dataclasses
import datetime as _dt
import hashlib
import itertools
import json
import logging
import math
from pathlib import Path

import numpy as np
from scipy.optimize import minimize

from . import __version__
from .keywords import DEFAULTS as KW_DEFAULTS
from .strategies import keyword_model
from .strategies.base import split_neighbours, top_sim
from .strategies.config import FALLBACK
from .strategies.context import view
from .strategies.features import FEATURES, SIGNS, segment_features
from .strategies.probe import LinearProbe

log = logging.getLogger(__name__)

L2 = 1.0  # ridge strength on standardised features: a mild prior, the data are plentiful
# The first grid stopped at leak 0.9, cap 5, floor 3, and the TAF fit chose that corner; the
# grid now reaches past every value chosen on TAF text (docs/results/text_eval.md).
GRID = {"leak": [0.5, 0.7, 0.8, 0.9, 0.95, 1.0], "cap": [1.5, 3.0, 5.0, 8.0, 12.0], "floor": [0.0, 1.0, 3.0, 5.0, 8.0]}
F1_TOLERANCE = 0.005
SUSPICIOUS_FPR = 0.05
PROBE_L2 = 1.0               # ridge on raw (unit-length) embeddings
PROBE_LIBRARY_WEIGHT = 5.0   # a library entry counts as this many calibration segments
PROBE_FOLDS = 2


# ----------------------------------------------------------------------------- thresholds

def pick_threshold(pos: np.ndarray, neg: np.ndarray, target_fpr: float) -> tuple[float, dict]:
    """Threshold on a per-call statistic (alert iff stat >= threshold); see module doc."""
    pos = np.asarray(pos, dtype=float)
    neg = np.asarray(neg, dtype=float)
    finite = np.concatenate([pos[np.isfinite(pos)], neg[np.isfinite(neg)]])
    if finite.size == 0:
        return math.inf, {"f1": 0.0, "fpr": 0.0, "recall": 0.0}
    values = np.unique(finite)[::-1]  # candidate thresholds, descending
    best = None
    for i, c in enumerate(values):
        tp = int(np.sum(pos >= c))
        fp = int(np.sum(neg >= c))
        fpr = fp / len(neg) if len(neg) else 0.0
        if fpr > target_fpr:
            break  # lower thresholds only add false positives
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / len(pos) if len(pos) else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        if best is None or f1 > best[1]["f1"]:
            nxt = values[i + 1] if i + 1 < len(values) else c - 1e-3
            best = ((c + nxt) / 2.0, {"f1": f1, "fpr": fpr, "recall": rec, "precision": prec})
    if best is None:  # even the highest score is too often benign: alert above every benign call
        top = float(values[0])
        return top + 1e-6, {"f1": 0.0, "fpr": 0.0, "recall": 0.0, "precision": 0.0}
    return float(best[0]), {k: round(v, 4) for k, v in best[1].items()}


def a4_statistic(s1: list[float], k: int, n: int) -> float:
    """Largest threshold at which some window of the last n segments has k qualifying ones."""
    best = -math.inf
    for t in range(len(s1)):
        window = sorted(s1[max(0, t - n + 1): t + 1], reverse=True)
        if len(window) >= k:
            best = max(best, window[k - 1])
    return best


# ----------------------------------------------------------------------------- default

def fit_logistic(X: np.ndarray, y: np.ndarray, l2: float = L2, signs: list[int] | None = None,
                 sample_weight: np.ndarray | None = None) -> tuple[np.ndarray, float]:
    """L2-regularised logistic regression; ``signs`` (+1/-1/0 per column) bounds each
    weight to that sign (0 = free)."""
    sw = np.ones(len(y)) if sample_weight is None else np.asarray(sample_weight, dtype=float)

    def loss(theta):
        w, b = theta[:-1], theta[-1]
        z = X @ w + b
        # log(1 + e^z) - y z, computed stably
        nll = np.sum(sw * (np.logaddexp(0.0, z) - y * z))
        r = sw * (1.0 / (1.0 + np.exp(-z)) - y)
        g = X.T @ r + l2 * w
        return nll + 0.5 * l2 * float(w @ w), np.append(g, np.sum(r))
    signs = signs or [0] * X.shape[1]
    bounds = [(0, None) if s > 0 else (None, 0) if s < 0 else (None, None) for s in signs] + [(None, None)]
    res = minimize(loss, np.zeros(X.shape[1] + 1), jac=True, method="L-BFGS-B", bounds=bounds)
    if not res.success:
        log.warning("logistic fit did not fully converge: %s", res.message)
    return res.x[:-1], float(res.x[-1])


def _fold(call_id: str) -> int:
    return int(hashlib.sha256(call_id.encode("utf-8")).hexdigest()[:8], 16) % PROBE_FOLDS


def fit_probe(evidence, library) -> tuple[LinearProbe, list[LinearProbe]]:
    """The probe fitted on everything, and for each call the probe fitted without its fold."""
    lib_x = np.asarray(library.vectors, dtype=np.float32)
    lib_y = np.array([e.label == "scam" for e in library.entries], dtype=float)
    folds = np.array([_fold(ev.call["id"]) for ev in evidence])

    def fit(calls) -> LinearProbe:
        segs = [(s.qvec, ev.call["label"] == "scam") for ev in calls for s in ev.segments]
        X = np.vstack([lib_x] + [np.asarray(v, dtype=np.float32).reshape(1, -1) for v, _ in segs])
        y = np.concatenate([lib_y, np.array([lab for _, lab in segs], dtype=float)])
        sw = np.concatenate([np.full(len(lib_y), PROBE_LIBRARY_WEIGHT), np.ones(len(segs))])
        w, b = fit_logistic(X.astype(float), y, l2=PROBE_L2, sample_weight=sw)
        return LinearProbe(w.astype(np.float32), b, library.model_id)

    per_fold = [fit([ev for ev, f in zip(evidence, folds) if f != k]) for k in range(PROBE_FOLDS)]
    return fit(evidence), [per_fold[f] for f in folds]


def accumulate(llr: np.ndarray, leak: float, floor: float) -> np.ndarray:
    """Evidence after each segment, as DefaultStrategy.update computes it."""
    out = np.empty(len(llr))
    L = 0.0
    for i, x in enumerate(llr):
        L = max(-floor, leak * L + x)
        out[i] = L
    return out


def _logit(p: float) -> float:
    return math.log(p / (1 - p))


def calibrate_default(call_feats: list[np.ndarray], call_times: list[list[float]], labels: np.ndarray,
                      target_fpr: float, features: tuple[str, ...] = FEATURES) -> dict:
    X = np.vstack([f for f in call_feats if len(f)])
    y = np.concatenate([np.full(len(f), float(lab)) for f, lab in zip(call_feats, labels) if len(f)])
    mean, std = X.mean(axis=0), X.std(axis=0)
    keep = std > 1e-9  # a constant feature (e.g. kws_hits in text mode) carries no information
    names = [n for n, k in zip(features, keep) if k]
    Z = (X[:, keep] - mean[keep]) / std[keep]
    w, b = fit_logistic(Z, y, signs=[SIGNS[n] for n in names])
    prior = float(y.mean())
    z_calls = [((f[:, keep] - mean[keep]) / std[keep]) @ w + b - _logit(prior) if len(f) else np.zeros(0)
               for f in call_feats]
    candidates = []
    for leak, cap, floor in itertools.product(GRID["leak"], GRID["cap"], GRID["floor"]):
        traj = [accumulate(np.clip(z, -cap, cap), leak, floor) for z in z_calls]
        stat = np.array([t.max() if len(t) else -math.inf for t in traj])
        thr, st = pick_threshold(stat[labels], stat[~labels], target_fpr)
        times = [call_times[i][int(np.argmax(traj[i] >= thr))] for i in np.flatnonzero(labels)
                 if len(traj[i]) and traj[i].max() >= thr]
        mtta = float(np.mean(times)) if times else math.inf
        neg = stat[~labels]
        susp = float(np.quantile(neg[np.isfinite(neg)], 1 - SUSPICIOUS_FPR)) if np.isfinite(neg).any() else thr
        candidates.append({"leak": leak, "cap": cap, "floor": floor, "scam": thr, "suspicious": min(susp, thr),
                           "fit": {**st, "mean_time_to_alert_s": round(mtta, 2)}})
    best_f1 = max(c["fit"]["f1"] for c in candidates)
    near = [c for c in candidates if c["fit"]["f1"] >= best_f1 - F1_TOLERANCE]
    chosen = min(near, key=lambda c: c["fit"]["mean_time_to_alert_s"])
    return {"features": names, "mean": [round(float(v), 6) for v in mean[keep]],
            "std": [round(float(v), 6) for v in std[keep]], "weights": [round(float(v), 6) for v in w],
            "bias": round(b, 6), "prior": round(prior, 6), "leak": chosen["leak"], "cap": chosen["cap"],
            "floor": chosen["floor"], "suspicious": round(chosen["suspicious"], 4), "scam": round(chosen["scam"], 4),
            "fit": chosen["fit"]}


def language_offsets(library) -> dict[str, float]:
    """Per-language shift that puts every language's cosine scale on a common reference.

    Measured on the phrase library alone (no labelled calls): for each entry, its cosine to
    the nearest other scam entry; the per-language median says where that language's
    "close" sits. The calibration corpus is usually one language, so without this shift its
    thresholds would not transfer to the others."""
    vecs = np.asarray(library.vectors, dtype=np.float32)
    langs = np.array([e.lang for e in library.entries])
    scam = np.array([e.label == "scam" for e in library.entries])
    sims = vecs @ vecs[scam].T
    own = np.where(scam)[0]
    sims[own, np.arange(len(own))] = -1.0  # an entry is not its own neighbour
    nearest = sims.max(axis=1)
    medians = {str(lang): float(np.median(nearest[langs == lang])) for lang in sorted(set(langs))}
    ref = float(np.mean(list(medians.values())))
    return {lang: round(ref - m, 5) for lang, m in medians.items()}


# ----------------------------------------------------------------------------- driver

def calibrate(evidence, library, target_fpr: float, base_config: dict, window_s: float, probe: bool = False,
              context: int = 1) -> dict:
    """Strategy sections fitted on ``evidence`` (a list of runner.CallEvidence). A1–A4cal are
    fitted on single segments; with ``context`` > 1 the default strategy (probe included) is
    fitted on each segment's context view, which the evidence must carry."""
    k = int(base_config["neighbours_k"])
    kw = keyword_model(library.entries, base_config)
    labels = np.array([ev.call["label"] == "scam" for ev in evidence])
    if labels.all() or not labels.any():
        raise ValueError("calibration needs both scam and benign calls")
    s1 = [[top_sim(split_neighbours(s.neighbours)[0]) for s in ev.segments] for ev in evidence]
    out: dict = {}

    def fit(stat: np.ndarray) -> tuple[float, dict]:
        return pick_threshold(stat[labels], stat[~labels], target_fpr)

    if all(ev.transcript is not None for ev in evidence):
        a1 = np.array([top_sim(split_neighbours(ev.transcript.neighbours)[0]) for ev in evidence])
        thr, st = fit(a1)
        out["A1"] = {"threshold": round(thr, 5), "fit": st}
    a2 = np.array([max((kw.score(s.text, s.lang) for s in ev.segments), default=-math.inf) for ev in evidence])
    thr, st = fit(a2)
    out["A2"] = {"threshold": round(thr, 4), "fit": st}
    a3 = np.array([max(x, default=-math.inf) for x in s1])
    thr, st = fit(a3)
    out["A3"] = {"threshold": round(thr, 5), "fit": st}
    a4 = base_config["strategies"]["A4"]
    stat = np.array([a4_statistic(x, a4["k"], a4["n"]) for x in s1])
    thr, st = fit(stat)
    out["A4"] = {"threshold": a4["threshold"], "k": a4["k"], "n": a4["n"]}  # the paper's literal values
    out["A4cal"] = {"threshold": round(thr, 5), "k": a4["k"], "n": a4["n"], "fit": st}
    offsets = language_offsets(library)
    names = FEATURES if probe else tuple(n for n in FEATURES if n != "probe")
    views = [dataclasses.replace(ev, segments=[view(s, context) for s in ev.segments]) for ev in evidence]
    full, held_out = fit_probe(views, library) if probe else (None, [None] * len(views))
    feats = [np.array([[segment_features(s, kw, k, offsets, p)[n] for n in names] for s in ev.segments], dtype=float)
             .reshape(-1, len(names)) for ev, p in zip(views, held_out)]
    times = [[s.t_end_s for s in ev.segments] for ev in views]
    out["default"] = {**calibrate_default(feats, times, labels, target_fpr, names), "lang_offsets": offsets,
                      "context": context}
    if full is not None:
        out["default"]["probe"] = full.to_config()
    return out


def _write_json(path: str | Path, obj: dict) -> None:
    """Write through a temporary file, so a crash never leaves a half-written config."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(obj, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    tmp.replace(path)


def write_config(path: str | Path, strategies: dict, provenance: dict, base_config: dict) -> dict:
    cfg = {"version": FALLBACK["version"], "provenance": provenance, "neighbours_k": base_config["neighbours_k"],
           "keywords": {**KW_DEFAULTS, **base_config.get("keywords", {})}, "strategies": strategies}
    _write_json(path, cfg)
    return cfg


def write_language_section(path: str | Path, base_path: str | Path, lang: str, default_section: dict,
                           prov: dict) -> dict:
    """``base_path``'s config with ``default_section`` as the default strategy's section for
    ``lang`` (see DefaultStrategy); everything else, the main section included, is kept."""
    base = json.loads(Path(base_path).read_text(encoding="utf-8"))
    default = base.setdefault("strategies", {}).setdefault("default", {})
    default.setdefault("languages", {})[lang] = default_section
    base.setdefault("provenance", {}).setdefault("languages", {})[lang] = prov
    _write_json(path, base)
    return base


def provenance(**kw) -> dict:
    return {"scamguard_version": __version__,
            "date": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"), **kw}
