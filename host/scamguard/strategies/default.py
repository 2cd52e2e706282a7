"""Our default strategy: contrastive, calibrated, accumulating.

1. Contrastive features per segment (see ``features.py``): closeness to scam entries is
   only evidence when it beats closeness to the benign hard negatives; and, when the
   calibration was made with ``--probe``, a linear probe on the segment's embedding
   (``probe.py``), for scam talk the library never phrased.
2. A logistic model, fitted by ``scamguard calibrate``, turns them into p(scam | segment).
3. Evidence accumulates over the call as log-odds with a leak:
       L_t = max(-floor, leak * L_{t-1} + clip(logit p_t - logit prior, -cap, cap))
   The leak forgets old segments, the cap stops one sentence from deciding alone, and the
   floor stops a long benign opening from burying later scam talk.
4. ``L >= suspicious`` -> "suspicious", ``L >= scam`` -> "scam" and an alert, which then
   stays raised for the rest of the call (the user has been warned; flapping helps no one).
5. Optionally a section per language (``languages: {"en": {...}}``, written by
   ``scamguard calibrate --for-lang``): a full set of the numbers above, fitted on calls whose
   speech-recognition errors look like that language's. A call is scored with the section of
   its first segment's language, or with the main section when there is none; one call never
   mixes two evidence scales.
6. Optionally a context (``context: n``, written by ``scamguard calibrate --context n``): the
   section scores each segment through the text of the last n segments (see ``context.py``);
   the caller builds that view, this class only says which one it wants.
"""
from __future__ import annotations

import logging
import math

from ..keywords import KeywordModel
from .base import Decision, SegmentEvidence, describe_matches, format_matches, split_neighbours
from .config import FALLBACK
from .features import segment_features
from .probe import LinearProbe

log = logging.getLogger(__name__)


def _logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


SECTION_KEYS = tuple(FALLBACK["strategies"]["default"])  # every number a section must carry


def _language_sections(params: dict) -> dict:
    sections = params.get("languages", {})
    if not isinstance(sections, dict):
        raise ValueError("default strategy: 'languages' must map a language code to a section, "
                         f"got {type(sections).__name__}")
    return sections


def _language_section(lang, sub) -> dict:
    """A language section is a whole calibration of its own: nothing is filled in for it."""
    if not isinstance(sub, dict):
        raise ValueError(f"default strategy: language section {lang!r} must be an object, got {type(sub).__name__}")
    missing = [k for k in SECTION_KEYS if k not in sub]
    if missing:
        raise ValueError(f"default strategy: language section {lang!r} lacks {', '.join(missing)}; "
                         "write it with scamguard calibrate --for-lang")
    if "languages" in sub:
        raise ValueError(f"default strategy: language section {lang!r} cannot hold its own 'languages'")
    return sub


