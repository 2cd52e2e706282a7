"""Getting call audio to the board's microphone input, two ways.

- Injection (default): INJECT_AUDIO frames over the serial link; the test firmware
  (`esp32dev-test`, `-DSG_ENABLE_INJECT`) and the simulator feed them into the pipeline in
  place of I2S. Repeatable, no speaker needed. A host frame is also a sign of life, so audio
  cannot be injected while the test wants the link to look dead.
- Speaker jig (`--audio-player "play -q {wav}"`): a command plays the WAV through a speaker
  next to the microphone; the whole acoustic path is tested, in real time.
"""
from __future__ import annotations

import shlex
import subprocess
import threading
import time
from pathlib import Path

import numpy as np

from scamguard import params as P
from scamguard.audio.wav import read_pcm16
from scamguard.codec import adpcm
from scamguard.protocol import messages as M

CHUNK = P.AUDIO_CHUNK_SAMPLES
RATE = P.AUDIO_SAMPLE_RATE_HZ


def inject_frames(pcm: np.ndarray, codec: int = P.ProtocolCodec.PCM16) -> list[M.InjectAudio]:
    """One INJECT_AUDIO message per 20 ms chunk. PCM by default: the board re-encodes what it
    streams as ADPCM, so injecting ADPCM would code the call twice, which a microphone never
    does (and the double coding noise measurably changed Whisper's transcripts). ADPCM chunks
    carry their encoder state, so each decodes on its own, as AUDIO chunks do."""
    out, state = [], adpcm.AdpcmState()
    for i in range(0, len(pcm), CHUNK):
        chunk = np.asarray(pcm[i : i + CHUNK], dtype=np.int16)
        if codec == P.ProtocolCodec.IMA_ADPCM:
            pred, step = state.predictor, state.step_index
            out.append(M.InjectAudio(i, codec, len(chunk), adpcm.encode(chunk, state), pred, step))
        else:
            out.append(M.InjectAudio(i, codec, len(chunk), chunk.astype("<i2").tobytes()))
    return out


class Playback:
    """A running playback; `stop()` ends it early, `join()` waits for the end."""

    def __init__(self, target, *args):
        self._stop = threading.Event()
        self.finished = threading.Event()
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(target, *args), daemon=True)
        self._thread.start()

    def _run(self, target, *args) -> None:
        try:
            target(self._stop, *args)
        except BaseException as exc:  # re-raised in the test thread by join()
            self.error = exc
        finally:
            self.finished.set()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def join(self, timeout: float | None = None) -> bool:
        done = self.finished.wait(timeout)
        if self.error is not None:
            raise RuntimeError(f"playback failed: {self.error}") from self.error
        return done


class AudioSource:
    """`play(wav, start_s, end_s)` -> Playback. `speed` scales injection only; a speaker
    plays in real time. `injects` tells tests whether playing keeps the link alive."""

    def __init__(self, host, speed: float = 1.0, player: str | None = None):
        self.host, self.speed, self.player = host, speed, player
        self._playbacks: list[Playback] = []

    @property
    def injects(self) -> bool:
        return self.player is None

    def play(self, wav: Path, start_s: float = 0.0, end_s: float | None = None) -> Playback:
        pcm = read_pcm16(wav)
        pcm = pcm[int(start_s * RATE) : None if end_s is None else int(end_s * RATE)]
        if self.player is None:
            pb = Playback(self._inject, inject_frames(pcm))
        elif start_s or end_s is not None:
            raise ValueError("the speaker jig plays whole files; cut the WAV beforehand")
        else:
            pb = Playback(self._speaker, wav)
        self._playbacks.append(pb)
        return pb

    def stop_all(self) -> None:
        for pb in self._playbacks:
            pb.stop()

    def wall_seconds(self, wav: Path, start_s: float = 0.0, end_s: float | None = None) -> float:
        n = len(read_pcm16(wav))
        dur = (min(n / RATE, end_s) if end_s is not None else n / RATE) - start_s
        return dur / (self.speed if self.injects else 1.0)

    def _inject(self, stop: threading.Event, frames: list[M.InjectAudio]) -> None:
        period = CHUNK / RATE / self.speed
        t0 = time.monotonic()
        for i, msg in enumerate(frames):
            if stop.is_set():
                return
            delay = t0 + i * period - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            self.host.send(msg)  # dropped while the host is silent, like the rest of its frames
            self.host.injected_frames += 1

    def _speaker(self, stop: threading.Event, wav: Path) -> None:
        cmd = [part.replace("{wav}", str(wav)) for part in shlex.split(self.player)]
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        while proc.poll() is None:
            if stop.wait(0.1):
                proc.terminate()
                proc.wait(timeout=5)
                return
        if proc.returncode:
            raise RuntimeError(f"audio player {cmd[0]} failed ({proc.returncode}): "
                               f"{proc.stderr.read().decode(errors='replace').strip()}")
