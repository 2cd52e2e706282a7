"""Audio mode: recordings -> board VAD/segmenter (C) -> Whisper -> embeddings -> every strategy.

Each segment is transcribed once and its evidence is fed to every strategy exactly as
text mode does (evaluation.runner.run_call), so audio and text numbers differ only by what
the audio path adds: segmentation of real signal, recognition errors, the channel.

Latency after the deciding segment is the processing time from the end of that segment's
audio to the strategy's verdict: ASR + query embedding + neighbour search + the
strategy's update, each measured when it ran. Like the Engine, a segment whose transcript
is empty adds no evidence (the call keeps its verdict) and is not shown to the strategies.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..audio.wav import read_pcm16
from ..evaluation.runner import CallEvidence, run_call
from ..strategies.base import SegmentEvidence
from ..strategies.context import context_text, view, wanted_context, with_context
from ..strategies.neighbours import label_topk
from ..textnorm import normalize
from .segmentation import Cut, segment_pcm
from .transcribe import TranscriptCache, audio_digest, transcribe_cut

log = logging.getLogger(__name__)


@dataclass
class SegmentRecord:
    cut: Cut
    text: str
    asr_s: float
    embed_s: float = 0.0
    search_s: float = 0.0


@dataclass
class CallAudioEvidence:
    evidence: CallEvidence
    segments: list[SegmentRecord]      # every segment the board sent, empty ones included
    used: list[SegmentRecord]          # the ones with speech, aligned with evidence.segments
    transcript_cost_s: float = 0.0     # embed + search of the whole transcript (A1)
    hypothesis: str = ""


class TimedStrategy:
    """Wraps a strategy and records how long each update/finish took (the "vote" time)."""

    def __init__(self, inner):
        self.inner, self.name = inner, getattr(inner, "name", "?")
        self.update_s: list[float] = []
        self.finish_s = 0.0

    def new_call(self):
        self.update_s, self.finish_s = [], 0.0
        return self.inner.new_call()

    def context_segments(self, state, lang):
        return wanted_context(self.inner, state, lang)

    @property
    def contexts(self) -> set[int]:
        return set(getattr(self.inner, "contexts", {1}))

    def update(self, state, ev):
        t0 = time.perf_counter()
        d = self.inner.update(state, ev)
        self.update_s.append(time.perf_counter() - t0)
        return d

    def finish(self, state, ev):
        t0 = time.perf_counter()
        d = self.inner.finish(state, ev)
        self.finish_s = time.perf_counter() - t0
        return d


@dataclass
class AudioSetup:
    asr: object
    embedder: object
    library: object
    neighbours_k: int
    cache: TranscriptCache
    language: str = "corpus"  # corpus: the call's own language (a configured device); or zh|en|auto
    mode: str = "fixed"
    overlap_pct: int = 0
    contexts: tuple = ()  # segments per context view to build (strategies/context.py); () = none
    stats: dict = field(default_factory=lambda: {"segments": 0, "empty": 0, "asr_s": 0.0, "audio_s": 0.0})


def resolve_audio(call: dict, corpus_dir: Path) -> Path:
    if not call.get("audio"):
        raise ValueError(f"call {call['id']} has no 'audio' field: synthesise the corpus first "
                         "(scamguard corpus synth) or use --mode text")
    p = Path(call["audio"])
    return p if p.is_absolute() else corpus_dir / p


def _embed(setup: AudioSetup, text: str) -> tuple[np.ndarray, list, float, float]:
    t0 = time.perf_counter()
    qvec = setup.embedder.embed_queries([text])
    t1 = time.perf_counter()
    neigh = label_topk(setup.library, qvec, setup.neighbours_k)[0]
    return qvec[0], neigh, t1 - t0, time.perf_counter() - t1


def call_evidence(call: dict, corpus_dir: Path, window_s: float, setup: AudioSetup,
                  transcript: bool = True) -> CallAudioEvidence:
    pcm = read_pcm16(resolve_audio(call, corpus_dir))
    digest = audio_digest(pcm)
    lang = call["lang"] if setup.language == "corpus" else setup.language
    cuts = segment_pcm(pcm, setup.mode, window_s, setup.overlap_pct)
    records, used, evs = [], [], []
    for cut in cuts:
        row = transcribe_cut(setup.asr, setup.cache, pcm, digest, cut.start_sample, cut.end_sample, lang)
        rec = SegmentRecord(cut, normalize(row["text"]), float(row["asr_s"]))
        records.append(rec)
        setup.stats["segments"] += 1
        setup.stats["asr_s"] += rec.asr_s
        setup.stats["audio_s"] += cut.t_end_s - cut.t_start_s
        if not rec.text:
            setup.stats["empty"] += 1
            continue
        qvec, neigh, rec.embed_s, rec.search_s = _embed(setup, rec.text)
        ev = SegmentEvidence(rec.text, call["lang"], cut.t_start_s, cut.t_end_s, qvec, neigh)
        for n in setup.contexts:
            # Every view is embedded here, so every strategy can be scored; the Engine embeds
            # only the one its strategy uses, so latency measured here errs on the slow side.
            cvec, cneigh, e_s, s_s = _embed(setup, context_text([r.text for r in used] + [rec.text], n))
            ev = with_context(ev, n, cvec, cneigh)
            rec.embed_s += e_s
            rec.search_s += s_s
        evs.append(ev)
        used.append(rec)
    duration = len(pcm) / 16000
    hyp = " ".join(r.text for r in used)
    tr_ev, tr_cost = None, 0.0
    if transcript and hyp:
        qvec, neigh, e_s, s_s = _embed(setup, hyp)
        tr_ev, tr_cost = SegmentEvidence(hyp, call["lang"], 0.0, duration, qvec, neigh), e_s + s_s
    ev = CallEvidence(call, evs, tr_ev, duration)
    return CallAudioEvidence(ev, records, used, tr_cost, hyp)


def run_strategies(cae: CallAudioEvidence, strategies: dict) -> dict:
    """E2's run_call on the audio evidence, plus the measured latency after the deciding
    segment for each strategy and the per-segment scores for the plots."""
    timed = {n: TimedStrategy(s) for n, s in strategies.items()}
    rec = run_call(cae.evidence, timed)
    rec["alert_latency_s"], rec["latency_parts"] = {}, {}
    for name, ts in timed.items():
        first = rec["time_to_alert_s"][name]
        if first is None:
            rec["alert_latency_s"][name] = None
            continue
        alerts = rec["seg_alerts"][name]
        if True in alerts:
            i = alerts.index(True)
            seg = cae.used[i]
            parts = {"asr_s": seg.asr_s, "embed_s": seg.embed_s, "search_s": seg.search_s, "vote_s": ts.update_s[i]}
        else:  # post-call decision (A1): last segment's processing, then the whole-transcript scoring
            last = cae.used[-1] if cae.used else None
            parts = {"asr_s": last.asr_s if last else 0.0, "embed_s": cae.transcript_cost_s, "search_s": 0.0,
                     "vote_s": ts.finish_s}
        rec["latency_parts"][name] = {k: round(v, 4) for k, v in parts.items()}
        rec["alert_latency_s"][name] = round(sum(parts.values()), 4)
    rec["n_board_segments"] = len(cae.segments)
    rec["hypothesis"] = cae.hypothesis
    return rec


def trajectories(cae: CallAudioEvidence, strategy) -> list[tuple[float, float]]:
    """(segment end time, score) for one strategy over a call, for the plots."""
    state, out = strategy.new_call(), []
    for seg in cae.evidence.segments:
        d = strategy.update(state, view(seg, wanted_context(strategy, state, seg.lang)))
        out.append((seg.t_end_s, float(d.score)))
    return out
