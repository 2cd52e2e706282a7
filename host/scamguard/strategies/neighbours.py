"""Build the ``neighbours`` list of the SegmentEvidence contract from a phrase library.

k nearest scam entries + k nearest benign entries, merged, best first (see base.py for
why the two labels are searched separately). Vectorised over many segments at once.
"""
from __future__ import annotations

import numpy as np


def label_topk(library, qvecs: np.ndarray, k: int) -> list[list[tuple[object, float]]]:
    """For each query row: top-k scam + top-k benign (entry, cosine), sorted by cosine."""
    sims = library.similarities(qvecs)  # (n, entries)
    out: list[list[tuple[object, float]]] = [[] for _ in range(sims.shape[0])]
    for mask in (library.is_scam, ~library.is_scam):
        cols = np.flatnonzero(mask)
        if cols.size == 0:
            continue
        kk = min(k, cols.size)
        sub = sims[:, cols]
        top = np.argpartition(-sub, kk - 1, axis=1)[:, :kk]
        for r in range(sims.shape[0]):
            for j in top[r]:
                out[r].append((library.entries[cols[j]], float(sub[r, j])))
    for row in out:
        row.sort(key=lambda n: -n[1])
    return out
