"""Call- and segment-level metrics (paper 004 §5.3, architecture contract §6).

Call level: a call is flagged when the strategy alerted at any point; time to alert is
measured from the start of the call and averaged over the *scam* calls that were flagged.
Segment level: every segment of a scam call counts as positive and every segment of a
benign call as negative. This is a simplification of the paper, which labelled only the
scam-relevant segments, so segment recall here is a pessimistic lower bound (a scam call's
small talk counts as a missed positive).
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Confusion:
    tp: int = 0
    fp: int = 0
    tn: int = 0
    fn: int = 0

    def add(self, truth: bool, predicted: bool) -> None:
        if truth and predicted:
            self.tp += 1
        elif truth:
            self.fn += 1
        elif predicted:
            self.fp += 1
        else:
            self.tn += 1

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def fpr(self) -> float:
        return self.fp / (self.fp + self.tn) if self.fp + self.tn else 0.0


def peak_score_auc(calls: list[dict], name: str) -> float | None:
    """ROC AUC of each call's highest score over the call: the chance that a random scam call
    peaks above a random benign one (ties count half). Threshold-free, so it compares how well
    two calibrations *rank* calls when a handful of calls would swing recall and FPR."""
    pos = [c["peak_score"][name] for c in calls if c["label"] == "scam" and name in c.get("peak_score", {})]
    neg = [c["peak_score"][name] for c in calls if c["label"] != "scam" and name in c.get("peak_score", {})]
    if not pos or not neg:
        return None
    wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
    return wins / (len(pos) * len(neg))


def _r(x: float | None) -> float | None:
    return None if x is None else round(float(x), 4)


def strategy_metrics(calls: list[dict], name: str, segment_level: bool = True) -> dict:
    """Metrics for one strategy from the per-call records.

    Each record: ``label``, ``alerted[name]``, ``time_to_alert_s[name]`` and (for segment
    strategies) ``seg_alerts[name]``, a list of per-segment alert booleans.
    """
    call_cm, seg_cm = Confusion(), Confusion()
    times = []
    for c in calls:
        truth = c["label"] == "scam"
        flagged = bool(c["alerted"][name])
        call_cm.add(truth, flagged)
        if truth and flagged and c["time_to_alert_s"][name] is not None:
            times.append(c["time_to_alert_s"][name])
        if segment_level:
            for a in c["seg_alerts"][name]:
                seg_cm.add(truth, bool(a))
    return {
        "precision": _r(call_cm.precision),
        "recall": _r(call_cm.recall),
        "f1": _r(call_cm.f1),
        "fpr": _r(call_cm.fpr),
        "auc": _r(peak_score_auc(calls, name)),
        "mean_time_to_alert_s": _r(sum(times) / len(times)) if times else None,
        "segment_precision": _r(seg_cm.precision) if segment_level else None,
        "segment_recall": _r(seg_cm.recall) if segment_level else None,
        "counts": {"tp": call_cm.tp, "fp": call_cm.fp, "tn": call_cm.tn, "fn": call_cm.fn},
    }
