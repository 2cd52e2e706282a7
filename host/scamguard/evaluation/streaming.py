"""Speaking-rate model: a call's turns become a timed token stream, cut into windows.

Text mode has no audio, so time is simulated. Each token takes 1/rate seconds:
- Mandarin: one token per Chinese character (or per run of Latin letters/digits), at
  4.5 characters/s, a typical conversational Mandarin rate;
- English: one token per word, at 2.6 words/s (about 155 words per minute).
Punctuation sticks to the preceding token and takes no time. Turns are separated by a
short gap (0.4 s) for the change of speaker. The stream is cut into fixed, non-overlapping
windows of ``window_s`` seconds (paper 004 §5.1); a token belongs to the window in which
it starts. Windows with no speech (a gap) yield no segment, as a VAD would drop them.
A segment ends at its window boundary, or at the end of the last token for the final one.
All three numbers are configurable (``SpeakingRate``).
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

# A token: one CJK character, or a run of Latin letters/digits; trailing punctuation attached.
_ZH_TOKEN = re.compile(r"(?:[\u3400-\u9fff]|[A-Za-z0-9]+(?:[.'][A-Za-z0-9]+)*)[^\w\s]*")
_EN_TOKEN = re.compile(r"\S+")
_ZH_LEAD = re.compile(r"^[^\w\s]+")


@dataclass(frozen=True)
class SpeakingRate:
    zh_chars_per_s: float = 4.5
    en_words_per_s: float = 2.6
    turn_gap_s: float = 0.4

    def rate(self, lang: str) -> float:
        return self.zh_chars_per_s if lang == "zh" else self.en_words_per_s


@dataclass(frozen=True)
class Token:
    text: str
    t_start: float
    t_end: float
    turn: int


@dataclass(frozen=True)
class Segment:
    index: int
    text: str
    t_start_s: float
    t_end_s: float


def tokenize(text: str, lang: str) -> list[str]:
    if lang == "zh":
        lead = _ZH_LEAD.match(text)
        toks = _ZH_TOKEN.findall(text)
        if lead and toks:  # opening quote or bracket: attach to the first token
            toks[0] = lead.group(0) + toks[0]
        return toks
    return _EN_TOKEN.findall(text)


def timed_tokens(turns: list[dict], lang: str, rate: SpeakingRate) -> list[Token]:
    step = 1.0 / rate.rate(lang)
    t = 0.0
    out: list[Token] = []
    for i, turn in enumerate(turns):
        toks = tokenize(turn["text"], lang)
        if not toks:
            continue
        if out:
            t += rate.turn_gap_s
        for tok in toks:
            out.append(Token(tok, t, t + step, i))
            t += step
    return out


def join_tokens(tokens: list[Token], lang: str) -> str:
    parts: list[str] = []
    prev_turn = None
    for tok in tokens:
        if parts and (lang != "zh" or tok.turn != prev_turn):
            parts.append(" ")  # English words, and a change of speaker in Mandarin
        parts.append(tok.text)
        prev_turn = tok.turn
    return "".join(parts)


def segment_call(turns: list[dict], lang: str, window_s: float, rate: SpeakingRate | None = None) -> list[Segment]:
    if window_s <= 0:
        raise ValueError(f"window must be positive, got {window_s}")
    tokens = timed_tokens(turns, lang, rate or SpeakingRate())
    if not tokens:
        return []
    end = tokens[-1].t_end
    buckets: dict[int, list[Token]] = {}
    for tok in tokens:
        # small epsilon: a token starting exactly on a boundary belongs to the later window
        buckets.setdefault(int(math.floor(tok.t_start / window_s + 1e-9)), []).append(tok)
    segs = []
    for n, w in enumerate(sorted(buckets)):
        t0, t1 = w * window_s, min((w + 1) * window_s, end)
        segs.append(Segment(n, join_tokens(buckets[w], lang), round(t0, 6), round(t1, 6)))
    return segs


def call_duration(turns: list[dict], lang: str, rate: SpeakingRate | None = None) -> float:
    tokens = timed_tokens(turns, lang, rate or SpeakingRate())
    return tokens[-1].t_end if tokens else 0.0


def full_transcript(turns: list[dict]) -> str:
    """The whole call as one text (A1), turns separated by a space."""
    return " ".join(t["text"].strip() for t in turns if t["text"].strip())
