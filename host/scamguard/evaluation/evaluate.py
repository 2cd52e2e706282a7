"""Text-mode evaluation: strategies x windows -> the ARCHITECTURE.md §6 result document."""
from __future__ import annotations

import datetime as _dt
import time

from .. import __version__
from ..strategies import create
from ..strategies.context import needed_contexts
from .embed_cache import EmbeddingCache
from .metrics import strategy_metrics
from .runner import build_evidence, run
from .streaming import SpeakingRate

DEFAULT_STRATEGY = "default"
POST_CALL = {"A1"}  # no per-segment decisions: segment metrics do not apply


def make_strategies(names: list[str], config: dict, entries, embedder: str | None = None) -> dict:
    return {n: create(n, config, entries=entries, embedder=embedder) for n in names}


def evaluate_window(calls: list[dict], window_s: float, names: list[str], config: dict, library,
                    cache: EmbeddingCache, rate: SpeakingRate) -> tuple[list[dict], dict, dict]:
    """(per-call records, metrics per strategy, timing) for one window size."""
    t0 = time.perf_counter()
    strategies = make_strategies(names, config, library.entries, library.model_id)
    evidence = build_evidence(calls, window_s, rate, cache, library, config["neighbours_k"],
                              transcripts="A1" in names, contexts=needed_contexts(strategies.values()))
    t1 = time.perf_counter()
    records = run(evidence, strategies)
    t2 = time.perf_counter()
    metrics = {n: strategy_metrics(records, n, segment_level=n not in POST_CALL) for n in names}
    n_seg = sum(len(e.segments) for e in evidence)
    timing = {"evidence_s": round(t1 - t0, 2), "strategies_s": round(t2 - t1, 2), "segments": n_seg}
    return records, metrics, timing


def public_call(rec: dict) -> dict:
    """The JSON view of a call record (per-segment alert lists are summarised)."""
    out = {k: rec[k] for k in ("id", "label", "lang", "fraud_type", "alerted", "time_to_alert_s")}
    out["n_segments"] = rec["n_segments"]
    out["duration_s"] = rec["duration_s"]
    out["predicted_fraud_type"] = rec["predicted_fraud_type"]
    return out


def result_document(records: list[dict], metrics: dict, config_section: dict, sweep: list[dict] | None) -> dict:
    doc = {
        "calls": [public_call(r) for r in records],
        "default_strategy": DEFAULT_STRATEGY,
        "strategies": metrics,
        "config": config_section,
    }
    if sweep is not None:
        doc["window_sweep"] = sweep
    return doc


def config_section(*, corpus: str, corpus_sha256: str, n_calls: int, window_s: float, rate: SpeakingRate,
                   embedder_id: str, library, strategy_config: dict, names: list[str], split: dict,
                   command: str, timing: dict) -> dict:
    return {
        "mode": "text",
        "scamguard_version": __version__,
        "date": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "command": command,
        "corpus": corpus,
        "corpus_sha256": corpus_sha256,
        "n_calls": n_calls,
        "split": split,
        "window_s": window_s,
        "speaking_rate": {"zh_chars_per_s": rate.zh_chars_per_s, "en_words_per_s": rate.en_words_per_s,
                          "turn_gap_s": rate.turn_gap_s},
        "segment_labels": "every segment of a scam call is positive (simplification; see docs/results/text_eval.md)",
        "embedder": embedder_id,
        "phrase_library": {"content_hash": library.content_hash, "entries": len(library.entries),
                           "model_id": library.model_id},
        "strategies": {n: strategy_config["strategies"].get(n) for n in names},
        "neighbours_k": strategy_config["neighbours_k"],
        "calibration_provenance": strategy_config.get("provenance"),
        "timing": timing,
    }
