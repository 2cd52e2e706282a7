"""Audio-mode evaluation driver: windows x calls x strategies -> the ARCHITECTURE.md §6 JSON.

Metrics come from evaluation.metrics (the text mode's own code); audio adds, per strategy,
the measured latency after the deciding segment (mean and its ASR/embed/search/vote parts)
and, per language, the ASR error rate.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import logging
import platform
import time
from pathlib import Path

from .. import __version__
from ..evaluation.evaluate import DEFAULT_STRATEGY, POST_CALL, make_strategies, public_call, result_document
from ..evaluation.metrics import strategy_metrics
from ..strategies.context import needed_contexts
from .asr_error import error_rates
from .pipeline import AudioSetup, call_evidence, run_strategies

log = logging.getLogger(__name__)


def balanced_subset(calls: list[dict], n: int | None, seed: int = 0) -> list[dict]:
    """n calls, half scam and half benign per language where possible, in a seeded hash
    order (independent of the file order and of any result)."""
    if not n or n >= len(calls):
        return list(calls)
    key = lambda c: hashlib.sha256(f"{seed}:{c['id']}".encode()).hexdigest()  # noqa: E731
    groups: dict[tuple, list] = {}
    for c in sorted(calls, key=key):
        groups.setdefault((c["lang"], c["label"]), []).append(c)
    out, i = [], 0
    while len(out) < n and any(groups.values()):
        for g in sorted(groups):
            if groups[g] and len(out) < n:
                out.append(groups[g].pop(0))
        i += 1
    ids = {c["id"] for c in out}
    return [c for c in calls if c["id"] in ids]


def latency_summary(records: list[dict], name: str) -> dict:
    """Mean latency after the deciding segment over the flagged scam calls, and its parts."""
    sel = [r for r in records if r["label"] == "scam" and r["alert_latency_s"].get(name) is not None]
    if not sel:
        return {"mean_alert_latency_s": None, "alert_latency_parts_s": None}
    parts = {k: round(sum(r["latency_parts"][name][k] for r in sel) / len(sel), 4)
             for k in ("asr_s", "embed_s", "search_s", "vote_s")}
    lat = sorted(r["alert_latency_s"][name] for r in sel)
    return {"mean_alert_latency_s": round(sum(lat) / len(lat), 4), "p95_alert_latency_s": lat[int(0.95 * (len(lat) - 1))],
            "alert_latency_parts_s": parts}


def evaluate_window(calls: list[dict], corpus_dir: Path, window_s: float, names: list[str], config: dict,
                    setup: AudioSetup, progress=lambda s: None) -> tuple[list[dict], dict, dict, list]:
    strategies = make_strategies(names, config, setup.library.entries, setup.library.model_id)
    setup.contexts = needed_contexts(strategies.values())
    records, pairs, evidence = [], [], []
    t0 = time.perf_counter()
    for i, call in enumerate(calls):
        cae = call_evidence(call, corpus_dir, window_s, setup, transcript="A1" in names)
        rec = run_strategies(cae, strategies)
        records.append(rec)
        evidence.append(cae)
        pairs.append((call["lang"], " ".join(t["text"] for t in call["turns"]), cae.hypothesis))
        progress(f"window {window_s:g} s [{i + 1}/{len(calls)}] {call['id']}: {len(cae.segments)} segments, "
                 f"default alert={rec['alerted'].get('default')}")
    metrics = {}
    for n in names:
        m = strategy_metrics(records, n, segment_level=n not in POST_CALL)
        m.update(latency_summary(records, n))
        metrics[n] = m
    extra = {"asr_error": error_rates(pairs), "calls": len(calls), "seconds": round(time.perf_counter() - t0, 1)}
    return records, metrics, extra, evidence


def audio_public_call(rec: dict) -> dict:
    out = public_call(rec)
    out["alert_latency_s"] = rec["alert_latency_s"]
    out["n_board_segments"] = rec["n_board_segments"]
    return out


def build_document(records, metrics, sweep, config: dict) -> dict:
    doc = result_document(records, metrics, config, sweep)
    doc["calls"] = [audio_public_call(r) for r in records]
    return doc


def config_section(*, corpus: str, corpus_sha256: str, n_calls: int, window_s: float, names: list[str],
                   strategy_config: dict, setup: AudioSetup, embedder_id: str, asr_desc: dict, command: str,
                   asr_error: dict, timing: dict, sweep_calls: int | None, synth_manifest: dict | None) -> dict:
    lib = setup.library
    return {
        "mode": "audio",
        "scamguard_version": __version__,
        "date": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "command": command,
        "corpus": corpus,
        "corpus_sha256": corpus_sha256,
        "n_calls": n_calls,
        "window_s": window_s,
        "segmenter": {"implementation": "firmware/core sg_vad.c + sg_segmenter.c via build/lib/libsgcore.so",
                      "mode": setup.mode, "overlap_pct": setup.overlap_pct},
        "asr": asr_desc,
        "asr_language": setup.language,
        "asr_error": asr_error,
        "segment_labels": "every segment of a scam call is positive (as in text mode)",
        "latency": "after the deciding segment: ASR + query embedding + neighbour search + strategy update, "
                   "measured per segment on this machine; averaged over flagged scam calls",
        "embedder": embedder_id,
        "phrase_library": {"content_hash": lib.content_hash, "entries": len(lib.entries), "model_id": lib.model_id},
        "strategies": {n: strategy_config["strategies"].get(n) for n in names},
        "neighbours_k": strategy_config["neighbours_k"],
        "calibration_provenance": strategy_config.get("provenance"),
        "sweep_calls": sweep_calls,
        "synthesis": synth_manifest,
        "platform": {"python": platform.python_version(), "machine": platform.machine()},
        "timing": timing,
    }


__all__ = ["DEFAULT_STRATEGY", "evaluate_window", "build_document", "config_section", "balanced_subset"]
