"""Where the built library lives, and building it when it is missing or stale.

The built file is a cache of phrase_library/*.jsonl embedded by one model, so it lives in
the model cache, one file per embedder: $SCAMGUARD_MODEL_DIR/phrases/<model>.npz.
"""
from __future__ import annotations

import logging
import re
import time
from pathlib import Path

from ..models import model_dir
from .entries import DEFAULT_DIR, LibraryError, content_hash, load_entries
from .library import PhraseLibrary

log = logging.getLogger(__name__)


def default_library_path(model_id: str) -> Path:
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", model_id).strip("_")
    return model_dir() / "phrases" / f"{safe}.npz"


def ensure_library(embedder, directory: Path = DEFAULT_DIR, path: Path | None = None,
                   created_by: str | None = None) -> tuple[PhraseLibrary, bool]:
    """Load the built library for ``embedder``; (re)build it first if missing or out of date.

    Returns (library, rebuilt). "Out of date" means the JSONL sources no longer hash to the
    built file's content hash, so edits to the library take effect on the next start.
    """
    path = Path(path) if path else default_library_path(embedder.model_id)
    entries = load_entries(directory)
    wanted = content_hash(entries)
    if path.is_file():
        try:
            lib = PhraseLibrary.load(path, embedder.model_id)
            if lib.content_hash == wanted:
                return lib, False
            log.warning("%s is out of date with %s; rebuilding", path, directory)
        except LibraryError as exc:
            log.warning("%s; rebuilding", exc)
    t0 = time.perf_counter()
    lib = PhraseLibrary.build(entries, embedder)
    lib.save(path, created_by=created_by or f"scamguard phrases build --embedder <{embedder.model_id}> -o {path}")
    log.info("built %d entries with %s in %.1f s -> %s", len(entries), embedder.model_id,
             time.perf_counter() - t0, path)
    return lib, True
