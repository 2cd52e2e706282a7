"""Detection strategies: A1–A4 of seed paper 004 and our calibrated default.

``create(name, config, entries)`` builds one. ``config`` is a (possibly partial)
calibration config merged over ``scamguard/data/calibration.json``; ``entries`` are the
phrase-library entries (needed by A2 and default for the seed-001 keyword weights).
Names: A1, A2, A3, A4 (paper literal: cosine 0.80, 3 of 5), A4cal (A4 with a calibrated
cosine threshold), default.
"""
from __future__ import annotations

from ..keywords import KeywordModel
from .a1_transcript import A1Transcript
from .a2_keywords import A2Keywords
from .a3_segment import A3Segment
from .a4_vote import A4Vote
from .base import Decision, SegmentEvidence, Strategy
from .config import load_config, with_overrides
from .default import DefaultStrategy

NAMES = ("A1", "A2", "A3", "A4", "A4cal", "default")

_KW_CACHE: dict[int, tuple[object, KeywordModel]] = {}


def keyword_model(entries, config: dict) -> KeywordModel:
    """Seed-001 weights learned from the library (cached per entries object)."""
    key = id(entries)
    hit = _KW_CACHE.get(key)
    if hit is not None and hit[0] is entries:
        return hit[1]
    model = KeywordModel.from_entries(entries, config.get("keywords"))
    _KW_CACHE[key] = (entries, model)
    return model


def create(name: str, config: dict | None = None, entries=None, embedder: str | None = None) -> Strategy:
    """``embedder``: model id of the vectors the strategy will see, when known (see DefaultStrategy)."""
    cfg = with_overrides(config)
    params = cfg["strategies"].get(name)
    if name not in NAMES or params is None:
        raise ValueError(f"unknown strategy {name!r}; choose from {', '.join(NAMES)}")
    if name == "A1":
        return A1Transcript(params["threshold"])
    if name == "A3":
        return A3Segment(params["threshold"])
    if name in ("A4", "A4cal"):
        return A4Vote(params["threshold"], params["k"], params["n"], name=name)
    if entries is None:
        raise ValueError(f"strategy {name} needs the phrase-library entries (create(..., entries=library.entries))")
    kw = keyword_model(entries, cfg)
    if name == "A2":
        return A2Keywords(kw, params["threshold"])
    return DefaultStrategy(params, kw, cfg["neighbours_k"], embedder=embedder)


__all__ = ["create", "NAMES", "Decision", "SegmentEvidence", "Strategy", "load_config", "keyword_model"]
