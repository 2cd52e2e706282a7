"""IMA-ADPCM, bit-exact with firmware/core/src/sg_adpcm.c (low nibble = first sample)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import params as P

# The standard IMA tables, defined once in firmware/params.toml [adpcm].
STEP_TABLE = P.ADPCM_STEP_TABLE
INDEX_TABLE = P.ADPCM_INDEX_TABLE

# Every (step_index, code) pair decodes to a fixed delta and next index: precompute them so
# the per-sample loop is two lookups and a clamp.
_DELTA = [[0] * 16 for _ in range(89)]
_NEXT = [[0] * 16 for _ in range(89)]
for _i, _step in enumerate(STEP_TABLE):
    for _code in range(16):
        _d = _step >> 3
        if _code & 4:
            _d += _step
        if _code & 2:
            _d += _step >> 1
        if _code & 1:
            _d += _step >> 2
        _DELTA[_i][_code] = -_d if _code & 8 else _d
        _NEXT[_i][_code] = min(88, max(0, _i + INDEX_TABLE[_code]))


@dataclass
class AdpcmState:
    predictor: int = 0
    step_index: int = 0


def decode(data: bytes, n_samples: int, state: AdpcmState) -> np.ndarray:
    """Decode n_samples from (n_samples+1)//2 bytes, advancing state."""
    if len(data) < (n_samples + 1) // 2:
        raise ValueError(f"{len(data)} ADPCM bytes cannot hold {n_samples} samples")
    out = [0] * n_samples
    pred, idx = state.predictor, state.step_index
    for i in range(n_samples):
        byte = data[i >> 1]
        code = (byte >> 4) if i & 1 else (byte & 0x0F)
        pred += _DELTA[idx][code]
        pred = 32767 if pred > 32767 else (-32768 if pred < -32768 else pred)
        idx = _NEXT[idx][code]
        out[i] = pred
    state.predictor, state.step_index = pred, idx
    return np.asarray(out, dtype=np.int16)


def encode(pcm: np.ndarray, state: AdpcmState) -> bytes:
    """Encode int16 samples into (n+1)//2 bytes, advancing state."""
    samples = np.asarray(pcm, dtype=np.int16).tolist()
    out = bytearray((len(samples) + 1) // 2)
    pred, idx = state.predictor, state.step_index
    for i, s in enumerate(samples):
        step = STEP_TABLE[idx]
        diff = s - pred
        code = 0
        if diff < 0:
            code, diff = 8, -diff
        if diff >= step:
            code |= 4
            diff -= step
        if diff >= step >> 1:
            code |= 2
            diff -= step >> 1
        if diff >= step >> 2:
            code |= 1
        pred += _DELTA[idx][code]
        pred = 32767 if pred > 32767 else (-32768 if pred < -32768 else pred)
        idx = _NEXT[idx][code]
        out[i >> 1] |= code << 4 if i & 1 else code
    state.predictor, state.step_index = pred, idx
    return bytes(out)
