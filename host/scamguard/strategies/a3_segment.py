"""A3 (paper 004 §4.3): per-segment semantic similarity.

A segment raises an alert when its best cosine to any scam-library entry reaches the
threshold. Each segment is judged alone, so one ambiguous sentence can trigger it.
"""
from __future__ import annotations

from .base import Decision, SegmentEvidence, describe_matches, format_matches, split_neighbours, top_sim


class A3Segment:
    name = "A3"

    def __init__(self, threshold: float):
        self.threshold = float(threshold)

    def new_call(self) -> dict:
        return {"trajectory": [], "last": None}

    def update(self, state: dict, ev: SegmentEvidence) -> Decision:
        scam, _ = split_neighbours(ev.neighbours)
        s1 = top_sim(scam)
        alert = s1 >= self.threshold
        state["trajectory"].append(round(s1, 4))
        fraud_type, tactics, matches = describe_matches(scam)
        expl = f"A3 best scam cosine {s1:.3f} {'>=' if alert else '<'} {self.threshold:.3f}; {format_matches(scam)}"
        d = Decision(alert, "scam" if alert else "safe", max(0.0, min(1.0, s1)),
                     fraud_type if alert else None, tactics if alert else [], expl, matches,
                     list(state["trajectory"]))
        state["last"] = d
        return d

    def finish(self, state: dict, ev: SegmentEvidence | None) -> Decision:
        last = state["last"]
        return last if last is not None else Decision(False, "safe", 0.0, None, [], "A3: no segments")
