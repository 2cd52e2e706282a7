"""The default strategy's linear probe: its config, its fit, and what happens with a foreign embedder."""
import logging

import numpy as np
import pytest

from scamguard import calibrate
from scamguard.calibrate import fit_logistic, fit_probe
from scamguard.evaluation.runner import CallEvidence
from scamguard.strategies import create
from scamguard.strategies.base import SegmentEvidence
from scamguard.strategies.probe import LinearProbe
from test_strategies import BENIGN, ENTRIES, SCAM_B

PROBE = {"embedder": "toy:4", "bias": -1.0, "weights": [2.0, 0.0, 0.0, -2.0]}
PARAMS = {"features": ["margin", "probe"], "mean": [0.0, 0.0], "std": [0.05, 1.0], "weights": [1.0, 1.0],
          "bias": 0.0, "prior": 0.5, "leak": 1.0, "cap": 10.0, "floor": 10.0, "suspicious": 2.0, "scam": 4.0,
          "probe": PROBE}


def seg(vec, scam_cos=0.80, benign_cos=0.80) -> SegmentEvidence:
    neigh = sorted([(SCAM_B, scam_cos), (BENIGN, benign_cos)], key=lambda n: -n[1])
    return SegmentEvidence("x", "en", 0.0, 5.0, np.asarray(vec, np.float32), neigh)


def test_probe_scores_its_own_dimension_only():
    p = LinearProbe.from_config(PROBE)
    assert p.score(np.array([1, 0, 0, 0])) == pytest.approx(1.0)
    assert p.score(np.array([0, 0, 0, 1])) == pytest.approx(-3.0)
    assert p.score(np.zeros(3)) is None
    back = LinearProbe.from_config(p.to_config())
    assert np.array_equal(back.weights, p.weights) and (back.bias, back.embedder) == (p.bias, p.embedder)


@pytest.mark.parametrize("bad", [{}, {"embedder": "e", "bias": 0.0}, {"embedder": "e", "bias": 0.0, "weights": []},
                                 {"embedder": "e", "bias": 0.0, "weights": ["a"]},
                                 {"embedder": "e", "bias": 0.0, "weights": [float("nan")]}])
def test_malformed_probe_section_is_a_clear_error(bad):
    with pytest.raises(ValueError, match="probe"):
        LinearProbe.from_config(bad)


def test_probe_moves_the_evidence_by_its_weight():
    strat = create("default", {"strategies": {"default": PARAMS}}, entries=ENTRIES, embedder="toy:4")
    llr_scam, f = strat.segment_llr(seg([1, 0, 0, 0]))
    assert f["probe"] == pytest.approx(1.0) and llr_scam == pytest.approx(1.0)  # margin 0, probe +1
    llr_benign, _ = strat.segment_llr(seg([0, 0, 0, 1]))
    assert llr_benign == pytest.approx(-3.0)


def test_probe_of_another_embedder_is_dropped_and_said(caplog):
    with caplog.at_level(logging.WARNING):
        strat = create("default", {"strategies": {"default": PARAMS}}, entries=ENTRIES, embedder="other:4")
    assert "calibrated for toy:4, not other:4" in caplog.text
    llr, f = strat.segment_llr(seg([1, 0, 0, 0]))
    assert f["probe"] is None and llr == pytest.approx(0.0)  # neutral: only the (zero) margin counts


def test_vectors_of_another_dimension_give_no_probe_evidence(caplog):
    strat = create("default", {"strategies": {"default": PARAMS}}, entries=ENTRIES)
    with caplog.at_level(logging.WARNING):
        llr, _ = strat.segment_llr(seg([1, 0, 0], scam_cos=0.85))
    assert llr == pytest.approx(1.0)  # margin 0.05 / std 0.05; the probe is neutral
    assert "probe ignored" in caplog.text


def test_sample_weight_equals_repeating_rows():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(60, 3))
    y = (x[:, 0] + rng.normal(size=60) > 0).astype(float)
    w_rep, b_rep = fit_logistic(np.vstack([x, x[:10]]), np.concatenate([y, y[:10]]))
    sw = np.ones(60)
    sw[:10] = 2.0
    w_sw, b_sw = fit_logistic(x, y, sample_weight=sw)
    assert np.allclose(w_rep, w_sw, atol=1e-4) and b_rep == pytest.approx(b_sw, abs=1e-4)


class ToyLibrary:
    model_id = "toy:4"
    entries = ENTRIES  # three scam entries, one benign
    vectors = np.array([[1, 0, 0, 0], [1, 0.2, 0, 0], [0.9, 0, 0.1, 0], [0, 0, 0, 1]], np.float32)


def _call(i: int, scam: bool) -> CallEvidence:
    rng = np.random.default_rng(i)
    base = np.array([1, 0, 0, 0] if scam else [0, 0, 0, 1], np.float32)
    segs = [seg(base + 0.3 * rng.normal(size=4)) for _ in range(3)]
    return CallEvidence({"id": f"c{i}", "label": "scam" if scam else "benign"}, segs, None, 15.0)


def test_fit_probe_separates_and_holds_each_call_out_of_its_own_probe():
    calls = [_call(i, i % 2 == 0) for i in range(40)]
    full, held_out = fit_probe(calls, ToyLibrary)
    assert full.embedder == "toy:4" and full.dim == 4
    assert full.score(np.array([1, 0, 0, 0])) > 0 > full.score(np.array([0, 0, 0, 1]))
    assert len(held_out) == len(calls) and len({id(p) for p in held_out}) == calibrate.PROBE_FOLDS
    for ev, p in zip(calls, held_out):  # the fold's probe was fitted without this call
        assert p is not full and not np.array_equal(p.weights, full.weights)
    folds = [calibrate._fold(ev.call["id"]) for ev in calls]
    assert all(held_out[i] is held_out[j] for i in range(40) for j in range(40) if folds[i] == folds[j])


def test_probe_feature_without_its_section_is_a_clear_error():
    params = {k: v for k, v in PARAMS.items() if k != "probe"}
    with pytest.raises(ValueError, match="no 'probe' section"):
        create("default", {"strategies": {"default": params}}, entries=ENTRIES)
