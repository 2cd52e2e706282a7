"""Telephone channel and speakerphone-to-microphone path for synthetic calls.

The board sits next to the person being called. What its microphone hears is:
- the *caller* (far end) after the telephone network: 300–3400 Hz band, 8 kHz sampling,
  G.711 μ-law, then played by the phone's small speaker;
- the *callee* (near end) speaking directly into the room;
- both through the room (a short reverberant tail), at the microphone's level, with
  background noise.

So caller turns go through ``phone_line`` and the mix goes through ``room`` and
``add_noise``. Every stage works on float32 in [-1, 1] at 16 kHz and is seeded.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
from scipy.signal import butter, fftconvolve, lfilter, resample_poly, sosfilt

RATE = 16000
LINE_RATE = 8000
MU = 255.0
FRAME = 320  # 20 ms at 16 kHz, the firmware's frame


@dataclass(frozen=True)
class ChannelParams:
    """Everything random about one call's channel, drawn from a seed and recorded in the manifest."""

    snr_db: float = 20.0
    level_dbfs: float = -26.0  # active-speech RMS at the microphone
    near_gain_db: float = 0.0  # callee (in the room) relative to the caller (speakerphone)
    rt60_s: float = 0.2        # reverberation time of the room
    wet: float = 0.06          # reverberant energy relative to the direct path (board next to the phone: slight)
    speaker_lowpass_hz: float = 3600.0  # small speakerphone driver roll-off

    def to_dict(self) -> dict:
        return {k: round(v, 3) for k, v in asdict(self).items()}


def draw_params(rng: np.random.Generator, snr_db: float) -> ChannelParams:
    """Per-call variation: level ±4 dB, near/far balance, room size."""
    return ChannelParams(
        snr_db=float(snr_db),
        level_dbfs=float(rng.uniform(-30.0, -22.0)),
        near_gain_db=float(rng.uniform(-3.0, 3.0)),
        # The board sits beside the phone, so the direct sound dominates: direct-to-reverberant
        # ratio 10-15 dB. (A first run with 5-8 dB, wet 0.15-0.35, was far harsher than "slight".)
        rt60_s=float(rng.uniform(0.1, 0.25)),
        wet=float(rng.uniform(0.03, 0.1)),
        speaker_lowpass_hz=float(rng.uniform(3300.0, 3800.0)),
    )


def to_float(pcm: np.ndarray) -> np.ndarray:
    return np.asarray(pcm, dtype=np.float32) / 32768.0


def to_int16(x: np.ndarray) -> np.ndarray:
    return np.clip(np.round(np.asarray(x, dtype=np.float64) * 32768.0), -32768, 32767).astype(np.int16)


# ---------------------------------------------------------------- telephone network

def bandpass(x: np.ndarray, rate: int = RATE, lo: float = 300.0, hi: float = 3400.0) -> np.ndarray:
    # 8th-order Butterworth as second-order sections: stable at these narrow edges.
    sos = butter(8, [lo, hi], btype="bandpass", fs=rate, output="sos")
    return sosfilt(sos, x).astype(np.float32)


def mulaw_encode(x: np.ndarray) -> np.ndarray:
    """Float in [-1, 1] to 8-bit μ-law codes (0..255), continuous G.711-style companding."""
    x = np.clip(np.asarray(x, dtype=np.float64), -1.0, 1.0)
    y = np.sign(x) * np.log1p(MU * np.abs(x)) / np.log1p(MU)
    return np.clip(np.round((y + 1.0) * 127.5), 0, 255).astype(np.uint8)


def mulaw_decode(codes: np.ndarray) -> np.ndarray:
    y = np.asarray(codes, dtype=np.float64) / 127.5 - 1.0
    return (np.sign(y) * np.expm1(np.abs(y) * np.log1p(MU)) / MU).astype(np.float32)


def mulaw_error_bound(x: np.ndarray) -> np.ndarray:
    """Largest round-trip error at amplitude |x|: half a code step times the slope of the
    expansion there. The tests hold the codec to this bound."""
    step = 1.0 / 127.5
    slope = np.log1p(MU) / MU * (1.0 + MU * np.abs(x))  # d|x|/dy
    return 0.5 * step * slope * 1.05 + 1e-6


