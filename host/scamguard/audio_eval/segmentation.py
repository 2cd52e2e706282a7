"""The firmware's VAD and segmenter, run on a recording through libsgcore.so (ctypes).

Evaluation must cut audio exactly as the board does (ARCHITECTURE.md, DSP parity), so this
module only drives the C code frame by frame, as the firmware's main loop does:
    sg_vad_process(frame) -> sg_segmenter_process(frame_start, vad) -> START/END events,
then sg_segmenter_flush at the end of the recording. The structs below mirror
firmware/core/include/sg_vad.h and sg_segmenter.h; the state structs the Python side never
reads are kept as opaque, generously sized buffers so a private field added in C cannot
overrun them.
"""
from __future__ import annotations

import ctypes as C
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .. import params as P

FRAME = P.AUDIO_FRAME_SAMPLES
RATE = P.AUDIO_SAMPLE_RATE_HZ
MODES = {"fixed": int(P.SegmenterMode.FIXED), "vad": int(P.SegmenterMode.VAD_CUT)}
_REPO = Path(__file__).resolve().parents[3]
DEFAULT_LIB = _REPO / "build" / "lib" / "libsgcore.so"
_OPAQUE_BYTES = 4096  # sizeof(sg_vad_t) and sizeof(sg_segmenter_t) are far smaller


class SegmentationError(RuntimeError):
    pass


class VadResult(C.Structure):
    _fields_ = [("speech", C.c_uint8), ("active", C.c_uint8), ("onset", C.c_uint8), ("offset", C.c_uint8),
                ("lookback_frames", C.c_uint8), ("state", C.c_int), ("prev_state", C.c_int),
                ("energy_db_q8", C.c_int16), ("floor_db_q8", C.c_int16)]


class SegConfig(C.Structure):
    _fields_ = [("mode", C.c_uint8), ("segment_ms", C.c_uint16), ("overlap_pct", C.c_uint8)]


class SegEvent(C.Structure):
    _fields_ = [("type", C.c_uint8), ("id", C.c_uint16), ("start_sample", C.c_uint32), ("end_sample", C.c_uint32),
                ("start_ms", C.c_uint32), ("end_ms", C.c_uint32), ("speech_ms", C.c_uint16), ("flags", C.c_uint8)]


# SG_SEGMENTER_MAX_EVENTS is a C macro (no symbol to read) and has already grown once (4 -> 6);
# the C side writes at most that many, so a larger array here is always safe.
MAX_EVENTS = 32


class SegOutput(C.Structure):
    _fields_ = [("stream", C.c_uint8), ("backfill_start", C.c_uint32), ("backfill_samples", C.c_uint32),
                ("config_applied", C.c_uint8), ("n_events", C.c_uint8), ("events", SegEvent * MAX_EVENTS)]


EVENT_END = 2


@dataclass(frozen=True)
class Cut:
    """One segment as the board would send it."""

    seg_id: int
    start_sample: int
    end_sample: int
    speech_ms: int
    flags: int

    @property
    def t_start_s(self) -> float:
        return self.start_sample / RATE

    @property
    def t_end_s(self) -> float:
        return self.end_sample / RATE


def library_path() -> Path:
    return Path(os.environ.get("SCAMGUARD_SGCORE", DEFAULT_LIB))


_LIB = None


