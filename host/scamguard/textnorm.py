"""Text normalisation shared by ASR output, the phrase library and the corpus tools.

Whisper writes Mandarin in traditional characters about as often as simplified, with
full-width digits and CJK punctuation; the phrase library is written in simplified
characters with ASCII digits. Normalising both sides the same way keeps the embedding
comparison about meaning, not script.
"""
from __future__ import annotations

import re
import unicodedata

import zhconv

# CJK punctuation that NFKC leaves alone; map to the ASCII mark with the same role.
_PUNCT = str.maketrans({
    "。": ".", "、": ",", "「": '"', "」": '"', "『": '"', "』": '"',
    "【": "[", "】": "]", "《": '"', "》": '"', "〈": '"', "〉": '"',
    "“": '"', "”": '"', "‘": "'", "’": "'", "…": "...", "—": "-", "–": "-",
    "～": "~", "·": " ",
})
_SPACE = re.compile(r"\s+")
# A space between two CJK characters is an ASR/tokeniser artefact, not a word break.
_CJK_GAP = re.compile(r"(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff])")
_CJK = re.compile(r"[\u3400-\u9fff]")
_LATIN_WORD = re.compile(r"[A-Za-z]+")
_KEY_DROP = re.compile(r"[\W_]+", re.UNICODE)


def to_simplified(text: str) -> str:
    """Traditional (or mixed) Chinese to mainland simplified characters."""
    return zhconv.convert(text, "zh-cn")


def normalize(text: str) -> str:
    """Canonical form for embedding and display.

    Simplified characters, half-width digits/letters (NFKC), ASCII punctuation, single
    spaces, no spaces inside runs of Chinese characters.
    """
    if not isinstance(text, str):
        raise TypeError(f"normalize() expects str, got {type(text).__name__}")
    text = unicodedata.normalize("NFKC", text)
    text = text.translate(_PUNCT)
    if _CJK.search(text):
        text = to_simplified(text)
        text = _CJK_GAP.sub("", text)
    return _SPACE.sub(" ", text).strip()


def match_key(text: str) -> str:
    """Key for exact-duplicate detection: normalised, case-folded, no punctuation/spaces."""
    return _KEY_DROP.sub("", normalize(text).casefold())


def detect_lang(text: str) -> str:
    """'zh' or 'en' for a transcript, by which script dominates.

    Good enough for the two languages the library covers; a Chinese sentence with an
    English brand name in it still counts as Chinese.
    """
    cjk = len(_CJK.findall(text))
    latin_words = len(_LATIN_WORD.findall(text))
    return "zh" if cjk >= max(1, latin_words) else "en"
