"""Rebuild the board's segments from its continuous audio stream.

The board sends audio once, as chunks stamped with their first sample's index, and marks
segments as time ranges (SEGMENT_START / SEGMENT_END). Overlapping segments therefore cost
no extra radio time; the host cuts each segment out of a rolling window of recent chunks.
Missing samples are zero-filled and counted, never hidden.
"""
from __future__ import annotations

import logging
from collections import OrderedDict
from dataclasses import dataclass, field

import numpy as np

from .. import params as P
from ..codec import adpcm
from ..protocol import messages as M

log = logging.getLogger("scamguard.segments")
RATE = P.AUDIO_SAMPLE_RATE_HZ
SAMPLES_PER_MS = RATE // 1000
KEEP_SAMPLES = 30 * RATE  # longest segment (10 s) plus generous slack for late SEGMENT_END


@dataclass
class Segment:
    segment_id: int
    start_ms: int
    end_ms: int
    pcm: np.ndarray
    missing_samples: int
    flags: int = 0
    kws_hits: int = 0
    speech_ms: int = 0

    @property
    def duration_s(self) -> float:
        return len(self.pcm) / RATE


@dataclass
class AssemblerCounters:
    chunks: int = 0
    duplicate_chunks: int = 0
    late_chunks: int = 0
    missing_samples: int = 0
    segments: int = 0
    orphan_segment_ends: int = 0
    unfinished_segments: int = 0  # START seen, END never arrived (lost frame or board reset)


def decode_audio(msg: M.Audio) -> np.ndarray:
    if msg.codec == P.ProtocolCodec.IMA_ADPCM:
        return adpcm.decode(msg.data, msg.n_samples, adpcm.AdpcmState(msg.predictor, msg.step_index))
    return np.frombuffer(msg.data, dtype="<i2").astype(np.int16)


@dataclass
class SegmentAssembler:
    counters: AssemblerCounters = field(default_factory=AssemblerCounters)
    _chunks: "OrderedDict[int, np.ndarray]" = field(default_factory=OrderedDict)
    _open: dict[int, int] = field(default_factory=dict)  # segment id -> start ms
    _newest: int = 0

    def add_audio(self, msg: M.Audio) -> None:
        self.counters.chunks += 1
        index = msg.sample_index
        if index in self._chunks:
            self.counters.duplicate_chunks += 1
            return
        if index + msg.n_samples < self._newest - KEEP_SAMPLES:
            self.counters.late_chunks += 1
            return
        self._chunks[index] = decode_audio(msg)
        if index < self._newest:  # out of order: keep the dict sorted by index
            self._chunks = OrderedDict(sorted(self._chunks.items()))
        self._newest = max(self._newest, index + msg.n_samples)
        while self._chunks:
            first = next(iter(self._chunks))
            if first + len(self._chunks[first]) >= self._newest - KEEP_SAMPLES:
                break
            self._chunks.popitem(last=False)

    def start(self, msg: M.SegmentStart) -> None:
        # A segment whose END was lost stays open; once its start has left the audio window
        # it can never be cut, so forget it (counted) instead of growing forever.
        horizon_ms = (self._newest - KEEP_SAMPLES) // SAMPLES_PER_MS
        for seg_id in [i for i, t in self._open.items() if t < horizon_ms or i == msg.segment_id]:
            del self._open[seg_id]
            self.counters.unfinished_segments += 1
        self._open[msg.segment_id] = msg.t_start_ms

    def end(self, msg: M.SegmentEnd) -> Segment | None:
        start_ms = self._open.pop(msg.segment_id, None)
        if start_ms is None:
            self.counters.orphan_segment_ends += 1
            log.warning("SEGMENT_END %d without its SEGMENT_START: segment skipped", msg.segment_id)
            return None
        pcm, missing = self._cut(start_ms * SAMPLES_PER_MS, msg.t_end_ms * SAMPLES_PER_MS)
        self.counters.segments += 1
        self.counters.missing_samples += missing
        if missing:
            log.warning("segment %d: %d of %d samples missing (zero-filled)", msg.segment_id, missing, len(pcm))
        return Segment(msg.segment_id, start_ms, msg.t_end_ms, pcm, missing, msg.flags, msg.kws_hits, msg.speech_ms)

    def _cut(self, lo: int, hi: int) -> tuple[np.ndarray, int]:
        out = np.zeros(max(0, hi - lo), dtype=np.int16)
        filled = 0
        for index, pcm in self._chunks.items():
            a, b = max(lo, index), min(hi, index + len(pcm))
            if a < b:
                out[a - lo : b - lo] = pcm[a - index : b - index]
                filled += b - a
        return out, len(out) - filled
