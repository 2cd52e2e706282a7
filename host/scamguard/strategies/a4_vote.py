"""A4 (paper 004 §4.4): semantic voting across segments.

A segment *qualifies* when its best scam cosine reaches the threshold (as in A3). The call
is flagged when at least ``k`` of the last ``n`` segments qualify (paper: 3 of 5, cosine
0.80). Fewer than ``n`` segments so far count as a window of what exists.
"""
from __future__ import annotations

from collections import deque

from .base import Decision, SegmentEvidence, describe_matches, format_matches, split_neighbours, top_sim


class A4Vote:
    def __init__(self, threshold: float, k: int, n: int, name: str = "A4"):
        if not 1 <= int(k) <= int(n):
            raise ValueError(f"A4 needs 1 <= k <= n, got k={k}, n={n}")
        self.name = name
        self.threshold = float(threshold)
        self.k, self.n = int(k), int(n)

    def new_call(self) -> dict:
        return {"votes": deque(maxlen=self.n), "scam": deque(maxlen=self.n), "trajectory": [], "last": None}

    def update(self, state: dict, ev: SegmentEvidence) -> Decision:
        scam, _ = split_neighbours(ev.neighbours)
        s1 = top_sim(scam)
        qualifies = s1 >= self.threshold
        state["votes"].append(qualifies)
        state["scam"].append(scam if qualifies else [])
        votes = sum(state["votes"])
        alert = votes >= self.k
        score = votes / self.n
        state["trajectory"].append(round(score, 4))
        # explain with the matches of the qualifying segments in the window
        pooled = sorted((m for seg in state["scam"] for m in seg), key=lambda m: -m[1])
        fraud_type, tactics, matches = describe_matches(pooled, limit=5)
        level = "scam" if alert else ("suspicious" if votes > 0 else "safe")
        expl = (f"{self.name} {votes}/{len(state['votes'])} of last {self.n} segments with scam cosine "
                f">= {self.threshold:.3f} (need {self.k}); this segment {s1:.3f}; {format_matches(pooled)}")
        d = Decision(alert, level, score, fraud_type if votes else None, tactics if votes else [], expl,
                     matches, list(state["trajectory"]))
        state["last"] = d
        return d

    def finish(self, state: dict, ev: SegmentEvidence | None) -> Decision:
        last = state["last"]
        return last if last is not None else Decision(False, "safe", 0.0, None, [], f"{self.name}: no segments")
