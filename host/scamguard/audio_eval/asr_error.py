"""ASR error against the script: WER for English, CER for Mandarin (jiwer).

Reference = the call's turns joined; hypothesis = the transcripts of the segments the
board sent, joined in order. So the figure includes what segmentation does to
recognition (words cut at window edges), not just Whisper on clean utterances. Both sides
are normalised the same way: lower case, punctuation removed; Mandarin compared character
by character without spaces. Whisper writes numbers as digits where the scripts spell
them out ("£840" vs "eight hundred and forty pounds"), which counts as errors here.
"""
from __future__ import annotations

import re

import jiwer

from ..textnorm import normalize

_PUNCT = re.compile(r"[^\w\s]")


def _norm_en(text: str) -> str:
    return " ".join(_PUNCT.sub(" ", normalize(text).lower()).split())


def _norm_zh(text: str) -> str:
    return "".join(_PUNCT.sub("", normalize(text)).split())


def error_rates(pairs: list[tuple[str, str, str]]) -> dict:
    """pairs of (lang, reference, hypothesis) -> {"en": {"wer": ..}, "zh": {"cer": ..}},
    pooled over calls (total edits / total reference units), as jiwer does for lists."""
    out: dict = {}
    for lang, metric in (("en", "wer"), ("zh", "cer")):
        sel = [(r, h) for lg, r, h in pairs if lg == lang]
        if not sel:
            continue
        if lang == "en":
            refs = [_norm_en(r) for r, _ in sel]
            hyps = [_norm_en(h) for _, h in sel]
            value = jiwer.wer(refs, hyps)
        else:
            refs = [_norm_zh(r) for r, _ in sel]
            hyps = [_norm_zh(h) for _, h in sel]
            value = jiwer.cer(refs, hyps)
        out[lang] = {metric: round(float(value), 4), "calls": len(sel)}
    return out
