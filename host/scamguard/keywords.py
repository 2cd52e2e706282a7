"""Weighted keyword rule of seed paper 001 ("degree of correlation").

For every candidate keyword w the paper measures its frequency in fraud text, Ff(w), and in
normal text, Fn(w), and keeps the keywords with the largest difference
``corr(w) = Ff(w) - Fn(w)``. A text is flagged when the correlations of the keywords it
contains add up to at least a threshold Tk:  R = sum_{w in L, w in text} corr(w) - Tk >= 0.

Choices the paper leaves open, fixed here:
- Frequency = document frequency in percent (share of the class's documents that contain
  the keyword, x100). Percent keeps corr in a readable range: the paper's thresholds
  (17–22 for 200–300 keywords) are sums of such values.
- Candidates are character n-grams inside runs of Chinese characters for Mandarin (no word
  segmenter needed, robust to ASR splitting words) and word n-grams for English.
- Documents are the phrase-library entries of one language; only keywords seen in at least
  ``min_df`` scam documents are kept, so one odd phrase cannot create a keyword.
- Stop words: the paper removes function words before selecting keywords. Here a candidate
  made only of function words (English) or function characters (Mandarin) is dropped; a
  phrase that contains one ("don't tell", "不要") survives.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable

from .textnorm import normalize

_CJK_RUN = re.compile(r"[\u3400-\u9fff]+")
_EN_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")

# Function words: pronouns, articles, auxiliaries, conjunctions, particles. Short on purpose.
STOP_EN = frozenset("""a an the and or but so if then than that this these those it its i me my we us our you
your yours he him his she her they them their is are was were be been being am do does did have has had
will would can could shall should may might must to of in on at by for with from as about into over up
out not no yes ok okay oh um uh well just very really also too there here what which who whom how when
where why all any some one i'm it's you'll you're we're we'll that's i'll he's she's they're""".split())
STOP_ZH_CHARS = frozenset("的了是我你您他她它们这那个一就也在有吗呢吧啊呀哦嗯好和都会能可以很还又")

# Documented defaults (overridable from calibration.json "keywords" section).
DEFAULTS = {
    "zh_ngrams": [2, 3],  # character bigrams and trigrams: most Mandarin words are 2–3 characters
    "en_ngrams": [1, 2],  # single words and word pairs ("gift cards", "safe account")
    "top_k": 300,  # the paper found no gain beyond a few hundred keywords
    "min_df": 2,
}


def candidates(text: str, lang: str, ngrams: Iterable[int]) -> set[str]:
    """Distinct keyword candidates in ``text`` (the rule counts presence, not repeats)."""
    text = normalize(text)
    out: set[str] = set()
    if lang == "zh":
        for run in _CJK_RUN.findall(text):
            for n in ngrams:
                out.update(g for g in (run[i:i + n] for i in range(len(run) - n + 1))
                           if not set(g) <= STOP_ZH_CHARS)
    else:
        words = _EN_WORD.findall(text.lower())
        for n in ngrams:
            out.update(" ".join(g) for g in (words[i:i + n] for i in range(len(words) - n + 1))
                       if not set(g) <= STOP_EN)
    return out


@dataclass
class KeywordModel:
    """Per-language keyword -> degree of correlation (percentage points)."""

    weights: dict[str, dict[str, float]] = field(default_factory=dict)
    ngrams: dict[str, list[int]] = field(default_factory=dict)

    @classmethod
    def fit(cls, docs: Iterable[tuple[str, str, bool]], config: dict | None = None) -> "KeywordModel":
        """Learn weights from (text, lang, is_scam) documents."""
        cfg = {**DEFAULTS, **(config or {})}
        ngrams = {"zh": list(cfg["zh_ngrams"]), "en": list(cfg["en_ngrams"])}
        df: dict[tuple[str, bool], dict[str, int]] = {}
        n_docs: dict[tuple[str, bool], int] = {}
        for text, lang, is_scam in docs:
            key = (lang, bool(is_scam))
            n_docs[key] = n_docs.get(key, 0) + 1
            counts = df.setdefault(key, {})
            for w in candidates(text, lang, ngrams.get(lang, ngrams["en"])):
                counts[w] = counts.get(w, 0) + 1
        weights: dict[str, dict[str, float]] = {}
        for lang in sorted({k[0] for k in n_docs}):
            n_f, n_n = n_docs.get((lang, True), 0), n_docs.get((lang, False), 0)
            if n_f == 0:
                continue  # no fraud text in this language: no keyword can be learned
            fraud, normal = df.get((lang, True), {}), df.get((lang, False), {})
            corr = {}
            for w, c in fraud.items():
                if c < cfg["min_df"]:
                    continue
                ff = 100.0 * c / n_f
                fn = 100.0 * normal.get(w, 0) / n_n if n_n else 0.0
                if ff - fn > 0:
                    corr[w] = ff - fn
            # highest correlation first; ties by keyword for a deterministic list
            best = sorted(corr.items(), key=lambda kv: (-kv[1], kv[0]))[: int(cfg["top_k"])]
            weights[lang] = dict(best)
        return cls(weights=weights, ngrams=ngrams)

    @classmethod
    def from_entries(cls, entries, config: dict | None = None) -> "KeywordModel":
        """Learn from phrase-library entries (objects with text, lang, label)."""
        return cls.fit(((e.text, e.lang, e.label == "scam") for e in entries), config)

    def hits(self, text: str, lang: str) -> list[tuple[str, float]]:
        """Keywords of the list present in ``text`` with their weights, heaviest first."""
        table = self.weights.get(lang, {})
        if not table:
            return []
        found = candidates(text, lang, self.ngrams.get(lang, DEFAULTS["en_ngrams"])) & table.keys()
        return sorted(((w, table[w]) for w in found), key=lambda kv: (-kv[1], kv[0]))

    def score(self, text: str, lang: str) -> float:
        """Sum of correlations of the keywords present (R + Tk in the paper's notation)."""
        return float(sum(w for _, w in self.hits(text, lang)))
