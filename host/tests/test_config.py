"""Daemon config files: validated, one-line errors naming the key, precedence below flags."""
import json

import pytest
from click.testing import CliRunner

from scamguard.daemon import cli, config
from scamguard.daemon.fakeboard import FakeEngine


def write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text)
    return p


def test_valid_toml_and_json(tmp_path):
    calib = write(tmp_path, "calib.json", "{}")
    p = write(tmp_path, "d.toml", f"""
[daemon]
transports = ["serial:///dev/ttyUSB0?baud=115200", "ble://AA:BB:CC:DD:EE:FF"]
workers = 2
queue_limit = 4
status_interval_s = 5
log_transcripts = false
[engine]
language = "en"
calibration = "{calib}"
""")
    got = config.load(p)
    assert got["ports"] == ("serial:///dev/ttyUSB0?baud=115200", "ble://AA:BB:CC:DD:EE:FF")
    assert got["workers"] == 2 and got["queue_limit"] == 4 and got["status_interval"] == 5.0
    assert got["language"] == "en" and got["config"] == str(calib)
    j = write(tmp_path, "d.json", json.dumps({"daemon": {"baud": 460800}}))
    assert config.load(j) == {"baud": 460800}


@pytest.mark.parametrize("body,key,why", [
    ('[daemon]\nqueue_limit = "eight"', "daemon.queue_limit", "integer in 1..1000"),
    ("[daemon]\nqueue_limit = 0", "daemon.queue_limit", "integer in 1..1000"),
    ("[daemon]\nworkers = true", "daemon.workers", "integer"),
    ("[daemon]\nqueu_limit = 3", "daemon.queu_limit", "unknown key"),
    ('[daemon]\ntransports = ["tcp://x"]', "daemon.transports", "unknown transport scheme"),
    ("[daemon]\ntransports = []", "daemon.transports", "non-empty list"),
    ('[engine]\nlanguage = "fr"', "engine.language", "one of auto, zh, en"),
    ('[engine]\ncalibration = "/nonexistent.json"', "engine.calibration", "existing file"),
    ("[daemon]\nlog_transcripts = 1", "daemon.log_transcripts", "true or false"),
    ("[server]\nport = 1", "server", "unknown section"),
])
def test_bad_value_names_the_key_in_one_line(tmp_path, body, key, why):
    p = write(tmp_path, "d.toml", body)
    with pytest.raises(config.ConfigError) as info:
        config.load(p)
    msg = str(info.value)
    assert f": {key}:" in msg and why in msg and "\n" not in msg


def test_syntax_error_is_one_line(tmp_path):
    with pytest.raises(config.ConfigError, match=r"not valid TOML") as info:
        config.load(write(tmp_path, "d.toml", "[daemon\nx=1"))
    assert "\n" not in str(info.value)
    with pytest.raises(config.ConfigError, match="cannot read"):
        config.load(tmp_path / "missing.toml")


@pytest.fixture
def captured(monkeypatch):
    """Run the CLI without models or boards: capture what it would serve."""
    seen = {}

    async def fake_serve(transports, engine, timeline, stop=None, workers=1, options=None):
        seen.update(transports=transports, workers=workers, options=options, timeline=timeline)
        return []

    monkeypatch.setattr(cli, "build_engine", lambda *a: FakeEngine())
    monkeypatch.setattr(cli, "serve", fake_serve)
    return seen


def test_cli_bad_config_exits_2_with_one_line(tmp_path, captured):
    p = write(tmp_path, "d.toml", "[daemon]\nqueue_limit = -1\n")
    r = CliRunner().invoke(cli.main, ["--config-file", str(p)])
    assert r.exit_code == 2
    lines = [ln for ln in r.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and "daemon.queue_limit" in lines[0] and lines[0].startswith("host-daemon: error:")
    assert not captured  # nothing was started


def test_cli_precedence_flag_over_env_over_file(tmp_path, captured, monkeypatch):
    p = write(tmp_path, "d.toml", '[daemon]\ntransports = ["/dev/ttyFILE"]\nqueue_limit = 3\nworkers = 2\n'
                                  "status_interval_s = 7\n")
    monkeypatch.setenv("SCAMGUARD_DAEMON_WORKERS", "4")
    r = CliRunner().invoke(cli.main, ["--config-file", str(p), "--queue-limit", "5"])
    assert r.exit_code == 0, r.output
    assert [t.port for t in captured["transports"]] == ["/dev/ttyFILE"]
    assert captured["options"].queue_limit == 5  # flag beats file
    assert captured["workers"] == 4  # environment beats file
    assert captured["options"].status_interval_s == 7.0  # file beats default


def test_cli_bad_uri_is_one_line(captured):
    r = CliRunner().invoke(cli.main, ["--port", "ble://nope"])
    assert r.exit_code == 2 and "not a BLE address" in r.output and len(r.output.strip().splitlines()) == 1
