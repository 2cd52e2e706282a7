"""Replay corpus calls through the strategies (text mode).

Pipeline per window size: speaking-rate segmentation -> normalised segment texts ->
batched, cached embeddings -> label-wise neighbours from the phrase library ->
SegmentEvidence -> every strategy, segment by segment, then ``finish`` with the
whole-transcript evidence (A1). For each n in ``contexts`` each segment also carries the view
of the last n segments' text (strategies/context.py), and each strategy gets the view it asks
for.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from ..strategies.base import SegmentEvidence
from ..strategies.context import context_text, view, wanted_context, with_context
from ..strategies.neighbours import label_topk
from ..textnorm import normalize
from .embed_cache import EmbeddingCache
from .streaming import SpeakingRate, call_duration, full_transcript, segment_call

log = logging.getLogger(__name__)


@dataclass
class CallEvidence:
    call: dict
    segments: list[SegmentEvidence]
    transcript: SegmentEvidence | None
    duration_s: float


def build_evidence(calls: list[dict], window_s: float, rate: SpeakingRate, cache: EmbeddingCache,
                   library, k: int, transcripts: bool = True, contexts: tuple[int, ...] = ()) -> list[CallEvidence]:
    t0 = time.perf_counter()
    seg_lists = [segment_call(c["turns"], c["lang"], window_s, rate) for c in calls]
    texts = [normalize(s.text) for segs in seg_lists for s in segs]
    vecs = cache.get(texts)
    neigh = label_topk(library, vecs, k) if len(texts) else []
    tr_texts = [normalize(full_transcript(c["turns"])) for c in calls] if transcripts else []
    tr_vecs = cache.get(tr_texts) if transcripts else None
    tr_neigh = label_topk(library, tr_vecs, k) if transcripts else []
    views = {}  # n -> (vectors, neighbours) of every segment's n-segment context text
    for n in contexts:
        ctx_texts, i = [], 0
        for segs in seg_lists:
            ctx_texts += [context_text(texts[i:i + j + 1], n) for j in range(len(segs))]
            i += len(segs)
        if ctx_texts:
            ctx_vecs = cache.get(ctx_texts)
            views[n] = (ctx_vecs, label_topk(library, ctx_vecs, k))
    out, i = [], 0
    for ci, (call, segs) in enumerate(zip(calls, seg_lists)):
        evs = []
        for s in segs:
            ev = SegmentEvidence(texts[i], call["lang"], s.t_start_s, s.t_end_s, vecs[i], neigh[i])
            for n, (cv, cn) in views.items():
                ev = with_context(ev, n, cv[i], cn[i])
            evs.append(ev)
            i += 1
        dur = call_duration(call["turns"], call["lang"], rate)
        tr = (SegmentEvidence(tr_texts[ci], call["lang"], 0.0, dur, tr_vecs[ci], tr_neigh[ci])
              if transcripts else None)
        out.append(CallEvidence(call, evs, tr, dur))
    log.info("evidence for %d calls, %d segments (window %.1f s) in %.1f s", len(calls), len(texts),
             window_s, time.perf_counter() - t0)
    return out


def run_call(ev: CallEvidence, strategies: dict) -> dict:
    """One call through every strategy: flagged?, when?, per-segment alerts, last verdict."""
    call = ev.call
    rec = {"id": call["id"], "label": call["label"], "lang": call["lang"], "fraud_type": call.get("fraud_type"),
           "n_segments": len(ev.segments), "duration_s": round(ev.duration_s, 2),
           "alerted": {}, "time_to_alert_s": {}, "seg_alerts": {}, "predicted_fraud_type": {}, "peak_score": {}}
    for name, strat in strategies.items():
        state = strat.new_call()
        first, seg_alerts, fraud_type, peak = None, [], None, 0.0
        for seg in ev.segments:
            d = strat.update(state, view(seg, wanted_context(strat, state, seg.lang)))
            seg_alerts.append(d.alert)
            peak = max(peak, float(d.score))
            if d.alert and first is None:
                first, fraud_type = seg.t_end_s, d.fraud_type
        final = strat.finish(state, ev.transcript)
        peak = max(peak, float(final.score))
        if final.alert and first is None:  # A1: post-call, the alert comes at the end of the call
            first, fraud_type = ev.duration_s, final.fraud_type
        rec["alerted"][name] = first is not None
        rec["time_to_alert_s"][name] = None if first is None else round(first, 3)
        rec["seg_alerts"][name] = seg_alerts
        rec["predicted_fraud_type"][name] = fraud_type
        rec["peak_score"][name] = round(peak, 6)
    return rec


def run(evidence: list[CallEvidence], strategies: dict) -> list[dict]:
    return [run_call(ev, strategies) for ev in evidence]

