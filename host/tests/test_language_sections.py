"""A default-strategy section per language (`scamguard calibrate --for-lang`): each call is
scored with its language's numbers, the others keep the main section."""
import json
from dataclasses import replace

import pytest
from click.testing import CliRunner

from scamguard.strategies import create
from scamguard.strategies.config import load_config
from test_strategies import DEFAULT_PARAMS, ENTRIES, ev

# English calls alert at evidence 1.0 instead of 2.0, with no leak.
EN = {**DEFAULT_PARAMS, "scam": 1.0, "suspicious": 0.5, "leak": 1.0}
CONFIG = {"strategies": {"default": {**DEFAULT_PARAMS, "languages": {"en": EN}}}}


def _call(strat, lang, margins):
    state = strat.new_call()
    out = [strat.update(state, replace(ev(0.5 + m, 0.5, i), lang=lang)) for i, m in enumerate(margins)]
    return state, out


def test_each_call_uses_its_languages_section():
    strat = create("default", CONFIG, entries=ENTRIES)
    # margin 0.05 = 1 nat: the English section alerts on the first segment, the main one does not
    state, out = _call(strat, "en", [0.05])
    assert out[0].alert and state["lang"] == "en"
    state, out = _call(strat, "zh", [0.05])
    assert not out[0].alert and out[0].level == "suspicious" and state["L"] == pytest.approx(1.0)
    # English without leak: 1 + 1 = 2; main section with leak 0.5: 1 * 0.5 + 1 = 1.5
    state, _ = _call(strat, "en", [0.05, 0.05])
    assert state["L"] == pytest.approx(2.0)
    state, _ = _call(strat, "zh", [0.05, 0.05])
    assert state["L"] == pytest.approx(1.5)


def test_the_first_segments_language_holds_for_the_whole_call():
    strat = create("default", CONFIG, entries=ENTRIES)
    state = strat.new_call()
    strat.update(state, replace(ev(0.5, 0.5, 0), lang="zh"))
    d = strat.update(state, replace(ev(0.55, 0.5, 1), lang="en"))  # a misrecognised language later on
    assert state["lang"] == "zh" and not d.alert


@pytest.mark.parametrize("languages, message", [
    ({"en": {**EN, "languages": {"zh": EN}}}, "cannot hold its own"),
    ({"en": {k: v for k, v in EN.items() if k != "scam"}}, "section 'en' lacks scam"),
    ({"en": [1, 2]}, "section 'en' must be an object"),
    (["en"], "'languages' must map"),
])
def test_malformed_language_sections_are_clear_errors(languages, message):
    bad = {"strategies": {"default": {**DEFAULT_PARAMS, "languages": languages}}}
    with pytest.raises(ValueError, match=message):
        create("default", bad, entries=ENTRIES)


def test_calibrate_for_lang_adds_a_section_and_keeps_the_rest(tmp_path, fake_engine):
    from scamguard.cli import main
    from test_evaluation import CALLS, write_corpus

    emb, lib = fake_engine
    corpus = write_corpus(tmp_path / "calls.jsonl")
    base = tmp_path / "base.json"
    base.write_text(json.dumps({"provenance": {"corpus": "taf"}, "strategies": CONFIG["strategies"] | {
        "A3": {"threshold": 0.9}}}), encoding="utf-8")
    out = tmp_path / "out.json"
    res = CliRunner().invoke(main, ["calibrate", str(corpus), "--for-lang", "zh", "--base", str(base),
                                    "--out", str(out), "--window", "2", "--target-fpr", "0.0"])
    assert res.exit_code == 0, res.output
    cfg = load_config(out)
    d = cfg["strategies"]["default"]
    assert set(d["languages"]) == {"en", "zh"} and d["languages"]["en"] == EN  # the old section is kept
    assert d["scam"] == DEFAULT_PARAMS["scam"] and cfg["strategies"]["A3"] == {"threshold": 0.9}
    assert "languages" not in d["languages"]["zh"] and len(d["languages"]["zh"]["weights"]) >= 1
    assert cfg["provenance"]["corpus"] == "taf" and cfg["provenance"]["languages"]["zh"]["n_calls"] == 4
    create("default", cfg, entries=lib.entries)  # loadable
    res = CliRunner().invoke(main, ["calibrate", str(corpus), "--base", str(base), "--out", str(out)])
    assert res.exit_code != 0 and "--base only applies with --for-lang" in res.output
    zh_only = tmp_path / "zh.jsonl"
    zh_only.write_text("".join(json.dumps(c, ensure_ascii=False) + "\n" for c in CALLS if c["lang"] == "zh"),
                       encoding="utf-8")
    res = CliRunner().invoke(main, ["calibrate", str(zh_only), "--for-lang", "en", "--base", str(base),
                                    "--out", str(out)])
    assert res.exit_code != 0 and "no 'en' call" in res.output
    broken = tmp_path / "broken.json"
    broken.write_text('{"strategies": ', encoding="utf-8")
    res = CliRunner().invoke(main, ["calibrate", str(corpus), "--for-lang", "zh", "--base", str(broken),
                                    "--out", str(tmp_path / "new.json")])
    assert res.exit_code != 0 and "--base" in res.output and "not valid JSON" in res.output
    assert not (tmp_path / "new.json").exists()


def test_a_config_without_language_sections_does_not_inherit_the_packaged_ones():
    packaged = load_config()
    assert "en" in packaged["strategies"]["default"].get("languages", {})  # the packaged calibration has one
    other = json.loads(json.dumps(packaged))
    del other["strategies"]["default"]["languages"]
    strat = create("default", other, entries=ENTRIES)
    assert strat.by_lang == {}


@pytest.mark.parametrize("body, message", [
    ('{"strategies": {"default": {"languages": {"en": {"scam": 1.0}}}}}', "section 'en' lacks features"),
    ('{"strategies": ', "not valid JSON"),
])
def test_daemon_refuses_a_corrupt_calibration_in_one_line(tmp_path, monkeypatch, body, message):
    import scamguard.engine as engine_mod
    from scamguard.daemon import cli
    from test_evaluation import fake_library

    emb, lib = fake_library()
    monkeypatch.setattr(engine_mod, "load_embedder", lambda spec: emb)
    monkeypatch.setattr(engine_mod, "ensure_library", lambda e: (lib, False))
    monkeypatch.setattr(cli, "serve", lambda *a, **k: pytest.fail("must not serve with a corrupt calibration"))
    cfg = tmp_path / "calibration.json"
    cfg.write_text(body, encoding="utf-8")
    r = CliRunner().invoke(cli.main, ["--port", "/dev/ttyNONE", "--config", str(cfg), "--asr-model", "base"])
    assert r.exit_code == 2, r.output
    lines = [ln for ln in r.output.splitlines() if ln.startswith("host-daemon: error:")]
    assert len(lines) == 1 and message in lines[0] and "cannot start the engine" in lines[0]
