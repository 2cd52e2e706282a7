"""ASR of board segments, with a persistent cache.

Each segment is transcribed once per (recording, segment bounds, model, language) and the
result is appended to a JSONL cache together with the *measured* processing time, so a
re-run (another report, other plots, the same windows for another strategy) does not
spend another quarter of an hour in Whisper, and the latency figures stay the ones that
were measured when the segment was actually transcribed.
"""
from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)


def audio_digest(pcm: np.ndarray) -> str:
    return hashlib.sha256(np.ascontiguousarray(pcm, dtype="<i2").tobytes()).hexdigest()[:20]


class TranscriptCache:
    def __init__(self, path: str | Path | None, model_id: str):
        self.path = Path(path) if path else None
        self.model_id = model_id
        self._rows: dict[str, dict] = {}
        self.hits = self.misses = 0
        if self.path and self.path.is_file():
            for line in self.path.read_text(encoding="utf-8").splitlines():
                try:
                    row = json.loads(line)
                except json.JSONDecodeError:  # a run killed mid-write leaves a partial last line
                    continue
                self._rows[row["key"]] = row
            log.info("ASR cache: %d segments from %s", len(self._rows), self.path)

    def key(self, digest: str, start: int, end: int, language: str) -> str:
        return f"{self.model_id}|{language}|{digest}|{start}|{end}"

    def get(self, key: str) -> dict | None:
        row = self._rows.get(key)
        if row is None:
            self.misses += 1
        else:
            self.hits += 1
        return row

    def put(self, key: str, text: str, lang: str, asr_s: float) -> dict:
        row = {"key": key, "text": text, "lang": lang, "asr_s": round(float(asr_s), 4)}
        self._rows[key] = row
        if self.path:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with open(self.path, "a", encoding="utf-8") as f:
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
        return row


def transcribe_cut(asr, cache: TranscriptCache, pcm: np.ndarray, digest: str, start: int, end: int,
                   language: str) -> dict:
    """{text, lang, asr_s} for pcm[start:end]; ``language`` is zh, en or auto."""
    key = cache.key(digest, start, end, language)
    row = cache.get(key)
    if row is not None:
        return row
    tr = asr.transcribe(pcm[start:end], language=language)
    return cache.put(key, tr.text, tr.lang, tr.seconds)
