"""`scamguard eval CORPUS --mode audio`: the options it adds to `eval` and the run itself.

cli_eval owns the `eval` command; it applies ``audio_options`` and hands audio mode here.
"""
from __future__ import annotations

import json
import logging
import time
from pathlib import Path

import click
import numpy as np

log = logging.getLogger(__name__)

_audio = [
    click.option("--plots", "plots_dir", type=click.Path(file_okay=False), default=None,
                 help="[audio] Write PNG plots into this directory."),
    click.option("--segmentation", type=click.Choice(["fixed", "vad"]), default="fixed", show_default=True,
                 help="[audio] Board segmenter mode: fixed windows or VAD cuts (window = maximum length)."),
    click.option("--overlap", "overlap_pct", type=click.IntRange(0, 50), default=0, show_default=True,
                 help="[audio] Segment overlap, %."),
    click.option("--asr-model", default="base", show_default=True, help="[audio] faster-whisper model name or path."),
    click.option("--asr-language", type=click.Choice(["corpus", "auto", "en", "zh"]), default="corpus",
                 show_default=True, help="[audio] corpus = each call's own language (a device set to its user's language)."),
    click.option("--subset", type=int, default=None,
                 help="[audio] Evaluate a balanced, seeded subset of this many calls (per label and language)."),
    click.option("--sweep-calls", type=int, default=None,
                 help="[audio] Run the other sweep windows on a balanced subset of this many calls (time budget)."),
    click.option("--asr-cache", type=click.Path(dir_okay=False), default="build/audio_eval/asr_cache.jsonl",
                 show_default=True, help="[audio] Segment transcripts + measured ASR times, reused across runs."),
]


def audio_options(f):
    for opt in reversed(_audio):
        f = opt(f)
    return f


def run_audio(*, corpus: str, json_out, md_out, window: str, sweep_windows: bool, names: list[str], config_path,
              embedder: str, phrases_dir, calls: list[dict], command: str, plots_dir, segmentation: str,
              overlap_pct: int, asr_model: str, asr_language: str, subset, sweep_calls, asr_cache) -> dict:
    from ..engine import Engine
    from ..evaluation.corpus import file_sha256
    from ..strategies.config import load_config
    from . import plots as P
    from .evaluate import balanced_subset, build_document, config_section, evaluate_window
    from .pipeline import AudioSetup, trajectories
    from .report import markdown_report
    from .segmentation import SegmentationError, load_library
    from .transcribe import TranscriptCache

    try:
        load_library()
    except SegmentationError as exc:
        raise click.ClickException(str(exc)) from exc
    if subset:
        calls = balanced_subset(calls, subset)
    config = load_config(config_path)
    lib_path = None
    if phrases_dir:
        raise click.UsageError("--phrases is not supported in audio mode yet: the Engine loads the library "
                               "built for the embedder from the model cache")
    # The Engine supplies the product's ASR, embedder and library, configured as the daemon runs them.
    eng = Engine.from_options(asr_model=asr_model, language="auto", embedder=embedder, library_path=lib_path,
                              strategy="default", config_path=config_path)
    setup = AudioSetup(eng.asr, eng.embedder, eng.library, config["neighbours_k"],
                       TranscriptCache(asr_cache, asr_model), language=asr_language, mode=segmentation,
                       overlap_pct=overlap_pct)
    # Warm both models before anything is timed: the first call of each pays one-off
    # allocation costs that a running daemon has long paid.
    eng.embedder.embed_queries(["warm up"])
    eng.asr.transcribe(np.zeros(16000, np.int16), language="en")
    corpus_dir = Path(corpus).resolve().parent
    main_w = float(window)
    windows = [5.0, 3.0, 2.0] if sweep_windows else [main_w]
    windows = [main_w] + [w for w in windows if w != main_w]
    results, timing = {}, {}
    t0 = time.perf_counter()
    for w in windows:
        sel = calls if w == main_w else balanced_subset(calls, sweep_calls)
        results[w] = evaluate_window(sel, corpus_dir, w, names, config, setup,
                                     progress=lambda s: click.echo(s, err=True))
        timing[f"window_{w:g}"] = {"calls": len(sel), "seconds": results[w][2]["seconds"]}
    timing.update({k: (round(v, 2) if isinstance(v, float) else v) for k, v in setup.stats.items()})
    timing["asr_rtf"] = round(setup.stats["asr_s"] / setup.stats["audio_s"], 4) if setup.stats["audio_s"] else None
    timing["asr_cache_hits"], timing["asr_cache_misses"] = setup.cache.hits, setup.cache.misses
    timing["total_s"] = round(time.perf_counter() - t0, 1)
    records, metrics, extra, evidence = results[main_w]
    sweep = ([{"window_s": w, "calls": results[w][2]["calls"], "asr_error": results[w][2]["asr_error"],
               "strategies": results[w][1]} for w in sorted(results)] if sweep_windows else None)
    manifest_path = corpus_dir / "manifest.json"
    synth = None
    if manifest_path.exists():
        m = json.loads(manifest_path.read_text(encoding="utf-8"))
        synth = {"manifest": str(manifest_path), "options": m.get("options"), "engines": m.get("engines"),
                 "corpus_sha256": m.get("corpus_sha256")}
    asr_desc = {"model": asr_model, "path": eng.asr.model_path, "compute_type": "int8", "beam_size": eng.asr.beam_size,
                "threads": 2}
    section = config_section(corpus=str(corpus), corpus_sha256=file_sha256(corpus), n_calls=len(calls),
                             window_s=main_w, names=names, strategy_config=config, setup=setup,
                             embedder_id=eng.embedder.model_id, asr_desc=asr_desc, command=command,
                             asr_error=extra["asr_error"], timing=timing, sweep_calls=sweep_calls if sweep_windows else None,
                             synth_manifest=synth)
    doc = build_document(records, metrics, sweep, section)
    plot_names = []
    if plots_dir:
        pdir = Path(plots_dir)
        pdir.mkdir(parents=True, exist_ok=True)
        P.time_to_alert({w: results[w][0] for w in results}, "default", pdir / "audio_time_to_alert.png")
        picks = [e for e in evidence if e.evidence.call["label"] == "scam"][:3] + \
                [e for e in evidence if e.evidence.call["label"] == "benign"][:3]
        from ..strategies import create

        strat = create("default", config, entries=eng.library.entries, embedder=eng.library.model_id)
        curves = [(e.evidence.call["id"], e.evidence.call["label"], trajectories(e, strat)) for e in picks]
        P.trajectories(curves, "default", pdir / "audio_trajectories.png")
        plot_names = ["audio_time_to_alert.png", "audio_trajectories.png"]
        if sweep:
            P.window_tradeoff(sweep, [n for n in ("A4", "A4cal", "default") if n in names], pdir / "audio_windows.png")
            plot_names.append("audio_windows.png")
    if json_out:
        Path(json_out).parent.mkdir(parents=True, exist_ok=True)
        Path(json_out).write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    if md_out:
        Path(md_out).parent.mkdir(parents=True, exist_ok=True)
        rel = []
        if plots_dir:
            import os

            rel = [os.path.relpath(Path(plots_dir) / p, Path(md_out).parent) for p in plot_names]
        Path(md_out).write_text(markdown_report(doc, rel), encoding="utf-8")
    from .report import table2

    click.echo(f"{corpus}: {len(calls)} calls, window {main_w:g} s, ASR {extra['asr_error']}")
    click.echo(table2(metrics))
    return doc
