"""Augmented scenes -> labelled int8 feature windows, with the firmware's C log-mel (ctypes).

A window is FRAMES consecutive 20 ms frames. Label k+1 when keyword k lies entirely inside the
window, 0 when the window holds less than half of any keyword, and the window is dropped in
between (a half-heard keyword is neither a positive nor a clean negative).
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "host"))
from scamguard import dsp  # noqa: E402

from . import synth  # noqa: E402

FRAMES = 50        # 1.0 s input window
# The board runs the model every 8 frames (160 ms): a keyword of 0.5 s stays fully inside the
# 1 s window for about three inferences, and the CPU budget (firmware-bench) allows no more.
STRIDE_FRAMES = 8
HOP = 320


def scene_features(audio_f32: np.ndarray, spans, rng, channel=None):
    """One augmented rendering of a scene: (features (T, 40) int8, spans in frames, channel)."""
    sc = synth.Scene(audio_f32, list(spans))
    pcm = synth.augment(sc, rng, channel)
    feats = dsp.logmel_int8(pcm)
    fspans = [(k, s // HOP, (e - 1) // HOP) for k, s, e in spans]
    return feats, fspans, sc.channel


def windows(feats: np.ndarray, fspans, pos_step: int, neg_step: int, rng):
    """Sample labelled windows; yields (window (FRAMES, 40), label)."""
    T = feats.shape[0]
    ends = set(range(FRAMES - 1, T, neg_step))
    for k, s, e in fspans:  # every end position that contains keyword k fully, pos_step apart
        ends.update(range(max(e, FRAMES - 1), min(s + FRAMES - 1, T - 1) + 1, pos_step))
    out_x, out_y = [], []
    for end in sorted(ends):
        start = end - FRAMES + 1
        label = 0
        for k, s, e in fspans:
            if s >= start and e <= end:
                label = k + 1
                break
            overlap = min(e, end) - max(s, start) + 1
            if overlap > 0 and overlap * 2 >= e - s + 1:
                label = -1
        if label >= 0:
            out_x.append(feats[start:end + 1])
            out_y.append(label)
    return out_x, out_y


def load(name: str):
    d = np.load(synth.ROOT / "build" / "kws" / "data" / f"{name}.npz", allow_pickle=True)
    return [a.astype(np.float32) / 32767 for a in d["audio"]], list(d["spans"]), list(d["voice"])


def _scene_windows(args):
    audio, spans, seed, copies = args
    rng = np.random.default_rng(seed)
    xs, ys = [], []
    for _ in range(copies):
        f, fs, _ = scene_features(audio, spans, rng)
        x, y = windows(f, fs, 2, 8, rng)
        xs += x
        ys += y
    return xs, ys


def build_windows(name: str, copies: int, seed: int, idx=None, procs: int = 3):
    """All labelled windows of a scene set (each scene rendered `copies` times), in parallel:
    feature extraction dominates the training run's time."""
    from multiprocessing import Pool
    audio, spans, _ = load(name)
    idx = range(len(audio)) if idx is None else idx
    jobs = [(audio[i], spans[i], seed * 100003 + int(i), copies) for i in idx]
    with Pool(procs) as pool:
        res = pool.map(_scene_windows, jobs, chunksize=8)
    xs = [w for x, _ in res for w in x]
    ys = [v for _, y in res for v in y]
    return np.stack(xs).astype(np.int8), np.array(ys, np.int8)
