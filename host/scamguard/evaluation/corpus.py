"""Read and validate a corpus file (ARCHITECTURE.md §4, one call per JSONL line).

Every problem is reported as ``file:line: message``; nothing is skipped silently.
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

LABELS = ("scam", "benign")
LANGS = ("zh", "en")
SPEAKERS = ("caller", "callee")


class CorpusError(Exception):
    """A corpus line breaks the format; the message names file:line."""


def validate_call(obj: object) -> list[str]:
    if not isinstance(obj, dict):
        return [f"expected a JSON object, got {type(obj).__name__}"]
    errs = []
    if not isinstance(obj.get("id"), str) or not obj.get("id"):
        errs.append("'id' must be a non-empty string")
    if obj.get("label") not in LABELS:
        errs.append(f"'label' must be one of {list(LABELS)}, got {obj.get('label')!r}")
    if obj.get("lang") not in LANGS:
        errs.append(f"'lang' must be one of {list(LANGS)}, got {obj.get('lang')!r}")
    if "fraud_type" not in obj or not (obj["fraud_type"] is None or isinstance(obj["fraud_type"], str)):
        errs.append("'fraud_type' must be present, a string or null")
    turns = obj.get("turns")
    if not isinstance(turns, list) or not turns:
        errs.append("'turns' must be a non-empty list")
    else:
        for i, t in enumerate(turns):
            if not isinstance(t, dict) or t.get("speaker") not in SPEAKERS or not isinstance(t.get("text"), str):
                errs.append(f"turn {i}: needs 'speaker' in {list(SPEAKERS)} and a string 'text'")
                break
    if "audio" in obj and obj["audio"] is not None and not isinstance(obj["audio"], str):
        errs.append("'audio' must be a path string when present")
    return errs


def load_corpus(path: str | Path) -> list[dict]:
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise CorpusError(f"{path}: cannot read corpus: {exc}") from exc
    calls, seen = [], {}
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise CorpusError(f"{path}:{n}: invalid JSON: {exc.msg} (column {exc.colno})") from exc
        errs = validate_call(obj)
        if errs:
            raise CorpusError(f"{path}:{n}: " + "; ".join(errs))
        if obj["id"] in seen:
            raise CorpusError(f"{path}:{n}: duplicate call id {obj['id']!r} (first on line {seen[obj['id']]})")
        seen[obj["id"]] = n
        calls.append(obj)
    if not calls:
        raise CorpusError(f"{path}: no calls")
    return calls


def file_sha256(path: str | Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def split_part(call_id: str, seed: int, calib_fraction: float = 0.5) -> str:
    """'calib' or 'report': a fixed, seeded hash split of call ids (stable across runs and
    machines, independent of file order)."""
    h = int.from_bytes(hashlib.sha256(f"{seed}:{call_id}".encode()).digest()[:8], "big")
    return "calib" if h / 2**64 < calib_fraction else "report"


def select(calls: list[dict], part: str, seed: int, calib_fraction: float = 0.5) -> list[dict]:
    """``part`` is 'all', 'calib' or 'report'."""
    if part == "all":
        return list(calls)
    if part not in ("calib", "report"):
        raise ValueError(f"split part must be all, calib or report, got {part!r}")
    return [c for c in calls if split_part(c["id"], seed, calib_fraction) == part]


def merge_corpora(paths: list[str | Path], out_path: str | Path) -> list[dict]:
    """The calls of several corpora, in order, as one corpus to be written at ``out_path``.

    Why: held-out sets are measured once, together, so their figures pool without
    hand arithmetic. Each ``audio`` path is rewritten relative to ``out_path``'s folder, so the
    merged file scores the same recordings wherever the sources live. A call id that occurs in
    two sources, or a recording that does not exist, is an error (naming both places): a merged
    set must not silently lose or double-count a call."""
    out_dir = Path(out_path).resolve().parent
    merged: list[dict] = []
    origin: dict[str, str] = {}
    for src in paths:
        src = Path(src)
        for call in load_corpus(src):
            if call["id"] in origin:
                raise CorpusError(f"{src}: call id {call['id']!r} is also in {origin[call['id']]}")
            origin[call["id"]] = str(src)
            call = dict(call)
            if call.get("audio"):
                wav = Path(call["audio"])
                wav = wav if wav.is_absolute() else src.resolve().parent / wav
                if not wav.is_file():
                    raise CorpusError(f"{src}: call {call['id']}: recording {wav} does not exist")
                call["audio"] = os.path.relpath(wav, out_dir)
            merged.append(call)
    return merged
