"""Checks on the phrase-library sources, reported all at once with file:line.

Errors (exit 1): bad lines and missing fields, repeated ids, exact duplicates after
normalisation, near-duplicates (same language; by edit similarity of the normalised text,
or by embedding cosine), unknown fraud types or tactics, and (unless allowed) fewer
entries than issue 4's minimums or a fraud type with no scam entry.
Warnings: an entry whose lang/label disagrees with its file name, benign entries that
carry a fraud type (they are not scams: the type is ignored by the engine).
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..textnorm import match_key, normalize
from .entries import DEFAULT_DIR, PhraseEntry, Problem, Vocabulary, parse_file, source_files

# Issue 4: at least 300 zh + 200 en scam entries, 200 zh + 150 en benign hard negatives.
MINIMUMS = {("zh", "scam"): 300, ("en", "scam"): 200, ("zh", "benign"): 200, ("en", "benign"): 150}
TEXT_NEAR_DUP = 0.92     # normalised edit similarity (rapidfuzz ratio / 100)
EMBED_NEAR_DUP = 0.97    # cosine, same language
_FILE_NAME = re.compile(r"^(zh|en)_(scam|benign)$")


@dataclass
class LintReport:
    problems: list[Problem] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)
    entries: int = 0

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]


def vocabulary_for(directory: Path) -> Vocabulary:
    """The directory's own fraud_types.json, else the repository's."""
    own = Path(directory) / "fraud_types.json"
    return Vocabulary.load(own if own.is_file() else DEFAULT_DIR / "fraud_types.json")


def lint(directory: Path = DEFAULT_DIR, embedder=None, allow_small: bool = False,
         vocabulary: Vocabulary | None = None) -> LintReport:
    directory = Path(directory)
    report = LintReport()
    files = source_files(directory)
    if not files:
        report.problems.append(Problem(directory, 0, "no *.jsonl files"))
        return report
    vocab = vocabulary or vocabulary_for(directory)
    located: list[tuple[Path, int, PhraseEntry]] = []
    for path in files:
        entries, problems = parse_file(path)
        report.problems.extend(problems)
        located.extend((path, line, e) for line, e in entries)
    report.entries = len(located)
    _check_vocabulary_and_files(located, vocab, report)
    _check_duplicates(located, report)
    if embedder is not None:
        _check_embedding_near_duplicates(located, embedder, report)
    report.counts = Counter((e.lang, e.label) for _, _, e in located)
    if not allow_small:
        _check_minimums(located, vocab, directory, report)
    report.problems.sort(key=lambda p: (str(p.path), p.line, p.message))
    return report


def _check_vocabulary_and_files(located, vocab: Vocabulary, report: LintReport) -> None:
    known_tactics = set(vocab.tactics)
    for path, line, e in located:
        if e.fraud_type is not None and e.fraud_type not in vocab.fraud_types:
            report.problems.append(Problem(path, line, f"{e.id}: unknown fraud_type {e.fraud_type!r} "
                                                       f"(not in fraud_types.json)"))
        if e.label == "benign" and e.fraud_type is not None:
            report.problems.append(Problem(path, line, f"{e.id}: benign entry has fraud_type {e.fraud_type!r} "
                                                       "(ignored; use topic)", "warning"))
        for t in e.tactics:
            if t not in known_tactics:
                report.problems.append(Problem(path, line, f"{e.id}: unknown tactic {t!r} (not in fraud_types.json)"))
        if len(set(e.tactics)) != len(e.tactics):
            report.problems.append(Problem(path, line, f"{e.id}: repeated tactic tag", "warning"))
        m = _FILE_NAME.match(path.stem)
        if m and (e.lang, e.label) != (m.group(1), m.group(2)):
            report.problems.append(Problem(path, line, f"{e.id}: lang/label {e.lang}/{e.label} in file {path.name}",
                                           "warning"))


def _check_duplicates(located, report: LintReport) -> None:
    from rapidfuzz import fuzz, process

    first_id: dict[str, tuple[Path, int]] = {}
    first_key: dict[str, tuple[Path, int, PhraseEntry]] = {}
    for path, line, e in located:
        if e.id in first_id:
            p0, l0 = first_id[e.id]
            report.problems.append(Problem(path, line, f"duplicate id {e.id!r} (first at {p0.name}:{l0})"))
        else:
            first_id[e.id] = (path, line)
        key = match_key(e.text)
        if key in first_key:
            p0, l0, e0 = first_key[key]
            report.problems.append(Problem(path, line, f"{e.id}: duplicate text of {e0.id} ({p0.name}:{l0})"))
        else:
            first_key[key] = (path, line, e)
    # Near-duplicates: compare unique keys within each language.
    by_lang: dict[str, list[tuple[Path, int, PhraseEntry, str]]] = defaultdict(list)
    for key, (path, line, entry) in first_key.items():
        by_lang[entry.lang].append((path, line, entry, key))
    for items in by_lang.values():
        keys = [k for *_, k in items]
        if len(keys) < 2:
            continue
        sims = process.cdist(keys, keys, scorer=fuzz.ratio, score_cutoff=TEXT_NEAR_DUP * 100, workers=1)
        for i, j in zip(*np.nonzero(np.triu(sims, k=1))):
            _near_dup(report, items[i][:3], items[j][:3], f"text similarity {sims[i, j] / 100:.2f}")


def _check_embedding_near_duplicates(located, embedder, report: LintReport) -> None:
    seen = set()
    unique = []
    for item in located:
        key = match_key(item[2].text)
        if key not in seen:  # exact duplicates are already reported
            seen.add(key)
            unique.append(item)
    for lang in sorted({e.lang for _, _, e in unique}):
        items = [it for it in unique if it[2].lang == lang]
        if len(items) < 2:
            continue
        texts = [normalize(e.text) for _, _, e in items]
        vecs = np.vstack([embedder.embed_queries(texts[i:i + 64]) for i in range(0, len(texts), 64)])
        sims = np.triu(vecs @ vecs.T, k=1)
        for i, j in zip(*np.nonzero(sims >= EMBED_NEAR_DUP)):
            _near_dup(report, items[i], items[j], f"embedding cosine {sims[i, j]:.3f} ({embedder.model_id})")


def _near_dup(report: LintReport, a, b, how: str) -> None:
    (pa, la, ea), (pb, lb, eb) = a, b
    if (str(pb), lb) < (str(pa), la):
        (pa, la, ea), (pb, lb, eb) = (pb, lb, eb), (pa, la, ea)
    what = "near-duplicate across labels" if ea.label != eb.label else "near-duplicate"
    report.problems.append(Problem(pb, lb, f"{eb.id}: {what} of {ea.id} ({pa.name}:{la}), {how}"))


def _check_minimums(located, vocab: Vocabulary, directory: Path, report: LintReport) -> None:
    counts = Counter((e.lang, e.label) for _, _, e in located)
    for (lang, label), minimum in MINIMUMS.items():
        if counts[(lang, label)] < minimum:
            report.problems.append(Problem(directory, 0, f"only {counts[(lang, label)]} {lang} {label} entries; "
                                                         f"issue 4 asks for at least {minimum}"))
    scam_types = Counter(e.fraud_type for _, _, e in located if e.label == "scam")
    zh_types = Counter(e.fraud_type for _, _, e in located if e.label == "scam" and e.lang == "zh")
    for slug in vocab.group("ccl2023"):
        if zh_types[slug] == 0:
            report.problems.append(Problem(directory, 0, f"CCL2023 fraud type {slug!r} has no Mandarin scam entry"))
    for slug in vocab.group("western"):
        if scam_types[slug] == 0:
            report.problems.append(Problem(directory, 0, f"fraud type {slug!r} has no scam entry"))
