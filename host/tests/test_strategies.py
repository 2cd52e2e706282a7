"""Strategies A1–A4 and the default on synthetic evidence with exact expectations."""
from dataclasses import dataclass

import numpy as np
import pytest

from scamguard.strategies import create
from scamguard.strategies.base import SegmentEvidence, describe_matches


@dataclass(frozen=True)
class Entry:
    id: str
    lang: str
    label: str
    fraud_type: str | None
    tactics: tuple
    text: str
    topic: str | None = None


SCAM_A = Entry("s-a", "en", "scam", "tech_support", ("remote_access",), "install this app so I can fix it")
SCAM_B = Entry("s-b", "en", "scam", "bank_safe_account", ("safe_account", "urgency"), "move your savings now")
SCAM_C = Entry("s-c", "en", "scam", "bank_safe_account", ("safe_account",), "a safe account protects you")
BENIGN = Entry("b-a", "en", "benign", None, (), "we will never ask for your code")
ENTRIES = [SCAM_A, SCAM_B, SCAM_C, BENIGN]


def ev(scam_cos: float, benign_cos: float = 0.5, i: int = 0, text: str = "hello", extra=()) -> SegmentEvidence:
    neigh = sorted([(SCAM_B, scam_cos), (BENIGN, benign_cos), *extra], key=lambda n: -n[1])
    return SegmentEvidence(text, "en", 5.0 * i, 5.0 * (i + 1), np.zeros(4, np.float32), neigh)


def run(strategy, cosines):
    state = strategy.new_call()
    return [strategy.update(state, ev(c, i=i)) for i, c in enumerate(cosines)]


def test_a4_paper_vote_alerts_on_third_qualifying_segment_of_five():
    a4 = create("A4", {"strategies": {"A4": {"threshold": 0.80, "k": 3, "n": 5}}})
    out = run(a4, [0.85, 0.70, 0.90, 0.60, 0.82])
    assert [d.alert for d in out] == [False, False, False, False, True]
    assert out[3].score == pytest.approx(2 / 5)
    assert out[4].score == pytest.approx(3 / 5) and out[4].level == "scam"
    assert out[4].fraud_type == "bank_safe_account"


def test_a4_two_qualifying_never_alert_and_old_votes_slide_out():
    a4 = create("A4", {"strategies": {"A4": {"threshold": 0.80, "k": 3, "n": 5}}})
    assert not any(d.alert for d in run(a4, [0.9, 0.9, 0.1, 0.1, 0.1, 0.1, 0.1]))
    # votes at 0 and 1 have left the 5-segment window when the third arrives at 5
    assert not any(d.alert for d in run(a4, [0.9, 0.9, 0.1, 0.1, 0.1, 0.9]))
    assert run(a4, [0.9, 0.1, 0.1, 0.9, 0.9])[-1].alert  # 3 of the last 5


def test_a4_rejects_impossible_vote():
    with pytest.raises(ValueError):
        create("A4", {"strategies": {"A4": {"threshold": 0.8, "k": 6, "n": 5}}})


def test_a3_alerts_per_segment_at_threshold():
    a3 = create("A3", {"strategies": {"A3": {"threshold": 0.80}}})
    out = run(a3, [0.79, 0.80, 0.5])
    assert [d.alert for d in out] == [False, True, False]
    assert out[1].trajectory == [0.79, 0.8]
    assert "s-b" in out[1].explanation


def test_a1_decides_only_after_the_call():
    a1 = create("A1", {"strategies": {"A1": {"threshold": 0.85}}})
    state = a1.new_call()
    assert not any(a1.update(state, ev(0.99, i=i)).alert for i in range(3))
    assert a1.finish(state, ev(0.86)).alert
    assert not a1.finish(a1.new_call(), ev(0.84)).alert


def test_a2_weighted_keyword_rule_per_segment():
    docs = [Entry(f"s{i}", "en", "scam", "tech_support", (), t) for i, t in
            enumerate(["buy gift cards now", "gift cards please"])] + [Entry("b", "en", "benign", None, (), "buy milk now")]
    a2 = create("A2", {"keywords": {"min_df": 1}, "strategies": {"A2": {"threshold": 250.0}}}, entries=docs)
    state = a2.new_call()
    d = a2.update(state, SegmentEvidence("pay with gift cards", "en", 0, 5, np.zeros(2), []))
    assert d.alert and "gift cards" in d.explanation  # gift + cards + "gift cards" = 300
    d = a2.update(state, SegmentEvidence("a gift for you", "en", 5, 10, np.zeros(2), []))
    assert not d.alert  # gift alone = 100


def test_create_errors_are_clear():
    with pytest.raises(ValueError, match="unknown strategy"):
        create("A9")
    with pytest.raises(ValueError, match="phrase-library entries"):
        create("default")


DEFAULT_PARAMS = {"features": ["margin"], "mean": [0.0], "std": [0.05], "weights": [1.0], "bias": 0.0,
                  "prior": 0.5, "leak": 0.5, "cap": 3.0, "floor": 1.0, "suspicious": 1.0, "scam": 2.0}


def test_default_accumulates_with_leak_cap_floor_and_latches():
    strat = create("default", {"strategies": {"default": DEFAULT_PARAMS}}, entries=ENTRIES)
    state = strat.new_call()
    # margins 0.05, 0.10, -0.20 -> llr 1, 2, -4 (capped to -3)
    d1 = strat.update(state, ev(0.55, 0.50, 0))
    assert state["L"] == pytest.approx(1.0) and d1.level == "suspicious" and not d1.alert
    d2 = strat.update(state, ev(0.60, 0.50, 1))
    assert state["L"] == pytest.approx(2.5) and d2.alert and d2.level == "scam"
    assert d2.score == pytest.approx(1 / (1 + np.exp(-0.5)))
    d3 = strat.update(state, ev(0.30, 0.50, 2))
    assert state["L"] == pytest.approx(-1.0)  # 1.25 - 3 floored at -1
    assert d3.alert and d3.level == "scam"  # the alert stays raised
    assert d3.fraud_type == "bank_safe_account" and "safe_account" in d3.tactics
    assert len(d3.trajectory) == 3 and "trajectory" in d3.explanation


def test_default_stays_safe_on_benign_evidence():
    strat = create("default", {"strategies": {"default": DEFAULT_PARAMS}}, entries=ENTRIES)
    state = strat.new_call()
    out = [strat.update(state, ev(0.5, 0.6, i)) for i in range(10)]
    assert not any(d.alert for d in out) and out[-1].level == "safe" and out[-1].fraud_type is None
    assert state["L"] == pytest.approx(-1.0)


def test_fraud_type_is_majority_of_matched_scam_neighbours():
    ft, tactics, matches = describe_matches([(SCAM_A, 0.95), (SCAM_B, 0.94), (SCAM_C, 0.93)])
    assert ft == "bank_safe_account"
    assert tactics == ["remote_access", "safe_account", "urgency"]
    assert matches[0] == ("s-a", 0.95)
