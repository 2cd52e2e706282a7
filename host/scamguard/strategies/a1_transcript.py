"""A1 (paper 004 §4.1): full-transcript semantic classification, post-call.

Nothing is decided while the call runs. At the end, the embedding of the whole transcript
is compared with the scam library; the call is flagged when its best cosine reaches the
threshold. Time to alert is therefore the end of the call.
"""
from __future__ import annotations

from .base import Decision, SegmentEvidence, describe_matches, format_matches, safe_decision, split_neighbours, top_sim


class A1Transcript:
    name = "A1"

    def __init__(self, threshold: float):
        self.threshold = float(threshold)

    def new_call(self) -> dict:
        return {"segments": 0}

    def update(self, state: dict, ev: SegmentEvidence) -> Decision:
        state["segments"] += 1
        return safe_decision("A1 decides after the call ends (post-call analysis)")

    def finish(self, state: dict, ev: SegmentEvidence | None) -> Decision:
        if ev is None:
            return safe_decision("A1: no transcript")
        scam, _ = split_neighbours(ev.neighbours)
        s1 = top_sim(scam)
        alert = s1 >= self.threshold
        fraud_type, tactics, matches = describe_matches(scam)
        expl = (f"A1 whole transcript: best scam cosine {s1:.3f} "
                f"{'>=' if alert else '<'} {self.threshold:.3f}; {format_matches(scam)}")
        return Decision(alert, "scam" if alert else "safe", max(0.0, min(1.0, s1)),
                        fraud_type if alert else None, tactics if alert else [], expl, matches, [s1])
