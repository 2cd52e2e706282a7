"""Shared types for the detection strategies (A1–A4 of seed paper 004, and our default).

The Engine (and the text-mode evaluator) feeds each strategy one ``SegmentEvidence`` per
audio segment, in call order, and gets a ``Decision`` back. A strategy keeps its per-call
memory in the opaque state object returned by ``new_call()``, so one strategy instance can
serve many calls at once.

Neighbour contract: ``neighbours`` holds the ``k`` nearest *scam* entries and the ``k``
nearest *benign* entries of the phrase library (k = ``config["neighbours_k"]``), merged and
sorted by cosine, highest first. Searching each label separately matters: with an
unfiltered top-k a segment close to many benign entries would hide its best scam match,
and A3/A4 are defined on the best scam match.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

import numpy as np

LEVELS = ("safe", "suspicious", "scam")


@dataclass(frozen=True)
class SegmentEvidence:
    """What the pipeline knows about one segment when a strategy sees it."""

    text: str
    lang: str
    t_start_s: float
    t_end_s: float
    qvec: np.ndarray
    neighbours: list  # list[tuple[PhraseEntry, float]], see the module docstring
    kws_hits: int = 0  # keyword-spotter hits the board reported for this segment
    # The same segment seen through the text of the last n segments, by n (context.py); built
    # only for the n some strategy asks for. A view itself says its n in ``context_n``.
    contexts: dict = field(default_factory=dict)
    context_n: int = 1


@dataclass(frozen=True)
class Decision:
    """A strategy's verdict after a segment (or at the end of the call for A1)."""

    alert: bool
    level: str  # one of LEVELS
    score: float  # 0..1, strategy-specific confidence that the call is a scam
    fraud_type: str | None
    tactics: list[str]
    explanation: str
    matches: list[tuple[str, float]] = field(default_factory=list)  # (entry id, cosine), best first
    trajectory: list[float] = field(default_factory=list)  # score after each segment so far

    def __post_init__(self) -> None:
        if self.level not in LEVELS:
            raise ValueError(f"level must be one of {LEVELS}, got {self.level!r}")


@runtime_checkable
class Strategy(Protocol):
    name: str

    def new_call(self) -> Any:
        """Fresh per-call state."""

    def update(self, state: Any, ev: SegmentEvidence) -> Decision:
        """Consume the next segment of the call and return the current verdict."""

    def finish(self, state: Any, ev: SegmentEvidence | None) -> Decision:
        """The call ended. ``ev`` is evidence for the *whole transcript* (text, embedding,
        neighbours); only A1 needs it, the segment strategies return their last verdict."""


# ---------------------------------------------------------------------------- helpers

def split_neighbours(neighbours) -> tuple[list, list]:
    """(scam, benign) neighbour lists, each sorted by cosine descending."""
    scam = sorted((n for n in neighbours if n[0].label == "scam"), key=lambda n: -n[1])
    benign = sorted((n for n in neighbours if n[0].label != "scam"), key=lambda n: -n[1])
    return scam, benign


def top_sim(neigh: list, default: float = 0.0) -> float:
    """Best cosine in a neighbour list; ``default`` when the list is empty (no library
    entries of that label: nothing to be similar to)."""
    return float(neigh[0][1]) if neigh else default


def describe_matches(scam: list, limit: int = 3) -> tuple[str | None, list[str], list[tuple[str, float]]]:
    """Fraud type (majority of the matched scam neighbours, ties broken by the best
    cosine), tactics (union in order of first appearance) and (id, cosine) pairs."""
    top = scam[:limit]
    if not top:
        return None, [], []
    votes = Counter(e.fraud_type for e, _ in top if e.fraud_type)
    fraud_type = None
    if votes:
        best = max(votes.values())
        # first in cosine order among the most-voted types
        fraud_type = next(e.fraud_type for e, _ in top if e.fraud_type and votes[e.fraud_type] == best)
    tactics: list[str] = []
    for e, _ in top:
        for t in getattr(e, "tactics", None) or []:
            if t not in tactics:
                tactics.append(t)
    return fraud_type, tactics, [(str(e.id), round(float(s), 4)) for e, s in top]


def format_matches(scam: list, limit: int = 3) -> str:
    return "; ".join(f"{e.id} ({s:.3f}): {e.text[:40]}" for e, s in scam[:limit]) or "no scam neighbours"


def safe_decision(explanation: str, score: float = 0.0, trajectory: list[float] | None = None) -> Decision:
    return Decision(False, "safe", float(score), None, [], explanation, [], list(trajectory or []))
