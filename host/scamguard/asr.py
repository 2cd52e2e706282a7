"""Speech to text with faster-whisper (CTranslate2, int8 on CPU), offline.

Input is what the board sends once decoded: 16 kHz mono int16 PCM for one segment.
Output text is normalised (simplified Chinese, half-width digits) so it matches the
phrase library's writing.
"""
from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass

import numpy as np

from .models import resolve_whisper
from .textnorm import detect_lang, normalize

log = logging.getLogger(__name__)

SAMPLE_RATE = 16000
LANGUAGES = ("zh", "en", "auto")
# Whisper picks traditional or simplified characters by what the prompt looks like; a
# simplified prompt tips it to simplified (the text is still converted afterwards).
_ZH_PROMPT = "以下是普通话的电话录音。"


class AsrError(Exception):
    """Bad input or an unusable model."""


@dataclass
class Transcript:
    text: str
    lang: str
    seconds: float  # processing time (not audio length)


def _as_float_audio(pcm: np.ndarray) -> np.ndarray:
    pcm = np.asarray(pcm)
    if pcm.ndim == 2 and 1 in pcm.shape:
        pcm = pcm.reshape(-1)
    if pcm.ndim != 1:
        raise AsrError(f"expected mono PCM as a 1-D int16 array, got shape {pcm.shape}")
    if pcm.dtype != np.int16:
        raise AsrError(f"expected int16 PCM at {SAMPLE_RATE} Hz, got dtype {pcm.dtype}")
    return pcm.astype(np.float32) / 32768.0


class Asr:
    def __init__(self, model: str = "base", language: str = "auto", threads: int = 2, beam_size: int = 1,
                 compute_type: str = "int8"):
        if language not in LANGUAGES:
            raise AsrError(f"language must be one of {LANGUAGES}, got {language!r}")
        if threads < 1 or beam_size < 1:
            raise AsrError("threads and beam_size must be >= 1")
        # Never reach for the model hub: the product runs offline.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        from faster_whisper import WhisperModel

        self.model_name = model
        self.model_path = resolve_whisper(model)
        self.language = language
        self.beam_size = beam_size
        t0 = time.perf_counter()
        try:
            self._model = WhisperModel(self.model_path, device="cpu", compute_type=compute_type,
                                       cpu_threads=threads, num_workers=1, local_files_only=True)
        except Exception as exc:  # faster-whisper raises a variety of errors for a bad/missing model
            raise AsrError(f"cannot load Whisper model {model!r} ({self.model_path}) offline: {exc}") from exc
        self.load_seconds = time.perf_counter() - t0
        log.info("whisper %s (%s, %s, %d threads) loaded in %.2f s", model, self.model_path, compute_type,
                 threads, self.load_seconds)

    def transcribe(self, pcm: np.ndarray, language: str | None = None) -> Transcript:
        """One segment of 16 kHz mono int16 PCM to normalised text.

        ``language`` overrides the instance's setting for this call ("zh"|"en"|"auto").
        """
        audio = _as_float_audio(pcm)
        lang = language or self.language
        if lang not in LANGUAGES:
            raise AsrError(f"language must be one of {LANGUAGES}, got {lang!r}")
        t0 = time.perf_counter()
        if audio.size < SAMPLE_RATE // 10:  # under 100 ms: nothing Whisper can use
            return Transcript("", "zh" if lang == "zh" else "en" if lang == "en" else "en", 0.0)
        segments, info = self._model.transcribe(
            audio,
            language=None if lang == "auto" else lang,
            beam_size=self.beam_size,
            initial_prompt=_ZH_PROMPT if lang == "zh" else None,
            # Segments are independent windows of a call; conditioning on earlier text
            # makes Whisper repeat itself on short windows.
            condition_on_previous_text=False,
            vad_filter=False,
            without_timestamps=True,
        )
        text = "".join(s.text for s in segments)  # the generator runs the decoder here
        elapsed = time.perf_counter() - t0
        text = normalize(text)
        detected = info.language if info.language in ("zh", "en") else None
        out_lang = lang if lang != "auto" else (detected or detect_lang(text))
        log.debug("asr %.2f s audio in %.3f s (%s, p=%.2f): %s", audio.size / SAMPLE_RATE, elapsed,
                  info.language, info.language_probability, text)
        return Transcript(text=text, lang=out_lang, seconds=elapsed)
