"""llama.cpp GGUF embeddings through llama-cpp-python (optional extra ``[gguf]``).

This is how seed paper 004 embedded text (a 7B GGUF model, 4096-dim). Only local files
are accepted: the path must exist.
"""
from __future__ import annotations

import hashlib
import logging
import os
import time
from pathlib import Path

import numpy as np

from . import EmbedderError, check_texts, l2_normalise

log = logging.getLogger(__name__)


def _file_tag(path: Path) -> str:
    """Short content tag so two different files with the same name get different ids."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        h.update(fh.read(1 << 20))
    h.update(str(path.stat().st_size).encode())
    return h.hexdigest()[:8]


class GgufEmbedder:
    def __init__(self, path: str, threads: int | None = None):
        model_path = Path(path).expanduser()
        if not model_path.is_file():
            raise EmbedderError(f"gguf: model file not found: {model_path}")
        try:
            from llama_cpp import Llama
        except ImportError as exc:
            raise EmbedderError(
                "llama-cpp-python is not installed; install the optional extra: pip install -e '.[gguf]'"
            ) from exc
        t0 = time.perf_counter()
        try:
            self._llm = Llama(model_path=str(model_path), embedding=True, verbose=False,
                              n_threads=threads or os.cpu_count() or 1)
        except Exception as exc:  # llama-cpp raises ValueError/RuntimeError on bad files
            raise EmbedderError(f"gguf: cannot load {model_path}: {exc}") from exc
        self.load_seconds = time.perf_counter() - t0
        log.info("gguf %s loaded in %.3f s", model_path.name, self.load_seconds)
        self.dim = int(self._llm.n_embd())
        self.model_id = f"gguf:{model_path.name}#{_file_tag(model_path)}"
        self._e5 = "e5" in model_path.name.lower()

    def _embed(self, texts: list[str], prefix: str) -> np.ndarray:
        texts = check_texts(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        rows = []
        for t in texts:
            vec = np.asarray(self._llm.embed(prefix + t), dtype=np.float32)
            if vec.ndim == 2:  # a model without pooling returns one row per token: mean-pool
                vec = vec.mean(axis=0)
            rows.append(vec)
        return l2_normalise(np.stack(rows))

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self._embed(texts, "query: " if self._e5 else "")

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self._embed(texts, "passage: " if self._e5 else "")
