"""Speech engines for corpus synthesis, behind one interface.

An engine picks a caller and a callee voice for a call from a seeded generator
(``pick_voices``) and speaks a turn as 16 kHz mono int16 (``speak``). ``version()`` goes
into the manifest so a corpus records exactly what made it.
"""
from __future__ import annotations

import subprocess
from dataclasses import dataclass

import numpy as np

from .espeak import EspeakVoice, SynthError, espeak_available, synthesize

# Two pools so caller and callee never share a voice; espeak-ng's built-in variants
# (+m1..+m7, +f1..+f5) need no extra data files.
_CALLER_VOICES = ("en-us+m3", "en-us+m1", "en-gb+m2", "en-us+m7", "en-gb-x-rp+m4", "en-us+m5")
_CALLEE_VOICES = ("en-us+f2", "en-gb+f3", "en-us+f4", "en-gb-x-rp+f1", "en-us+f5", "en-gb+m6")


@dataclass(frozen=True)
class VoicePair:
    caller: object
    callee: object

    def describe(self) -> dict[str, str]:
        return {"caller": self.caller.describe(), "callee": self.callee.describe()}


class EspeakEngine:
    name = "espeak"
    lang = "en"

    def __init__(self) -> None:
        if not espeak_available():
            raise SynthError("espeak-ng is not installed (run `make setup`)")

    def version(self) -> str:
        out = subprocess.run(["espeak-ng", "--version"], capture_output=True, text=True).stdout
        return out.strip().splitlines()[0] if out.strip() else "espeak-ng (unknown version)"

    def pick_voices(self, rng: np.random.Generator) -> VoicePair:
        # 150–175 wpm is normal conversational English; pitch spread keeps calls distinct.
        caller = EspeakVoice(str(rng.choice(_CALLER_VOICES)), int(rng.integers(150, 176)), int(rng.integers(35, 61)))
        callee = EspeakVoice(str(rng.choice(_CALLEE_VOICES)), int(rng.integers(145, 171)), int(rng.integers(45, 71)))
        return VoicePair(caller, callee)

    def speak(self, text: str, voice: EspeakVoice) -> np.ndarray:
        return synthesize(text, voice)

    def close(self) -> None:
        pass


def pitch_shift_resample(pcm: np.ndarray, factor: float) -> np.ndarray:
    """Shift pitch and tempo together by ``factor`` (>1 higher and faster) by resampling:
    the cheapest way to make a second talker out of a single-speaker neural voice."""
    from scipy.signal import resample_poly

    if abs(factor - 1.0) < 1e-3:
        return pcm
    up, down = 100, int(round(100 * factor))
    y = resample_poly(pcm.astype(np.float32), up, down)
    return np.clip(np.round(y), -32768, 32767).astype(np.int16)
