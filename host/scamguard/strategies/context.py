"""Context views: a strategy may score the text of the last n segments instead of one segment's.

Why: a 3 s cut holds about eight English words, often half a sentence ("could you pick up some
groceries? give cards for them"), and its embedding sits near nothing in the phrase library,
whose entries are whole sentences. The text of the last few cuts reads like those sentences.
Only the vector and its neighbours change: the view keeps the segment's own text (so the
keyword rule counts each word once), language, times and keyword-spotter hits, and a verdict
still comes after every segment. Measured in docs/results/test_en.md (seventh session): it
helped on the calls it was chosen on and not on fresh ones, and it makes the Engine embed a
longer text, so the packaged calibration does not use it (every section has context 1).

A strategy declares how many segments it wants with ``context_segments(state, lang)``
(1 = the segment alone; A1–A4 never ask for more, they are the paper's per-segment methods).
Whoever builds evidence (text runner, audio pipeline, Engine) embeds the context text and
hands each strategy the view it asked for.
"""
from __future__ import annotations

import dataclasses
from typing import Sequence

from .base import SegmentEvidence


class ContextError(ValueError):
    """A strategy wants a context the evidence was not built with."""


def context_text(texts: Sequence[str], n: int) -> str:
    """The last ``n`` non-empty texts, oldest first, joined by single spaces."""
    if n < 1:
        raise ValueError(f"context must be at least 1 segment, got {n}")
    kept = [t for t in texts if t and t.strip()]
    return " ".join(kept[-n:])


def wanted_context(strategy, state, lang: str) -> int:
    """How many segments ``strategy`` scores at once for this call (1 unless it says more)."""
    ask = getattr(strategy, "context_segments", None)
    return int(ask(state, lang)) if ask is not None else 1


def with_context(ev: SegmentEvidence, n: int, qvec, neighbours) -> SegmentEvidence:
    """``ev`` also carrying its n-segment view (vector and neighbours of the context text)."""
    view = dataclasses.replace(ev, qvec=qvec, neighbours=neighbours, contexts={}, context_n=n)
    return dataclasses.replace(ev, contexts={**ev.contexts, n: view})


def view(ev: SegmentEvidence, n: int) -> SegmentEvidence:
    """The evidence a strategy that scores ``n`` segments at once should see."""
    if n <= 1:
        return ev
    if n not in ev.contexts:
        have = (", ".join(f"{k}-segment" for k in sorted(ev.contexts)) + " contexts") if ev.contexts else "no contexts"
        raise ContextError(f"the strategy scores {n}-segment contexts but the evidence was built with {have}; "
                           "build it with the strategy's context (scamguard eval/calibrate do this from the config)")
    return ev.contexts[n]


def needed_contexts(strategies) -> tuple[int, ...]:
    """Every context (> 1) the evidence for these strategies must carry, smallest first
    (a language section may use another context than the main one)."""
    wanted = set()
    for s in strategies:
        wanted |= set(getattr(s, "contexts", {1}))
    return tuple(sorted(n for n in wanted if n > 1))
