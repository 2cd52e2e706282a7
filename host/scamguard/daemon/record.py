"""`--record DIR`: the only path by which call audio or transcripts reach the disk.

Off by default. When on, every segment is written as a 16 kHz mono WAV and every verdict,
transcript included, as one JSON line in DIR/verdicts.jsonl. The directory is created
owner-only (0700) and the files owner-read/write (0600): recordings of a phone call are
about as private as data gets. The CLI prints a warning whenever recording is on.
"""
from __future__ import annotations

import json
import logging
import os
import re
import time
import wave
from pathlib import Path

from .. import params as P

log = logging.getLogger("scamguard.record")

WARNING = ("RECORDING IS ON: call audio and transcripts are being written to {dir}. They contain the "
           "private conversation of whoever is on the phone; delete them when done (see docs/security.md).")


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_") or "board"


class Recorder:
    """Call with a SegmentReport (it is an on_segment hook)."""

    def __init__(self, directory: str | Path):
        self.dir = Path(directory).expanduser()
        self.dir.mkdir(parents=True, exist_ok=True)
        os.chmod(self.dir, 0o700)
        self.jsonl = self.dir / "verdicts.jsonl"
        self.segments_written = 0

    def _open_private(self, path: Path, mode: str):
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | (os.O_APPEND if "a" in mode else os.O_TRUNC), 0o600)
        return os.fdopen(fd, mode)

    def __call__(self, report) -> None:
        seg, v = report.segment, report.verdict
        board = _safe(report.board)
        wav_path = self.dir / board / f"call{report.call_index:04d}_seg{seg.segment_id:05d}_{seg.start_ms:09d}ms.wav"
        wav_path.parent.mkdir(exist_ok=True, mode=0o700)
        with self._open_private(wav_path, "wb") as fh, wave.open(fh, "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(P.AUDIO_SAMPLE_RATE_HZ)
            w.writeframes(seg.pcm.astype("<i2").tobytes())
        row = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "board": report.board, "call": report.call_index,
            "segment_id": seg.segment_id, "start_ms": seg.start_ms, "end_ms": seg.end_ms,
            "missing_samples": seg.missing_samples, "kws_hits": seg.kws_hits,
            "level": v.level, "score": round(float(v.score), 4), "fraud_type": getattr(v, "fraud_type", None),
            "reason": getattr(v, "reason", ""), "transcript": getattr(v, "transcript", ""),
            "latency_s": round(report.latency_s, 4), "wav": str(wav_path.relative_to(self.dir)),
        }
        with self._open_private(self.jsonl, "a") as fh:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        self.segments_written += 1


def chain(*hooks):
    """One on_segment callback that calls each hook in turn."""
    def call(report) -> None:
        for h in hooks:
            h(report)
    return call
