"""ctypes bindings to the firmware's own C code (build/lib/libsgcore.so): log-mel features and
the int8 keyword model, so training, evaluation and tests compute exactly what the board does
(DSP parity rule, docs ARCHITECTURE.md). Nothing here re-implements the C in numpy.

The library path: $SCAMGUARD_CORE_LIB, else <repo>/build/lib/libsgcore.so (`make core-so`).
"""
from __future__ import annotations

import ctypes as C
import os
from functools import lru_cache
from pathlib import Path

import numpy as np

_ROOT = Path(__file__).resolve().parents[2]


class KwsHit(C.Structure):
    _fields_ = [("id", C.c_uint8), ("score", C.c_uint8), ("t_ms", C.c_uint32)]  # sg_kws_hit_t


@lru_cache(maxsize=1)
def lib() -> C.CDLL:
    path = os.environ.get("SCAMGUARD_CORE_LIB") or str(_ROOT / "build" / "lib" / "libsgcore.so")
    if not Path(path).exists():
        raise FileNotFoundError(f"{path} missing: run `make core-so`")
    L = C.CDLL(path)
    L.sg_logmel_compute_int8.argtypes = [C.POINTER(C.c_int16), C.c_size_t, C.POINTER(C.c_int8), C.c_size_t]
    L.sg_logmel_compute_int8.restype = C.c_size_t
    L.sg_logmel_n_mels.restype = C.c_int
    L.sg_logmel_hop_samples.restype = C.c_int
    if hasattr(L, "sg_kws_model_run_window"):
        L.sg_kws_model_run_window.argtypes = [C.POINTER(C.c_int8), C.POINTER(C.c_int8)]
        L.sg_kws_model_run_window.restype = C.c_int
        L.sg_kws_model_stream.argtypes = [C.POINTER(C.c_int8), C.c_size_t, C.c_uint8, C.c_uint8, C.c_uint16,
                                          C.POINTER(KwsHit), C.c_size_t, C.POINTER(C.c_uint8), C.c_size_t]
        L.sg_kws_model_stream.restype = C.c_long
        L.sg_kws_model_replay.argtypes = [C.POINTER(C.c_uint8), C.c_size_t, C.c_uint8, C.c_uint8, C.c_uint8, C.c_uint16,
                                          C.POINTER(KwsHit), C.c_size_t]
        L.sg_kws_model_replay.restype = C.c_long
    return L


def logmel_int8(pcm: np.ndarray) -> np.ndarray:
    """int16 16 kHz audio -> (frames, n_mels) int8 model features, fresh state, 20 ms hop."""
    L = lib()
    pcm = np.ascontiguousarray(pcm, dtype=np.int16)
    mels, hop = L.sg_logmel_n_mels(), L.sg_logmel_hop_samples()
    frames = pcm.size // hop
    out = np.empty((frames, mels), dtype=np.int8)
    n = L.sg_logmel_compute_int8(pcm.ctypes.data_as(C.POINTER(C.c_int16)), pcm.size,
                                 out.ctypes.data_as(C.POINTER(C.c_int8)), frames)
    return out[:n]


def model_run_window(window: np.ndarray, n_classes: int) -> np.ndarray:
    """One (frames, mels) int8 window through the C model -> n_classes int8 softmax outputs."""
    w = np.ascontiguousarray(window, dtype=np.int8)
    out = np.empty(n_classes, dtype=np.int8)
    if lib().sg_kws_model_run_window(w.ctypes.data_as(C.POINTER(C.c_int8)), out.ctypes.data_as(C.POINTER(C.c_int8))):
        raise RuntimeError("sg_kws_model_run_window failed (arena too small?)")
    return out


def kws_stream(features: np.ndarray, window: int = 0, threshold: int = 0, cooldown_ms: int = 0,
               n_keywords: int = 0, max_hits: int = 4096):
    """The device's streaming keyword path (C model + sg_kws smoothing/cooldown) over a feature
    stream. 0 keeps the model's default. Returns (hits [(id, score, t_ms)], posteriors or None)."""
    f = np.ascontiguousarray(features, dtype=np.int8)
    hits = (KwsHit * max_hits)()
    post = None
    pptr, pmax = None, 0
    if n_keywords:
        pmax = f.shape[0] + 1
        post = np.zeros((pmax, n_keywords), dtype=np.uint8)
        pptr = post.ctypes.data_as(C.POINTER(C.c_uint8))
    n = lib().sg_kws_model_stream(f.ctypes.data_as(C.POINTER(C.c_int8)), f.shape[0], window, threshold, cooldown_ms,
                                  hits, max_hits, pptr, pmax)
    if n < 0:
        raise RuntimeError("sg_kws_model_stream rejected its arguments")
    out = [(hits[i].id, hits[i].score, hits[i].t_ms) for i in range(min(n, max_hits))]
    return out, post


def kws_replay(post: np.ndarray, n_inferences: int, window: int, threshold: int, cooldown_ms: int,
               max_hits: int = 4096):
    """sg_kws's smoothing and cooldown over recorded posteriors (rows 0..n_inferences-1)."""
    p = np.ascontiguousarray(post[:n_inferences], dtype=np.uint8)
    hits = (KwsHit * max_hits)()
    n = lib().sg_kws_model_replay(p.ctypes.data_as(C.POINTER(C.c_uint8)), n_inferences, p.shape[1], window, threshold,
                                  cooldown_ms, hits, max_hits)
    if n < 0:
        raise RuntimeError("sg_kws_model_replay rejected its arguments")
    return [(hits[i].id, hits[i].score, hits[i].t_ms) for i in range(min(n, max_hits))]