def phone_line(x: np.ndarray) -> np.ndarray:
    """300–3400 Hz band → 8 kHz → μ-law encode/decode → back to 16 kHz."""
    band = bandpass(x)
    narrow = resample_poly(band, LINE_RATE, RATE)  # its anti-alias filter cuts at 4 kHz
    coded = mulaw_decode(mulaw_encode(narrow))
    return resample_poly(coded, RATE, LINE_RATE).astype(np.float32)[: len(x)]


# ---------------------------------------------------------------- room and microphone

def room_impulse(rng: np.random.Generator, rt60_s: float, wet: float, rate: int = RATE) -> np.ndarray:
    """Direct path plus an exponentially decaying noise tail (60 dB down after rt60_s)."""
    n = int(rt60_s * rate)
    t = np.arange(n) / rate
    tail = rng.standard_normal(n) * np.exp(-6.9078 * t / rt60_s)
    tail[: int(0.003 * rate)] = 0.0  # first reflection ~3 ms after the direct sound
    tail *= np.sqrt(wet / max(np.sum(tail ** 2), 1e-12))
    tail[0] = 1.0
    return tail.astype(np.float32)


def active_power(x: np.ndarray, floor_db: float = -40.0) -> float:
    """Mean power over the 20 ms frames within ``floor_db`` of the loudest frame: speech
    power without the silences between turns (the way SNR of speech is usually quoted)."""
    n = len(x) // FRAME
    if n == 0:
        return float(np.mean(np.square(x, dtype=np.float64))) if len(x) else 0.0
    p = np.mean(np.square(x[: n * FRAME].astype(np.float64)).reshape(n, FRAME), axis=1)
    top = p.max()
    if top <= 0:
        return 0.0
    return float(p[p >= top * 10 ** (floor_db / 10)].mean())


def set_level(x: np.ndarray, level_dbfs: float) -> np.ndarray:
    p = active_power(x)
    if p <= 0:
        return x
    return (x * np.sqrt(10 ** (level_dbfs / 10) / p)).astype(np.float32)


def room_noise(rng: np.random.Generator, n: int) -> np.ndarray:
    """Gaussian noise tilted towards low frequencies (room hum/fan rather than hiss)."""
    white = rng.standard_normal(n)
    b, a = [1.0], [1.0, -0.9]  # one-pole low-pass, about -6 dB/octave above ~250 Hz
    return lfilter(b, a, white).astype(np.float32)


def add_noise(x: np.ndarray, rng: np.random.Generator, snr_db: float) -> tuple[np.ndarray, np.ndarray]:
    """x + noise scaled so active-speech power / noise power = snr_db exactly. Returns (mix, noise)."""
    noise = room_noise(rng, len(x))
    ps, pn = active_power(x), float(np.mean(np.square(noise, dtype=np.float64)))
    if ps <= 0 or pn <= 0:
        return x, np.zeros_like(x)
    noise = (noise * np.sqrt(ps / (pn * 10 ** (snr_db / 10)))).astype(np.float32)
    return (x + noise).astype(np.float32), noise


def speakerphone(x: np.ndarray, cutoff_hz: float) -> np.ndarray:
    """A small driver: little below 200 Hz, rolling off above cutoff_hz."""
    sos = butter(4, [200.0, cutoff_hz], btype="bandpass", fs=RATE, output="sos")
    return sosfilt(sos, x).astype(np.float32)


def apply_call_channel(far: np.ndarray, near: np.ndarray, params: ChannelParams,
                       rng: np.random.Generator) -> np.ndarray:
    """far = caller track, near = callee track (same length, int16 or float). Returns int16 at 16 kHz."""
    far_f, near_f = to_float(far) if far.dtype == np.int16 else far, to_float(near) if near.dtype == np.int16 else near
    if len(far_f) != len(near_f):
        raise ValueError(f"caller and callee tracks differ in length ({len(far_f)} vs {len(near_f)})")
    far_f = speakerphone(phone_line(far_f), params.speaker_lowpass_hz)
    # balance the two talkers at equal active level, then offset the near one
    pf, pn = active_power(far_f), active_power(near_f)
    if pf > 0 and pn > 0:
        near_f = near_f * np.sqrt(pf / pn) * 10 ** (params.near_gain_db / 20)
    mix = far_f + near_f
    ir = room_impulse(rng, params.rt60_s, params.wet)
    mix = fftconvolve(mix, ir)[: len(mix)].astype(np.float32)
    mix = set_level(mix, params.level_dbfs)
    mix, _ = add_noise(mix, rng, params.snr_db)
    return to_int16(mix)
