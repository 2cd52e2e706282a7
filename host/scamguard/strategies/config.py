"""Strategy configuration: the committed calibration file plus documented fallbacks.

``scamguard calibrate`` writes ``scamguard/data/calibration.json``. Every number a
strategy uses comes from there; ``FALLBACK`` below only fills keys the file lacks (for
example before the first calibration), and each value says where it comes from.
"""
from __future__ import annotations

import copy
import json
from importlib import resources
from pathlib import Path

FALLBACK: dict = {
    "version": 1,
    # neighbours searched per label (scam and benign) for every segment
    "neighbours_k": 5,
    "keywords": {},  # scamguard.keywords.DEFAULTS apply
    "strategies": {
        # A1: cosine of the whole transcript to its best scam entry; 0.80 is the paper's value
        "A1": {"threshold": 0.80},
        # A2: seed 001 rule R = sum corr - Tk >= 0; 18 is that paper's best Tk for 200 keywords
        "A2": {"threshold": 18.0},
        # A3/A4: the paper's literal cosine threshold and its 3-of-5 vote
        "A3": {"threshold": 0.80},
        "A4": {"threshold": 0.80, "k": 3, "n": 5},
        "A4cal": {"threshold": 0.80, "k": 3, "n": 5},
        # default: uncalibrated it only uses the scam-minus-benign margin (weight 1 per
        # unit of cosine margin x 20, i.e. a margin of 0.05 is one nat of evidence)
        "default": {
            "features": ["margin"],
            "mean": [0.0],
            "std": [0.05],
            "weights": [1.0],
            "bias": 0.0,
            "prior": 0.5,
            "leak": 0.8,
            "cap": 3.0,
            "floor": 2.0,
            "suspicious": 2.0,
            "scam": 4.0,
        },
    },
}


def default_config_path() -> Path:
    return Path(str(resources.files("scamguard") / "data" / "calibration.json"))


def _merge(base: dict, over: dict) -> dict:
    out = copy.deepcopy(base)
    for k, v in over.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = _merge(out[k], v)
        else:
            out[k] = copy.deepcopy(v)
    return out


def load_config(path: str | Path | None = None) -> dict:
    """The calibration file (``path`` or the packaged one) merged over ``FALLBACK``."""
    p = Path(path) if path else default_config_path()
    if not p.exists():
        if path:
            raise FileNotFoundError(f"calibration config not found: {p}")
        return copy.deepcopy(FALLBACK)
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{p}: not valid JSON ({exc})") from exc
    return _merge(FALLBACK, data)


def with_overrides(config: dict | None) -> dict:
    """A full config: ``config`` (possibly partial) over the packaged one.

    A strategy section that ``config`` gives replaces the packaged section as a whole (filled
    from ``FALLBACK`` only), so optional keys of the packaged calibration, such as the
    default strategy's per-language sections or its probe, never leak into another
    calibration."""
    config = config or {}
    out = _merge(load_config(), {k: v for k, v in config.items() if k != "strategies"})
    for name, section in (config.get("strategies") or {}).items():
        out["strategies"][name] = _merge(FALLBACK["strategies"].get(name, {}), section)
    return out
