"""Strict WAV I/O for the one format the pipeline speaks: 16 kHz, mono, 16-bit PCM.

Anything else is refused with a message naming what was found, never silently converted:
a wrong sample rate would shift every timestamp and ruin ASR without any visible error.
"""
from __future__ import annotations

import struct
import wave
from pathlib import Path

import numpy as np

from .. import params as P


class WavFormatError(ValueError):
    pass


def read_pcm16(path: str | Path) -> np.ndarray:
    """Return the samples of a 16 kHz mono int16 WAV file, or raise WavFormatError."""
    path = Path(path)
    raw = path.read_bytes()
    if len(raw) < 12 or raw[:4] != b"RIFF" or raw[8:12] != b"WAVE":
        raise WavFormatError(f"{path}: not a RIFF/WAVE file")
    fmt, data, off = None, None, 12
    while off + 8 <= len(raw):
        cid, size = struct.unpack_from("<4sI", raw, off)
        body = raw[off + 8 : off + 8 + size]
        if cid == b"fmt ":
            fmt = body
        elif cid == b"data":
            if len(body) < size:
                raise WavFormatError(f"{path}: data chunk truncated ({len(body)} of {size} bytes present)")
            data = body
            break
        off += 8 + size + (size & 1)
    if fmt is None or len(fmt) < 16:
        raise WavFormatError(f"{path}: no valid fmt chunk")
    audio_format, channels, rate, _, _, bits = struct.unpack_from("<HHIIHH", fmt)
    if audio_format not in (1, 0xFFFE):
        raise WavFormatError(f"{path}: audio format {audio_format} (compressed or float), expected PCM (1)")
    if channels != 1:
        raise WavFormatError(f"{path}: {channels} channels, expected mono")
    if rate != P.AUDIO_SAMPLE_RATE_HZ:
        raise WavFormatError(f"{path}: sample rate {rate} Hz, expected {P.AUDIO_SAMPLE_RATE_HZ} Hz")
    if bits != 16:
        raise WavFormatError(f"{path}: {bits}-bit samples, expected 16-bit")
    if data is None:
        raise WavFormatError(f"{path}: no data chunk")
    if len(data) % 2:
        raise WavFormatError(f"{path}: data chunk has an odd byte count ({len(data)})")
    return np.frombuffer(data, dtype="<i2").astype(np.int16)


def write_pcm16(path: str | Path, pcm: np.ndarray, rate: int = P.AUDIO_SAMPLE_RATE_HZ) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(np.asarray(pcm, dtype="<i2").tobytes())
