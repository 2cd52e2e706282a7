"""Per-segment features of the default strategy (computed the same way in calibration).

All features are cheap functions of the neighbour lists and the keyword rule:
- ``s1``/``b1``: best cosine to a scam / benign entry;
- ``margin``: s1 - b1, the contrastive score (is this closer to scam or to its look-alikes?);
- ``knn``: mean of the top-k scam cosines minus mean of the top-k benign cosines;
- ``vote``: similarity-weighted share of scam entries among the 2k merged neighbours;
- ``kw``: log(1 + seed-001 keyword sum), log because sums grow with segment length;
- ``kws``: keyword-spotter hits reported by the board (0 in text mode), capped at 3;
- ``probe``: the calibrated linear probe on the segment's embedding (see ``probe.py``);
  None when there is no probe for this embedder, and the strategy then treats it as neutral.
"""
from __future__ import annotations

import math

from ..keywords import KeywordModel
from .base import SegmentEvidence, split_neighbours, top_sim
from .probe import LinearProbe

FEATURES = ("s1", "b1", "margin", "knn", "vote", "kw", "kws", "probe")
# Direction each feature may push the evidence (calibration enforces it). Without this,
# a training set whose benign calls are unlike every library entry (e.g. food orders)
# teaches that resembling a benign hard negative (a real bank alert) is scam evidence.
SIGNS = {"s1": +1, "b1": -1, "margin": +1, "knn": +1, "vote": +1, "kw": +1, "kws": +1, "probe": +1}


def segment_features(ev: SegmentEvidence, kw_model: KeywordModel | None, k: int,
                     lang_offsets: dict[str, float] | None = None,
                     probe: LinearProbe | None = None) -> dict[str, float | None]:
    """lang_offsets shifts s1/b1 per language: e5 cosines between English sentences sit about
    0.03 below Mandarin ones, so without it a model calibrated on Mandarin calls would read
    every English segment as unlike any scam (see calibrate.language_offsets)."""
    scam, benign = split_neighbours(ev.neighbours)
    off = (lang_offsets or {}).get(ev.lang, 0.0)
    s1, b1 = top_sim(scam) + off, top_sim(benign) + off
    sk = [s for _, s in scam[:k]]
    bk = [s for _, s in benign[:k]]
    knn = (sum(sk) / len(sk) if sk else 0.0) - (sum(bk) / len(bk) if bk else 0.0)
    merged = sorted(sk + bk, reverse=True)[:k] if (sk or bk) else []
    # weights exp(20*cos) turn the narrow e5 cosine band into a soft nearest-neighbour vote
    wsum = sum(math.exp(20 * (s - merged[0])) for s in merged) if merged else 0.0
    vote = (sum(math.exp(20 * (s - merged[0])) for s in sk if s >= merged[-1]) / wsum) if wsum else 0.0
    kw = math.log1p(kw_model.score(ev.text, ev.lang)) if kw_model is not None else 0.0
    return {"s1": s1, "b1": b1, "margin": s1 - b1, "knn": knn, "vote": min(vote, 1.0), "kw": kw,
            "kws": float(min(ev.kws_hits, 3)), "probe": probe.score(ev.qvec) if probe is not None else None}
