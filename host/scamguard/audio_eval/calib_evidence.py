"""Calibration evidence from call recordings (synthesised or real): the same chain as `scamguard eval --mode audio`.

Thresholds fitted on clean text learn how a scam *reads*; the product sees Whisper's
transcript of a 3 s cut through a telephone channel. Calls given to
`scamguard calibrate --audio-corpus` are segmented by the board's C segmenter, transcribed
(with the shared ASR cache) and embedded exactly as in audio evaluation, so calibration sees
the recognition errors the product will see.
"""
from __future__ import annotations

import logging
from pathlib import Path

from ..evaluation.runner import CallEvidence
from .pipeline import AudioSetup, call_evidence
from .segmentation import load_library
from .transcribe import TranscriptCache

log = logging.getLogger(__name__)


def audio_calibration_evidence(corpus: str | Path, calls: list[dict], window_s: float, embedder, library,
                               neighbours_k: int, asr_model: str = "base", asr_cache: str | None = None,
                               segmentation: str = "fixed", contexts: tuple[int, ...] = (),
                               progress=lambda s: None) -> list[CallEvidence]:
    """CallEvidence for every call of a synthesised corpus (each call needs its `audio`).

    Raises ValueError for a call without audio or a WAV the board could not have recorded
    (audio.wav.WavFormatError: truncated, not 16 kHz mono int16), OSError for a missing file and
    SegmentationError when the board library is not built."""
    from ..asr import Asr

    load_library()  # a clear error if the board library was not built (make core-so)
    missing = [c["id"] for c in calls if not c.get("audio")]
    if missing:
        raise ValueError(f"{corpus}: {len(missing)} calls have no 'audio' field (first: {missing[0]}); "
                         "synthesise it first with scamguard corpus synth")
    setup = AudioSetup(Asr(asr_model, language="auto", threads=2), embedder, library, neighbours_k,
                       TranscriptCache(asr_cache, asr_model), mode=segmentation, contexts=contexts)
    corpus_dir = Path(corpus).resolve().parent
    out = []
    for i, call in enumerate(calls):
        out.append(call_evidence(call, corpus_dir, window_s, setup).evidence)
        progress(f"audio evidence [{i + 1}/{len(calls)}] {call['id']}: {len(out[-1].segments)} segments")
    log.info("audio calibration evidence: %d calls, ASR cache %d hits / %d misses", len(calls),
             setup.cache.hits, setup.cache.misses)
    return out
