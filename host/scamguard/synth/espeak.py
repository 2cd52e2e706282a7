"""English speech through espeak-ng, returned as 16 kHz int16 PCM."""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from math import gcd
from pathlib import Path

import numpy as np
from scipy.signal import resample_poly

from .. import params as P


class SynthError(RuntimeError):
    pass


@dataclass(frozen=True)
class EspeakVoice:
    name: str = "en-us"
    speed_wpm: int = 150
    pitch: int = 50

    def describe(self) -> str:
        return f"espeak-ng:{self.name}:s{self.speed_wpm}:p{self.pitch}"


def espeak_available() -> bool:
    return shutil.which("espeak-ng") is not None


def synthesize(text: str, voice: EspeakVoice) -> np.ndarray:
    if not espeak_available():
        raise SynthError("espeak-ng is not installed (run `make setup`)")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "say.wav"
        cmd = ["espeak-ng", "-v", voice.name, "-s", str(voice.speed_wpm), "-p", str(voice.pitch), "-w", str(out), "--", text]
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode != 0 or not out.exists():
            raise SynthError(f"espeak-ng failed ({proc.returncode}): {proc.stderr.strip()}")
        return _to_16k(out)


def _to_16k(path: Path) -> np.ndarray:
    import wave

    with wave.open(str(path), "rb") as w:
        rate, width, ch = w.getframerate(), w.getsampwidth(), w.getnchannels()
        data = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")
    if width != 2 or ch != 1:
        raise SynthError(f"espeak-ng wrote {ch} channels of {8 * width}-bit audio; expected mono 16-bit")
    target = P.AUDIO_SAMPLE_RATE_HZ
    if rate != target:
        g = gcd(rate, target)
        data = resample_poly(data.astype(np.float32), target // g, rate // g)
    return np.clip(np.round(data), -32768, 32767).astype(np.int16)
