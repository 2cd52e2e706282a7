"""Convert TeleAntiFraud dialogue files into the project corpus format.

Source layout (one dialogue per line): ``left`` = the caller's turns, ``right`` = the
callee's turns, alternating with the caller first, plus ``tts_id`` and ``fraud_type``.
Mapping:
- label: ``fraud`` -> scam, ``normal`` -> benign (chosen by ``--label``: the normal file's
  ``fraud_type`` is a leftover field, so the file, not the line, decides);
- fraud_type: the dataset's label mapped to our slug through the ``teleantifraud`` lists in
  phrase_library/fraud_types.json; an unmapped label is an error, never a guess;
- id: ``teleantifraud:<label>:<tts_id>``, because the same tts_id occurs in both files;
- lang: zh.
Every malformed line stops the import with ``file:line: reason``.
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

LABEL_MAP = {"fraud": "scam", "normal": "benign"}


class ImportError_(Exception):
    """A source line cannot be converted; the message names file:line."""


def load_type_map(fraud_types_path: str | Path) -> dict[str, str]:
    """dataset fraud_type label -> our slug, from the vocabulary file."""
    p = Path(fraud_types_path)
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
        pairs = [(src, t["slug"]) for t in data["types"] for src in t.get("teleantifraud", [])]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ImportError_(f"{p}: cannot read the fraud-type vocabulary: {exc}") from exc
    out: dict[str, str] = {}
    for src, slug in pairs:
        if src in out and out[src] != slug:
            raise ImportError_(f"{p}: dataset label {src!r} maps to both {out[src]!r} and {slug!r}")
        out[src] = slug
    return out


def _turns(obj: dict) -> list[dict]:
    left, right = obj.get("left"), obj.get("right")
    for name, side in (("left", left), ("right", right)):
        if not isinstance(side, list) or not all(isinstance(t, str) for t in side):
            raise ValueError(f"'{name}' must be a list of strings")
    if not left:
        raise ValueError("'left' (caller turns) is empty")
    if len(left) - len(right) not in (0, 1):
        raise ValueError(f"turns do not alternate caller-first: {len(left)} caller vs {len(right)} callee turns")
    turns = []
    for i, text in enumerate(left):
        turns.append({"speaker": "caller", "text": text.strip()})
        if i < len(right):
            turns.append({"speaker": "callee", "text": right[i].strip()})
    return turns


def convert_line(obj: object, label: str, type_map: dict[str, str]) -> dict:
    if not isinstance(obj, dict):
        raise ValueError(f"expected a JSON object, got {type(obj).__name__}")
    tts_id = obj.get("tts_id")
    if not isinstance(tts_id, str) or not tts_id:
        raise ValueError("missing or empty 'tts_id'")
    fraud_type = None
    if label == "fraud":
        src = obj.get("fraud_type")
        if not isinstance(src, str) or not src:
            raise ValueError("fraud dialogue without a 'fraud_type'")
        if src not in type_map:
            raise ValueError(f"fraud_type {src!r} has no slug in fraud_types.json ('teleantifraud' lists)")
        fraud_type = type_map[src]
    return {"id": f"teleantifraud:{label}:{tts_id}", "label": LABEL_MAP[label], "lang": "zh",
            "fraud_type": fraud_type, "turns": _turns(obj)}


@dataclass
class ImportReport:
    calls: int = 0
    fraud_types: Counter = field(default_factory=Counter)


def import_file(src: str | Path, label: str, out: str | Path, fraud_types_path: str | Path) -> ImportReport:
    if label not in LABEL_MAP:
        raise ImportError_(f"--label must be one of {sorted(LABEL_MAP)}, got {label!r}")
    src = Path(src)
    type_map = load_type_map(fraud_types_path) if label == "fraud" else {}
    try:
        lines = src.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ImportError_(f"{src}: cannot read: {exc}") from exc
    rows, seen, report = [], {}, ImportReport()
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = convert_line(json.loads(line), label, type_map)
        except json.JSONDecodeError as exc:
            raise ImportError_(f"{src}:{n}: invalid JSON: {exc.msg} (column {exc.colno})") from exc
        except ValueError as exc:
            raise ImportError_(f"{src}:{n}: {exc}") from exc
        if row["id"] in seen:
            raise ImportError_(f"{src}:{n}: duplicate tts_id (first on line {seen[row['id']]})")
        seen[row["id"]] = n
        rows.append(row)
        report.calls += 1
        report.fraud_types[row["fraud_type"] or "(none)"] += 1
    if not rows:
        raise ImportError_(f"{src}: no dialogues")
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    tmp.replace(out)  # never leave a half-written corpus behind
    return report
