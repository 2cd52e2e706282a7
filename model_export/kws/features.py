"""Augmented scenes -> labelled int8 feature windows, with the firmware's C log-mel (ctypes).

A window is FRAMES consecutive 20 ms frames. Label k+1 when keyword k lies inside the window
(entirely, or a chosen share of it: `cover`), 0 when the window holds less than half of any
keyword, and the window is dropped in between (a half-heard keyword is neither a positive nor
a clean negative).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
from scipy.signal import resample_poly

from . import synth  # puts host/ on sys.path for scamguard

from scamguard import dsp  # noqa: E402

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


def windows(feats: np.ndarray, fspans, pos_step: int, neg_step: int, rng, cover: float = 1.0):
    """Sample labelled windows; yields (window (FRAMES, 40), label). A window is a positive for
    keyword k when it holds at least `cover` of its frames (1.0: all of them), a negative when
    it holds less than half of every keyword, and is dropped in between."""
    T = feats.shape[0]
    need = [int(np.ceil(cover * (e - s + 1))) for _, s, e in fspans]  # frames that make a positive
    ends = set(range(FRAMES - 1, T, neg_step))
    for (k, s, e), n in zip(fspans, need):  # every end position whose window holds enough of k
        ends.update(range(max(s + n - 1, FRAMES - 1), min(e - n + FRAMES, T - 1) + 1, pos_step))
    out_x, out_y = [], []
    for end in sorted(ends):
        start = end - FRAMES + 1
        label = 0
        for (k, s, e), n in zip(fspans, need):
            overlap = min(e, end) - max(s, start) + 1
            if overlap >= n:
                label = k + 1
                break
            if overlap > 0 and overlap * 2 >= e - s + 1:
                label = -1
        if label >= 0:
            out_x.append(feats[start:end + 1])
            out_y.append(label)
    return out_x, out_y


def split_scenes(voices, seed: int, val_variants: int = 0):
    """(validation, training) scene indices. By default a random tenth of the scenes (training
    voices on both sides). With val_variants > 0, every scene said by one of that many
    variants, drawn at random, is validation and no training scene uses them: validation then
    measures unseen voices, which is what speed perturbation changed (docs/results/kws.md)."""
    if val_variants < 0:
        raise ValueError(f"val_variants must be 0 or more, not {val_variants}")
    n = len(voices)
    rng = np.random.default_rng(seed)
    if val_variants == 0:
        order = rng.permutation(n)
        return sorted(order[:n // 10].tolist()), sorted(order[n // 10:].tolist())
    variants = sorted({str(v).split("+", 1)[-1] for v in voices})
    if val_variants >= len(variants):
        raise ValueError(f"{val_variants} validation variants would leave no training voice")
    held = set(rng.choice(variants, val_variants, replace=False).tolist())
    is_val = [str(v).split("+", 1)[-1] in held for v in voices]
    return [i for i in range(n) if is_val[i]], [i for i in range(n) if not is_val[i]]


DATA = synth.ROOT / "build" / "kws" / "data"


def set_path(name: str) -> Path:
    """The .npz of one synthesised set; a clear error saying how to make it when it is missing."""
    path = DATA / f"{name}.npz"
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: `make kws-data` synthesises every set "
                                f"(or `python -m model_export.kws.gen_data --only {name}`)")
    return path


def load(name: str):
    d = np.load(set_path(name), allow_pickle=True)
    return [a.astype(np.float32) / 32767 for a in d["audio"]], list(d["spans"]), list(d["voice"])


# Training renderings are resampled by a random factor (Kaldi-style speed perturbation): the
# voice gets faster and higher or slower and lower, formants included, which makes new voices
# out of the training ones. Evaluation never perturbs.
SPEED_RANGE = (0.88, 1.12)


def perturb_speed(audio: np.ndarray, spans, rng):
    """The scene played `factor` times as fast (pitch and formants move with it); spans follow."""
    down = int(round(100 * rng.uniform(*SPEED_RANGE)))
    if down == 100:
        return audio, list(spans)
    out = resample_poly(audio, 100, down).astype(np.float32)
    return out, [(k, s * 100 // down, max(e * 100 // down, s * 100 // down + 1)) for k, s, e in spans]


def _scene_windows(args):
    audio, spans, seed, copies, perturb, cover = args
    rng = np.random.default_rng(seed)
    xs, ys = [], []
    for _ in range(copies):
        a, sp = perturb_speed(audio, spans, rng) if perturb else (audio, spans)
        f, fs, _ = scene_features(a, sp, rng)
        x, y = windows(f, fs, 2, 8, rng, cover)
        xs += x
        ys += y
    return xs, ys


def build_windows(name: str, copies: int, seed: int, idx=None, procs: int = 3, perturb: bool = False,
                  cover: float = 1.0):
    """All labelled windows of a scene set (each scene rendered `copies` times, speed-perturbed
    when `perturb`, positives holding `cover` of a keyword), in parallel: feature extraction
    dominates the training run's time."""
    from multiprocessing import Pool
    audio, spans, _ = load(name)
    idx = range(len(audio)) if idx is None else idx
    jobs = [(audio[i], spans[i], seed * 100003 + int(i), copies, perturb, cover) for i in idx]
    with Pool(procs) as pool:
        res = pool.map(_scene_windows, jobs, chunksize=8)
    xs = [w for x, _ in res for w in x]
    ys = [v for _, y in res for v in y]
    return np.stack(xs).astype(np.int8), np.array(ys, np.int8)
