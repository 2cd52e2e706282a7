"""The threshold-free ranking figure of the evaluation tables."""
from scamguard.evaluation.metrics import peak_score_auc, strategy_metrics


def rec(label, peak, alerted=False):
    return {"label": label, "alerted": {"d": alerted}, "time_to_alert_s": {"d": 10.0 if alerted else None},
            "seg_alerts": {"d": [alerted]}, "peak_score": {"d": peak}}


def test_auc_counts_pairs_and_half_ties():
    calls = [rec("scam", 0.9), rec("scam", 0.4), rec("benign", 0.5), rec("benign", 0.4)]
    # pairs (scam, benign): 0.9>0.5, 0.9>0.4, 0.4<0.5, 0.4=0.4 -> (1 + 1 + 0 + 0.5) / 4
    assert peak_score_auc(calls, "d") == 0.625
    assert strategy_metrics(calls, "d")["auc"] == 0.625


def test_auc_is_absent_without_both_labels_or_scores():
    assert peak_score_auc([rec("scam", 0.9)], "d") is None
    assert peak_score_auc([{"label": "scam"}, {"label": "benign"}], "d") is None
