"""Speech to text with faster-whisper (CTranslate2, int8 on CPU), offline.

Input is what the board sends once decoded: 16 kHz mono int16 PCM for one segment.
Output text is normalised (simplified Chinese, half-width digits) so it matches the
phrase library's writing.
"""
from __future__ import annotations

import logging
import os
import re
import time
import zlib
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
_SHORT_MAX_S = 28.0      # longer audio goes through faster-whisper's own 30 s windowing
_PAD_S = 1.0             # trailing silence given to the short-context encoder
# Shortest encoder window. On clips of 1-3 s, a window just 1 s longer than the speech
# made base loop ("X. X. X."); from about 8 s on it did not, on the espeak-ng checks.
_MIN_CTX_S = 8.0
# A phrase said three times in a row, or a long one twice, is Whisper looping, not speech.
_LOOP = re.compile(r"(.{8,}?)\s*\1\s*\1|(.{20,})\s*\2", re.S)
_NO_SPEECH = 0.6         # faster-whisper's defaults for "this window is silence"
_LOW_LOGPROB = -1.0
_MAX_COMPRESSION = 2.4   # faster-whisper's repetition-loop threshold


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
    """faster-whisper, tuned for short call segments on a small CPU.

    Whisper is trained on 30 s windows and faster-whisper pads every input to 30 s, so a
    5 s segment costs as much encoder time as 30 s of audio (about 1.5 s on 2 cores for
    base). With ``short_context`` (the default) a segment of up to 28 s is encoded at its
    own length plus 1 s of padding, then decoded greedily with the same prompt tokens;
    this is whisper.cpp's ``audio_ctx`` idea. On espeak-ng English it gave the same words
    at about a fifth of the encoder time. If that decode looks degenerate (a repetition
    loop, measured by the zlib compression ratio), the segment is re-run with the normal
    30 s path. Longer audio always takes the normal path.
    """

    def __init__(self, model: str = "base", language: str = "auto", threads: int = 2, beam_size: int = 1,
                 compute_type: str = "int8", short_context: bool = True):
        if language not in LANGUAGES:
            raise AsrError(f"language must be one of {LANGUAGES}, got {language!r}")
        if threads < 1 or beam_size < 1:
            raise AsrError("threads and beam_size must be >= 1")
        # Never reach for the model hub: the product runs offline.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        from faster_whisper import WhisperModel
        from faster_whisper.tokenizer import Tokenizer

        self.model_name = model
        self.model_path = resolve_whisper(model)
        self.language = language
        self.beam_size = beam_size
        self.short_context = short_context
        t0 = time.perf_counter()
        try:
            self._model = WhisperModel(self.model_path, device="cpu", compute_type=compute_type,
                                       cpu_threads=threads, num_workers=1, local_files_only=True)
        except Exception as exc:  # faster-whisper raises a variety of errors for a bad/missing model
            raise AsrError(f"cannot load Whisper model {model!r} ({self.model_path}) offline: {exc}") from exc
        self._tokenizer_cls = Tokenizer
        self._tokenizers: dict[str, object] = {}
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
            return Transcript("", lang if lang != "auto" else "en", 0.0)
        result = None
        if self.short_context and audio.size <= _SHORT_MAX_S * SAMPLE_RATE:
            result = self._short(audio, lang)
        path = "short"
        if result is None:
            result = self._full(audio, lang)
            path = "full"
        raw, detected = result
        elapsed = time.perf_counter() - t0
        text = normalize(raw)
        out_lang = lang if lang != "auto" else (detected if detected in ("zh", "en") else detect_lang(text))
        log.debug("asr %.2f s audio in %.3f s (%s context, %s): %s", audio.size / SAMPLE_RATE, elapsed,
                  path, detected, text)
        return Transcript(text=text, lang=out_lang, seconds=elapsed)

    # ------------------------------------------------------------------ internals
    def _tokenizer(self, lang: str):
        tok = self._tokenizers.get(lang)
        if tok is None:
            tok = self._tokenizer_cls(self._model.hf_tokenizer, self._model.model.is_multilingual,
                                      task="transcribe", language=lang)
            self._tokenizers[lang] = tok
        return tok

    def _short(self, audio: np.ndarray, lang: str) -> tuple[str, str] | None:
        """Encode only the segment (+1 s); None asks the caller for the full 30 s path."""
        import ctranslate2
        from faster_whisper.transcribe import get_suppressed_tokens

        frames = min(3000, int(np.ceil(max(_MIN_CTX_S, audio.size / SAMPLE_RATE + _PAD_S))) * 100)
        # Pad the waveform (not the features) so the silence is computed exactly as
        # Whisper's own 30 s zero padding is.
        feats = self._model.feature_extractor(audio, padding=frames * 160 - audio.size + 160)[:, :frames]
        enc = self._model.model.encode(ctranslate2.StorageView.from_array(np.ascontiguousarray(feats[None])))
        if lang == "auto":
            ranked = self._model.model.detect_language(enc)[0]
            detected = ranked[0][0].strip("<|>")
            # Only two languages matter here; a confused detector picks the likelier of them.
            if detected not in ("zh", "en"):
                scores = {code.strip("<|>"): p for code, p in ranked}
                detected = "zh" if scores.get("zh", 0) >= scores.get("en", 0) else "en"
        else:
            detected = lang
        tok = self._tokenizer(detected)
        prompt = [tok.sot_prev, *tok.encode(" " + _ZH_PROMPT)] if detected == "zh" else []
        prompt += [tok.sot, tok.language, tok.transcribe, tok.no_timestamps]
        # About 12 tokens per second of speech is generous for both languages and stops
        # a runaway loop early.
        max_new = int(audio.size / SAMPLE_RATE * 12) + 16
        res = self._model.model.generate(
            enc, [prompt], beam_size=self.beam_size, max_length=len(prompt) + max_new,
            return_scores=True, return_no_speech_prob=True, suppress_blank=True,
            suppress_tokens=list(get_suppressed_tokens(tok, [-1])),
        )[0]
        tokens = [t for t in res.sequences_ids[0] if t < tok.eot]
        avg_logprob = res.scores[0] if tokens else -10.0
        if res.no_speech_prob > _NO_SPEECH and avg_logprob < _LOW_LOGPROB:
            return "", detected  # silence or noise: Whisper would invent "Thank you."
        text = tok.decode(tokens).strip()
        if len(tokens) >= max_new or _compression_ratio(text) > _MAX_COMPRESSION or _LOOP.search(text):
            log.debug("short-context decode degenerate (%d tokens); using the 30 s path", len(tokens))
            return None
        return text, detected

    def _full(self, audio: np.ndarray, lang: str) -> tuple[str, str]:
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
        return text, info.language


def _compression_ratio(text: str) -> float:
    data = text.encode("utf-8")
    return len(data) / max(1, len(zlib.compress(data))) if len(data) > 24 else 1.0