class DefaultStrategy:
    name = "default"

    def __init__(self, params: dict, kw_model: KeywordModel | None, neighbours_k: int, embedder: str | None = None):
        """``embedder``: model id of the vectors this strategy will see, when known; a probe
        fitted for another embedder is then dropped (its weights mean nothing there)."""
        self.features = list(params["features"])
        self.mean = [float(x) for x in params["mean"]]
        self.std = [float(x) if float(x) > 0 else 1.0 for x in params["std"]]
        self.weights = [float(x) for x in params["weights"]]
        if not len(self.features) == len(self.mean) == len(self.std) == len(self.weights):
            raise ValueError("default strategy: features, mean, std and weights must have equal length")
        self.bias = float(params["bias"])
        self.prior_logit = _logit(float(params["prior"]))
        self.leak, self.cap, self.floor = float(params["leak"]), float(params["cap"]), float(params["floor"])
        self.t_susp, self.t_scam = float(params["suspicious"]), float(params["scam"])
        self.kw_model = kw_model
        self.lang_offsets = {str(k): float(v) for k, v in params.get("lang_offsets", {}).items()}
        self.context = params.get("context", 1)  # optional: calibrations before the seventh session lack it
        if isinstance(self.context, bool) or not isinstance(self.context, int) or self.context < 1:
            raise ValueError(f"default strategy: 'context' must be a whole number of segments >= 1, got {self.context!r}")
        self.k = int(neighbours_k)
        if "probe" in self.features and not params.get("probe"):
            raise ValueError("default strategy: 'probe' is a feature but the config has no 'probe' section; "
                             "run scamguard calibrate --probe again")
        self.probe = LinearProbe.from_config(params["probe"]) if "probe" in self.features else None
        if self.probe is not None and embedder is not None and embedder != self.probe.embedder:
            log.warning("default strategy: the probe was calibrated for %s, not %s: it gives no evidence "
                        "(run scamguard calibrate --embedder for this embedder)", self.probe.embedder, embedder)
            self.probe = None
        self._warned_dim = False
        self.by_lang = {str(lang): DefaultStrategy(_language_section(lang, sub), kw_model, neighbours_k, embedder)
                        for lang, sub in _language_sections(params).items()}

    def for_language(self, lang: str | None) -> "DefaultStrategy":
        """The parameter set that scores a call in ``lang``."""
        return self.by_lang.get(str(lang), self)

    def context_segments(self, state: dict, lang: str) -> int:
        """Segments per view for this call: its section's context (the call's language is
        fixed by its first segment, as in ``update``)."""
        return self.for_language(state.get("lang") or lang).context

    @property
    def contexts(self) -> set[int]:
        """Every context some section scores with (evidence must be built for these)."""
        return {self.context, *(sub.context for sub in self.by_lang.values())}

    def segment_llr(self, ev: SegmentEvidence) -> tuple[float, dict]:
        """Capped log-likelihood ratio of one segment, and its features (for explanations)."""
        f = segment_features(ev, self.kw_model, self.k, self.lang_offsets, self.probe)
        if f["probe"] is None and self.probe is not None and not self._warned_dim:
            log.warning("default strategy: %d-dim vectors but the probe expects %d: probe ignored",
                        len(ev.qvec), self.probe.dim)
            self._warned_dim = True
        # a feature without a value (no probe) sits at its calibration mean: no evidence either way
        z = self.bias + sum(w * ((m if f[n] is None else f[n]) - m) / s
                            for n, m, s, w in zip(self.features, self.mean, self.std, self.weights))
        return max(-self.cap, min(self.cap, z - self.prior_logit)), f

    def new_call(self) -> dict:
        return {"L": 0.0, "alerted": False, "trajectory": [], "matches": [], "last": None, "lang": None}

    def update(self, state: dict, ev: SegmentEvidence) -> Decision:
        if state.get("lang") is None:
            state["lang"] = ev.lang
            if self.by_lang:
                log.debug("default strategy: call scored with the %s section",
                          state["lang"] if state["lang"] in self.by_lang else "main")
        return self.for_language(state["lang"])._update(state, ev)

    def _update(self, state: dict, ev: SegmentEvidence) -> Decision:
        llr, f = self.segment_llr(ev)
        state["L"] = max(-self.floor, self.leak * state["L"] + llr)
        L = state["L"]
        if L >= self.t_scam:
            state["alerted"] = True
        # score: evidence relative to the alert threshold, so score >= 0.5 <=> scam level
        score = 1.0 / (1.0 + math.exp(-(L - self.t_scam)))
        state["trajectory"].append(round(score, 4))
        scam, _ = split_neighbours(ev.neighbours)
        if llr > 0:  # remember matches of segments that pushed towards scam
            state["matches"] = sorted(state["matches"] + scam[:3], key=lambda m: -m[1])[:10]
        level = "scam" if state["alerted"] else ("suspicious" if L >= self.t_susp else "safe")
        fraud_type, tactics, matches = describe_matches(state["matches"], limit=5)
        traj = ", ".join(f"{x:.2f}" for x in state["trajectory"][-8:])
        expl = (f"default {level}: evidence {L:.2f} (suspicious {self.t_susp:.2f}, scam {self.t_scam:.2f}); "
                f"segment llr {llr:+.2f} [scam {f['s1']:.3f} vs benign {f['b1']:.3f}, kw {f['kw']:.2f}]; "
                f"matches: {format_matches(state['matches'])}; trajectory [{traj}]")
        show = level != "safe"
        d = Decision(state["alerted"], level, score, fraud_type if show else None, tactics if show else [],
                     expl, matches, list(state["trajectory"]))
        state["last"] = d
        return d

    def finish(self, state: dict, ev: SegmentEvidence | None) -> Decision:
        last = state["last"]
        return last if last is not None else Decision(False, "safe", 0.0, None, [], "default: no segments")
