"""Embedding cache: each distinct text is embedded once, in batches.

In memory always; optionally persisted to an ``.npz`` file so repeated evaluations and
calibrations of the same corpus skip the (dominant) embedding cost. The file records the
embedder's model id and is ignored, with a warning, if another model wrote it.
"""
from __future__ import annotations

import hashlib
import logging
import time
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)


def _key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


class EmbeddingCache:
    def __init__(self, embedder, path: str | Path | None = None, batch: int = 64):
        self.embedder = embedder
        self.path = Path(path) if path else None
        self.batch = batch
        self._vecs: dict[str, np.ndarray] = {}
        self._dirty = False
        self.embed_seconds = 0.0
        self.embedded = 0
        if self.path and self.path.is_file():
            self._load()

    def _load(self) -> None:
        with np.load(self.path, allow_pickle=False) as z:
            model = str(z["model_id"])
            if model != self.embedder.model_id:
                log.warning("embedding cache %s was written by %s, not %s: ignoring it",
                            self.path, model, self.embedder.model_id)
                return
            for k, v in zip(z["keys"], z["vecs"]):
                self._vecs[str(k)] = v.astype(np.float32)
        log.info("embedding cache: %d vectors from %s", len(self._vecs), self.path)

    def save(self) -> None:
        if not self.path or not self._dirty:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        keys = np.array(list(self._vecs), dtype="U40")
        vecs = np.stack(list(self._vecs.values())).astype(np.float16)
        tmp = self.path.with_name(self.path.name + ".tmp.npz")
        np.savez(tmp, model_id=np.array(self.embedder.model_id), keys=keys, vecs=vecs)
        tmp.replace(self.path)
        self._dirty = False

    def get(self, texts: list[str]) -> np.ndarray:
        """Query embeddings (e5 "query:" side) for ``texts``, rows in the same order."""
        keys = [_key(t) for t in texts]
        missing, seen = [], set()
        for t, k in zip(texts, keys):
            if k not in self._vecs and k not in seen:
                seen.add(k)
                missing.append((t, k))
        if missing:
            t0 = time.perf_counter()
            for i in range(0, len(missing), self.batch):
                if i and i % (self.batch * 50) == 0:
                    log.info("embedded %d/%d new texts (%.0f s)", i, len(missing), time.perf_counter() - t0)
                    self.save()  # checkpoint: an interrupted long run keeps what it paid for
                chunk = missing[i:i + self.batch]
                vecs = self.embedder.embed_queries([t for t, _ in chunk])
                for (_, k), v in zip(chunk, vecs):
                    self._vecs[k] = np.asarray(v, dtype=np.float32)
                self._dirty = True
            self.embed_seconds += time.perf_counter() - t0
            self.embedded += len(missing)
            self._dirty = True
        dim = getattr(self.embedder, "dim", None)
        if not keys:
            return np.zeros((0, dim or 0), dtype=np.float32)
        return np.stack([self._vecs[k] for k in keys])
