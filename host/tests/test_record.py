"""Privacy: nothing reaches the disk without --record, transcripts stay out of logs and the
timeline unless asked, and --record writes exactly what it says (owner-only) with a warning."""
import asyncio
import io
import json
import logging
import re
import stat
import wave
from pathlib import Path

import numpy as np
from click.testing import CliRunner
from rich.console import Console

from scamguard.daemon import cli
from scamguard.daemon.fakeboard import FakeBoard, FakeEngine
from scamguard.daemon.record import Recorder
from scamguard.daemon.runner import serve
from scamguard.daemon.service import SegmentReport, ServiceOptions
from scamguard.daemon.segments import Segment
from scamguard.daemon.timeline import Timeline
from scamguard.daemon.transport import SerialTransport

PKG = Path(__file__).resolve().parents[1] / "scamguard"


def run_daemon(tmp_path, show_transcripts, record=None):
    board = FakeBoard(tmp_path / "ttyB", segments=4, speed=10)
    out = io.StringIO()
    timeline = Timeline(console=Console(file=out, width=200), show_transcripts=show_transcripts)
    if record:
        rec = Recorder(record)
        seg = timeline.segment
        timeline.segment = lambda r: (seg(r), rec(r))

    async def main():
        stop = asyncio.Event()
        task = asyncio.create_task(serve([SerialTransport(str(board.link_path))], FakeEngine(), timeline, stop,
                                         options=ServiceOptions(status_interval_s=0.3)))
        board.start()
        await asyncio.get_running_loop().run_in_executor(None, board.done.wait, 15)
        stop.set()
        return await task

    services = asyncio.run(main())
    return services, out.getvalue()


def test_no_transcript_in_logs_or_timeline_and_nothing_on_disk(tmp_path, caplog, monkeypatch):
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)
    with caplog.at_level(logging.DEBUG):
        services, shown = run_daemon(tmp_path, show_transcripts=False)
    assert services[0].stats()["segments_done"] == 4
    assert FakeEngine.SECRET not in shown and FakeEngine.SECRET not in caplog.text
    assert "SCAM" in shown and "frames" in shown  # the timeline and the status line did print
    assert list(work.iterdir()) == []  # no audio, no transcript, nothing written


def test_transcripts_shown_only_when_asked(tmp_path):
    _, shown = run_daemon(tmp_path, show_transcripts=True)
    assert FakeEngine.SECRET in shown


def test_no_logging_call_formats_a_transcript():
    """Static guard for code paths the dynamic test does not reach (engine, ASR, eval)."""
    pattern = re.compile(r"\blog(?:ger|ging)?\.(?:debug|info|warning|error|exception|critical)\([^)]*transcript",
                         re.S)
    offenders = [str(p.relative_to(PKG)) for p in PKG.rglob("*.py") if pattern.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_recorder_writes_private_wav_and_jsonl(tmp_path):
    rec_dir = tmp_path / "rec"
    services, _ = run_daemon(tmp_path, show_transcripts=False, record=rec_dir)
    assert stat.S_IMODE(rec_dir.stat().st_mode) == 0o700
    rows = [json.loads(ln) for ln in (rec_dir / "verdicts.jsonl").read_text().splitlines()]
    assert [r["segment_id"] for r in rows] == [0, 1, 2, 3]
    assert all(FakeEngine.SECRET in r["transcript"] for r in rows)
    for r in rows:
        wav = rec_dir / r["wav"]
        assert stat.S_IMODE(wav.stat().st_mode) == 0o600
        with wave.open(str(wav)) as w:
            assert (w.getframerate(), w.getnchannels(), w.getnframes()) == (16000, 1, 16000)
            pcm = np.frombuffer(w.readframes(16000), "<i2")
        assert FakeEngine.segment_id_of(pcm) == r["segment_id"]


def test_cli_record_prints_a_warning(tmp_path, monkeypatch):
    async def fake_serve(transports, engine, timeline, stop=None, workers=1, options=None):
        seg = Segment(1, 0, 1000, np.zeros(16000, np.int16), 0)
        timeline.segment(SegmentReport("b", 1, seg, FakeEngine().process_audio(FakeEngine().new_call(), seg.pcm, 0, 1),
                                       0.1))
        return []

    monkeypatch.setattr(cli, "build_engine", lambda *a: FakeEngine())
    monkeypatch.setattr(cli, "serve", fake_serve)
    r = CliRunner().invoke(cli.main, ["--port", "/dev/null", "--record", str(tmp_path / "r")])
    assert r.exit_code == 0, r.output
    assert "RECORDING IS ON" in r.output and str(tmp_path / "r") in r.output
    assert (tmp_path / "r" / "verdicts.jsonl").exists()
