"""The curated phrase library: source entries (JSONL), lint, and the built embedding file."""
from __future__ import annotations

from .build import default_library_path, ensure_library
from .entries import DEFAULT_DIR, LibraryError, PhraseEntry, Vocabulary, content_hash, load_entries
from .library import PhraseLibrary

__all__ = ["DEFAULT_DIR", "LibraryError", "PhraseEntry", "PhraseLibrary", "Vocabulary", "content_hash",
           "default_library_path", "ensure_library", "load_entries"]
