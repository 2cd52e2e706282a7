"""A linear probe on a segment's embedding: the default strategy's ``probe`` feature.

Why: the neighbour features see only the few library entries closest to a segment, so a
scam sentence worded unlike any entry scores like small talk. The probe is a logistic
regression over the whole embedding, fitted by ``scamguard calibrate`` on every library entry
and every calibration segment at once. It learns which directions of the embedding space
separate scam talk from benign talk, including talk the library never phrased.

It is tied to the embedder that fitted it: its weights live in the calibration file with
that embedder's id. With another embedder the dimension differs, or the space does, so the
probe gives no evidence: ``score`` returns None on a vector of another dimension, and the
default strategy drops the probe when told that its embedder is another (both logged).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, eq=False)  # arrays do not compare with ==
class LinearProbe:
    weights: np.ndarray  # (dim,) float32
    bias: float
    embedder: str  # model id of the embedder whose vectors it was fitted on

    @property
    def dim(self) -> int:
        return int(self.weights.shape[0])

    def score(self, qvec: np.ndarray) -> float | None:
        """Log-odds that the segment is scam talk; None when the vector has another dimension."""
        v = np.asarray(qvec, dtype=np.float32).reshape(-1)
        if v.shape[0] != self.dim:
            return None
        return float(v @ self.weights) + self.bias

    def to_config(self) -> dict:
        return {"embedder": self.embedder, "bias": round(float(self.bias), 6),
                "weights": [round(float(x), 6) for x in self.weights]}

    @classmethod
    def from_config(cls, d: dict) -> "LinearProbe":
        try:
            w = np.asarray(d["weights"], dtype=np.float32).reshape(-1)
            probe = cls(w, float(d["bias"]), str(d["embedder"]))
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"default strategy: malformed 'probe' section ({exc}); run scamguard calibrate") from exc
        if probe.dim == 0 or not np.all(np.isfinite(w)):
            raise ValueError("default strategy: 'probe' weights must be a non-empty list of finite numbers")
        return probe
