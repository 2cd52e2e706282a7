"""Render a corpus call (turns of caller and callee) into one mono 16 kHz recording."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from .. import params as P

RATE = P.AUDIO_SAMPLE_RATE_HZ


@dataclass
class RenderedCall:
    pcm: np.ndarray
    turn_starts_s: list[float]  # when each turn starts in the recording
    voices: dict[str, str]      # speaker -> voice description

    @property
    def duration_s(self) -> float:
        return len(self.pcm) / RATE


def render_call(turns: list[dict], speak: Callable[[str, str], np.ndarray], voices: dict[str, str],
                gap_s: float = 0.6, lead_s: float = 0.5) -> RenderedCall:
    """speak(text, speaker) -> int16 PCM; turns are joined with gap_s of silence."""
    parts = [np.zeros(int(lead_s * RATE), np.int16)]
    starts, t = [], lead_s
    for turn in turns:
        pcm = speak(turn["text"], turn["speaker"])
        starts.append(t)
        parts += [pcm, np.zeros(int(gap_s * RATE), np.int16)]
        t += (len(pcm) + int(gap_s * RATE)) / RATE
    return RenderedCall(np.concatenate(parts), starts, voices)
