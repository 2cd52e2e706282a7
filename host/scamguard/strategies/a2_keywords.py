"""A2 (paper 004 §4.2) with seed 001's weighted rule: per-segment keyword matching.

Each segment is scored on its own: the degree-of-correlation weights of the keywords it
contains are summed, and the segment raises an alert when the sum reaches Tk. No
embeddings are used.
"""
from __future__ import annotations

from ..keywords import KeywordModel
from .base import Decision, SegmentEvidence


class A2Keywords:
    name = "A2"

    def __init__(self, model: KeywordModel, threshold: float):
        self.model = model
        self.threshold = float(threshold)

    def new_call(self) -> dict:
        return {"trajectory": []}

    def update(self, state: dict, ev: SegmentEvidence) -> Decision:
        hits = self.model.hits(ev.text, ev.lang)
        total = sum(w for _, w in hits)
        alert = total >= self.threshold
        # score: the rule's sum relative to twice the threshold, clipped to 0..1
        score = max(0.0, min(1.0, total / (2 * self.threshold))) if self.threshold > 0 else float(alert)
        state["trajectory"].append(round(score, 4))
        shown = ", ".join(f"{w}({c:.1f})" for w, c in hits[:6]) or "none"
        expl = f"A2 keywords sum {total:.1f} {'>=' if alert else '<'} Tk {self.threshold:.1f}; hits: {shown}"
        return Decision(alert, "scam" if alert else "safe", score, None, [], expl,
                        [(w, round(c, 2)) for w, c in hits[:6]], list(state["trajectory"]))

    def finish(self, state: dict, ev: SegmentEvidence | None) -> Decision:
        return Decision(False, "safe", state["trajectory"][-1] if state["trajectory"] else 0.0,
                        None, [], "A2: call ended", [], list(state["trajectory"]))