def load_library(path: str | Path | None = None):
    """libsgcore.so with the VAD and segmenter entry points typed; clear error if absent."""
    global _LIB
    if _LIB is not None and path is None:
        return _LIB
    p = Path(path) if path else library_path()
    if not p.exists():
        raise SegmentationError(f"{p} not found: build it with `make core-so`")
    lib = C.CDLL(str(p))
    for sym in ("sg_vad_init", "sg_vad_process", "sg_vad_default_config", "sg_segmenter_init",
                "sg_segmenter_process", "sg_segmenter_flush", "sg_segmenter_check_config"):
        if not hasattr(lib, sym):
            raise SegmentationError(f"{p} lacks {sym}: rebuild it with `make core-so` from a tree with sg_vad.c "
                                    "and sg_segmenter.c")
    lib.sg_vad_default_config.argtypes = [C.c_void_p]
    lib.sg_vad_init.argtypes = [C.c_void_p, C.c_void_p]
    lib.sg_vad_init.restype = C.c_int
    lib.sg_vad_process.argtypes = [C.c_void_p, C.POINTER(C.c_int16), C.POINTER(VadResult)]
    lib.sg_segmenter_check_config.argtypes = [C.POINTER(SegConfig), C.POINTER(C.c_char_p)]
    lib.sg_segmenter_check_config.restype = C.c_int
    lib.sg_segmenter_init.argtypes = [C.c_void_p, C.POINTER(SegConfig)]
    lib.sg_segmenter_init.restype = C.c_int
    lib.sg_segmenter_process.argtypes = [C.c_void_p, C.c_uint32, C.POINTER(VadResult), C.POINTER(SegOutput)]
    lib.sg_segmenter_flush.argtypes = [C.c_void_p, C.c_uint32, C.POINTER(SegOutput)]
    if path is None:
        _LIB = lib
    return lib


def segment_pcm(pcm: np.ndarray, mode: str = "fixed", segment_s: float = 5.0, overlap_pct: int = 0,
                lib=None) -> list[Cut]:
    """Run the board's VAD + segmenter over ``pcm`` (16 kHz int16); return the segments in
    the order their END events come out (the order the host receives them)."""
    if mode not in MODES:
        raise SegmentationError(f"mode must be one of {sorted(MODES)}, got {mode!r}")
    lib = lib or load_library()
    pcm = np.ascontiguousarray(pcm, dtype=np.int16)
    cfg = SegConfig(MODES[mode], int(round(segment_s * 1000)), int(overlap_pct))
    why = C.c_char_p()
    if lib.sg_segmenter_check_config(C.byref(cfg), C.byref(why)) != 0:
        raise SegmentationError(f"segmenter config rejected: {(why.value or b'?').decode()}")
    vad = C.create_string_buffer(_OPAQUE_BYTES)
    vcfg = C.create_string_buffer(256)
    lib.sg_vad_default_config(vcfg)
    if lib.sg_vad_init(vad, vcfg) != 0:
        raise SegmentationError("sg_vad_init rejected the default config")
    seg = C.create_string_buffer(_OPAQUE_BYTES)
    if lib.sg_segmenter_init(seg, C.byref(cfg)) != 0:
        raise SegmentationError("sg_segmenter_init failed")
    res, out = VadResult(), SegOutput()
    cuts: list[Cut] = []

    def collect() -> None:
        if out.n_events > MAX_EVENTS:
            raise SegmentationError(f"segmenter reported {out.n_events} events, more than the {MAX_EVENTS} "
                                    "this binding reserves: update MAX_EVENTS")
        for i in range(out.n_events):
            e = out.events[i]
            if e.type == EVENT_END:
                cuts.append(Cut(int(e.id), int(e.start_sample), int(e.end_sample), int(e.speech_ms), int(e.flags)))

    n_frames = len(pcm) // FRAME  # a trailing partial frame is never captured by the board either
    base = pcm.ctypes.data_as(C.POINTER(C.c_int16))
    for f in range(n_frames):
        frame = C.cast(C.addressof(base.contents) + 2 * f * FRAME, C.POINTER(C.c_int16))
        lib.sg_vad_process(vad, frame, C.byref(res))
        lib.sg_segmenter_process(seg, f * FRAME, C.byref(res), C.byref(out))
        collect()
    lib.sg_segmenter_flush(seg, n_frames * FRAME, C.byref(out))
    collect()
    return cuts


def vad_speech_fraction(cuts: list[Cut]) -> float:
    dur = sum(c.end_sample - c.start_sample for c in cuts) / RATE
    return sum(c.speech_ms for c in cuts) / 1000 / dur if dur else 0.0
