"""Threshold selection, the A4 statistic, the logistic fit and the written config."""
import math

import numpy as np
import pytest
from click.testing import CliRunner

from scamguard.calibrate import a4_statistic, accumulate, fit_logistic, pick_threshold
from scamguard.strategies import create
from scamguard.strategies.config import load_config


def test_pick_threshold_best_f1_within_fpr_budget():
    pos = np.array([0.95, 0.93, 0.91, 0.85])
    neg = np.array([0.92, 0.80, 0.70, 0.60, 0.50, 0.40, 0.30, 0.20, 0.10, 0.05])
    thr, st = pick_threshold(pos, neg, target_fpr=0.0)
    assert thr == pytest.approx((0.93 + 0.92) / 2)  # halfway to the next lower observed score
    assert st["recall"] == 0.5 and st["fpr"] == 0.0
    thr, st = pick_threshold(pos, neg, target_fpr=0.1)  # one benign call may alert
    assert thr == pytest.approx((0.85 + 0.80) / 2) and st["recall"] == 1.0 and st["fpr"] == 0.1


def test_pick_threshold_without_any_feasible_alert():
    thr, st = pick_threshold(np.array([0.5]), np.array([0.9]), target_fpr=0.0)
    assert thr > 0.9 and st["recall"] == 0.0


def test_a4_statistic_is_the_kth_best_in_the_best_window():
    assert a4_statistic([0.9, 0.7, 0.85, 0.95, 0.1, 0.1, 0.1], 3, 5) == pytest.approx(0.85)
    assert a4_statistic([0.9, 0.9], 3, 5) == -math.inf
    # 0.99 and 0.98 are 5 segments apart: never in the same 5-window with a third
    assert a4_statistic([0.99, 0.1, 0.1, 0.1, 0.1, 0.98, 0.97], 3, 5) == pytest.approx(0.1)


def test_accumulate_matches_the_strategy_update():
    assert list(accumulate(np.array([1.0, 2.0, -3.0]), 0.5, 1.0)) == [1.0, 2.5, -1.0]


def test_logistic_fit_respects_sign_constraints():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(400, 2))
    y = (x[:, 0] + 0.5 * x[:, 1] + 0.3 * rng.normal(size=400) > 0).astype(float)
    w, _ = fit_logistic(x, y)
    assert w[0] > 0 and w[1] > 0
    w, _ = fit_logistic(x, y, signs=[1, -1])
    assert w[0] > 0 and w[1] == pytest.approx(0.0, abs=1e-6)


@pytest.mark.parametrize("probe", [False, True])
def test_calibrate_command_writes_a_loadable_config(tmp_path, fake_engine, probe):
    from scamguard.cli import main
    from test_evaluation import write_corpus

    emb, lib = fake_engine
    corpus = write_corpus(tmp_path / "calls.jsonl")
    out = tmp_path / "cal.json"
    res = CliRunner().invoke(main, ["calibrate", str(corpus), "--out", str(out), "--target-fpr", "0.0",
                                    "--window", "2"] + (["--probe"] if probe else []))
    assert res.exit_code == 0, res.output
    cfg = load_config(out)
    prov = cfg["provenance"]
    assert prov["corpus_sha256"] and prov["n_calls"] == 4 and prov["window_s"] == 2.0 and "calibrate" in prov["command"]
    for name in ("A1", "A2", "A3", "A4", "A4cal", "default"):
        strat = create(name, cfg, entries=lib.entries)
        assert strat.name == name
    assert cfg["strategies"]["A4"]["threshold"] == 0.80  # the paper's literal value is kept
    d = cfg["strategies"]["default"]
    assert len(d["features"]) == len(d["weights"]) == len(d["mean"]) == len(d["std"])
    assert d["suspicious"] <= d["scam"]
    if probe:
        assert d["probe"]["embedder"] == lib.model_id and len(d["probe"]["weights"]) == np.asarray(lib.vectors).shape[1]
    else:  # off by default: no probe section and no probe feature
        assert "probe" not in d and "probe" not in d["features"]
    assert prov["probe"] is probe


def test_packaged_config_is_valid():
    cfg = load_config()
    assert {"A1", "A2", "A3", "A4", "A4cal", "default"} <= set(cfg["strategies"])
    assert cfg["strategies"]["A4"] == {"threshold": 0.80, "k": 3, "n": 5}


def test_language_offsets_put_languages_on_one_scale():
    from types import SimpleNamespace

    import numpy as np

    from scamguard.calibrate import language_offsets

    def unit(v):
        v = np.asarray(v, dtype=np.float32)
        return v / np.linalg.norm(v)

    # zh scam pair at cosine 0.96, en scam pair at 0.90: offsets are +-0.03 around the mean.
    vecs = np.stack([unit([1, 0, 0]), unit([0.96, np.sqrt(1 - 0.96**2), 0]),
                     unit([0, 0, 1]), unit([0, np.sqrt(1 - 0.90**2), 0.90])])
    entries = [SimpleNamespace(lang=lang, label="scam") for lang in ("zh", "zh", "en", "en")]
    off = language_offsets(SimpleNamespace(vectors=vecs, entries=entries))
    assert off == {"en": 0.03, "zh": -0.03}
