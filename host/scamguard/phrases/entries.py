"""Phrase-library entries: the JSONL format, parsing with file:line errors, and the vocabulary.

One entry per line::

    {"id": "zh-scam-0001", "lang": "zh", "label": "scam", "fraud_type": "bank_safe_account",
     "tactics": ["urgency", "safe_account"], "text": "...", "topic": null}

``topic`` is optional (benign entries use it for the situation: courier, clinic, ...).
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

LANGS = ("zh", "en")
LABELS = ("scam", "benign")
_REQUIRED = ("id", "lang", "label", "text")
_KNOWN = {"id", "lang", "label", "fraud_type", "tactics", "text", "topic"}


def _default_dir() -> Path:
    env = os.environ.get("SCAMGUARD_PHRASE_DIR")
    if env:
        return Path(env)
    # host/scamguard/phrases/entries.py -> repository root
    return Path(__file__).resolve().parents[3] / "phrase_library"


DEFAULT_DIR = _default_dir()


class LibraryError(Exception):
    """The phrase library (source files or built file) is unusable; the message says why and where."""


@dataclass(frozen=True)
class PhraseEntry:
    id: str
    lang: str
    label: str
    fraud_type: str | None
    tactics: tuple[str, ...]
    text: str
    topic: str | None = None

    def to_json(self) -> dict:
        return {"id": self.id, "lang": self.lang, "label": self.label, "fraud_type": self.fraud_type,
                "tactics": list(self.tactics), "text": self.text, "topic": self.topic}

    @classmethod
    def from_json(cls, obj: dict) -> "PhraseEntry":
        return cls(id=obj["id"], lang=obj["lang"], label=obj["label"], fraud_type=obj.get("fraud_type"),
                   tactics=tuple(obj.get("tactics") or ()), text=obj["text"], topic=obj.get("topic"))


@dataclass(frozen=True)
class Problem:
    """One finding, located in a source file."""
    path: Path
    line: int
    message: str
    severity: str = "error"  # "error" | "warning"

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.severity}: {self.message}"


def _check_fields(obj: object) -> tuple[PhraseEntry | None, list[str]]:
    """Validate one decoded line; returns the entry (or None) and the structural errors."""
    if not isinstance(obj, dict):
        return None, [f"expected a JSON object, got {type(obj).__name__}"]
    errors = [f"missing field '{k}'" for k in _REQUIRED if k not in obj]
    for key in ("id", "text"):
        if key in obj and (not isinstance(obj[key], str) or not obj[key].strip()):
            errors.append(f"field '{key}' must be a non-empty string")
    if "lang" in obj and obj["lang"] not in LANGS:
        errors.append(f"field 'lang' must be one of {list(LANGS)}, got {obj['lang']!r}")
    if "label" in obj and obj["label"] not in LABELS:
        errors.append(f"field 'label' must be one of {list(LABELS)}, got {obj['label']!r}")
    ft = obj.get("fraud_type")
    if ft is not None and (not isinstance(ft, str) or not ft):
        errors.append("field 'fraud_type' must be a slug string or null")
    if obj.get("label") == "scam" and not ft:
        errors.append("missing field 'fraud_type' (required for scam entries)")
    tactics = obj.get("tactics", [])
    if not isinstance(tactics, list) or not all(isinstance(t, str) and t for t in tactics):
        errors.append("field 'tactics' must be a list of tag strings")
    topic = obj.get("topic")
    if topic is not None and not isinstance(topic, str):
        errors.append("field 'topic' must be a string or null")
    unknown = sorted(set(obj) - _KNOWN)
    if unknown:
        errors.append(f"unknown field(s) {unknown}")
    if errors:
        return None, errors
    return PhraseEntry.from_json(obj), []


def parse_file(path: Path) -> tuple[list[tuple[int, PhraseEntry]], list[Problem]]:
    """All entries of one JSONL file with their line numbers, plus every structural problem."""
    entries: list[tuple[int, PhraseEntry]] = []
    problems: list[Problem] = []
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return [], [Problem(path, 0, f"cannot read: {exc}")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return [], [Problem(path, raw[: exc.start].count(b"\n") + 1, f"not UTF-8: {exc.reason}")]
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(Problem(path, lineno, f"invalid JSON: {exc.msg} (column {exc.colno})"))
            continue
        entry, errors = _check_fields(obj)
        problems.extend(Problem(path, lineno, e) for e in errors)
        if entry is not None:
            entries.append((lineno, entry))
    return entries, problems


def source_files(directory: Path) -> list[Path]:
    directory = Path(directory)
    if not directory.is_dir():
        raise LibraryError(f"phrase library directory not found: {directory}")
    return sorted(directory.glob("*.jsonl"))


def load_entries(directory: Path = DEFAULT_DIR) -> list[PhraseEntry]:
    """Every entry of ``directory/*.jsonl`` in file then line order.

    Raises LibraryError naming file:line for the first bad line or a repeated id; `scamguard
    phrases lint` reports all of them at once.
    """
    files = source_files(directory)
    if not files:
        raise LibraryError(f"no *.jsonl files in phrase library directory {directory}")
    out: list[PhraseEntry] = []
    seen: dict[str, str] = {}
    for path in files:
        located, problems = parse_file(path)
        if problems:
            raise LibraryError(str(problems[0]) + (f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""))
        for lineno, entry in located:
            where = f"{path}:{lineno}"
            if entry.id in seen:
                raise LibraryError(f"{where}: duplicate id {entry.id!r} (first at {seen[entry.id]})")
            seen[entry.id] = where
            out.append(entry)
    return out


def content_hash(entries: list[PhraseEntry]) -> str:
    """sha256 over the canonical JSON of the entries, in order: what a built library embeds."""
    h = hashlib.sha256()
    for e in entries:
        h.update(json.dumps(e.to_json(), ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode())
        h.update(b"\n")
    return h.hexdigest()


@dataclass(frozen=True)
class Vocabulary:
    """Fraud-type slugs and tactic tags from fraud_types.json."""
    fraud_types: dict[str, dict]
    tactics: tuple[str, ...]

    @classmethod
    def load(cls, path: Path) -> "Vocabulary":
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
            types = {t["slug"]: t for t in data["types"]}
            tactics = tuple(data["tactics"])
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise LibraryError(f"{path}: cannot read fraud-type vocabulary: {exc}") from exc
        return cls(types, tactics)

    def group(self, group: str) -> list[str]:
        return [slug for slug, t in self.fraud_types.items() if t.get("group") == group]
