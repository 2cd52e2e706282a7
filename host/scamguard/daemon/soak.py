"""`make soak`: hours of simulated call audio through the board simulator and the daemon.

    python -m scamguard.daemon.soak --minutes 60 --speed 20 [--faults 0.0005] [--doc docs/results/soak.md]

The simulator (the firmware core, natively) plays a synthesised English call in a loop at
`speed` x real time over its pty; the daemon serves it in this process, as host-daemon does.
Detection uses FakeEngine, a deterministic CPU-light test double: Whisper cannot transcribe
20x real time on two cores, and this test is about the link and the daemon (memory, loss,
counters), not about detection quality (see docs/results/load.md for the real engine).

Pass criteria (exit status 1 if not met):
- resident memory of the daemon grows <= 10 % from the warm baseline (after the first
  10 % of the run, when the 30 s audio window, caches and the allocator have filled);
- without faults: every segment the board sent got a verdict (none shed, lost or orphaned);
- with --faults P (each byte read from the pty is corrupted with probability P): every
  segment the board sent is accounted for by the counters (done + shed + lost + orphaned +
  engine errors + lost at the very end).
"""
from __future__ import annotations

import argparse
import asyncio
import io
import json
import os
import random
import re
import resource
import subprocess
import threading
import time
import wave
from pathlib import Path

import numpy as np
from rich.console import Console

from .. import params as P
from ..simulate import ROOT, simulator_path
from .fakeboard import FakeEngine
from .runner import serve
from .service import ServiceOptions
from .stats import report
from .timeline import Timeline
from .transport import SerialTransport

CALL_TEXT = [
    "Hello, this is officer Daniel Brooks from the fraud department of your bank.",
    "We detected a suspicious transfer of two thousand dollars from your savings account this morning.",
    "To protect your money we need to move it to a safe account right now.",
    "Please do not hang up and do not tell anyone about this call, it is a confidential investigation.",
    "Can you read me the six digit code we just sent to your phone?",
    "Now please go to the nearest store and buy gift cards for the full amount.",
    "Oh, I see, thank you. My grandson usually helps me with the computer.",
    "Well, the weather has been lovely this week, we had a walk in the park on Sunday.",
]


def call_wav(out: Path) -> Path:
    """A ~50 s two-voice call synthesised with espeak-ng (cached)."""
    if out.exists():
        return out
    from ..synth.espeak import EspeakVoice, synthesize

    voices = [EspeakVoice("en-us", 150, 40), EspeakVoice("en-gb", 140, 60)]
    parts = []
    for i, text in enumerate(CALL_TEXT):
        parts += [synthesize(text, voices[i % 2]), np.zeros(P.AUDIO_SAMPLE_RATE_HZ // 2, np.int16)]
    pcm = np.concatenate(parts)
    out.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(out), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(P.AUDIO_SAMPLE_RATE_HZ)
        w.writeframes(pcm.astype("<i2").tobytes())
    return out


def wav_seconds(path: Path) -> float:
    with wave.open(str(path)) as w:
        return w.getnframes() / w.getframerate()


def rss_kib(pid: int | str = "self") -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


class FaultyTransport(SerialTransport):
    """Corrupts each received byte with probability p (bit flip), like a noisy UART line."""

    def __init__(self, port: str, p: float, seed: int = 1):
        super().__init__(port)
        self.p, self.rng, self.flipped = p, random.Random(seed), 0

    def read(self, timeout: float = 0.05) -> bytes:
        data = super().read(timeout)
        if not data or not self.p:
            return data
        buf = bytearray(data)
        n = np.random.default_rng(self.rng.getrandbits(32)).binomial(len(buf), self.p)
        for _ in range(n):
            buf[self.rng.randrange(len(buf))] ^= 1 << self.rng.randrange(8)
        self.flipped += n
        return bytes(buf)


def run(minutes: float, speed: float, faults: float, segment_ms: int | None) -> dict:
    wav = call_wav(ROOT / "build" / "soak" / "call.wav")
    loops = max(1, round(minutes * 60 / wav_seconds(wav)))
    cmd = [str(simulator_path()), "--wav", str(wav), "--speed", str(speed), "--loop", str(loops),
           "--wait-host", "20", "--tail-ms", "4000"]
    if segment_ms:
        cmd += ["--segment-ms", str(segment_ms)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, bufsize=1)
    first = proc.stdout.readline()
    m = re.match(r"PTY (\S+)", first)
    if not m:
        raise SystemExit(f"simulator did not start: {first!r} {proc.stderr.read()}")
    board_lines: list[str] = []
    threading.Thread(target=lambda: board_lines.extend(ln.rstrip("\n") for ln in proc.stdout), daemon=True).start()
    transport = FaultyTransport(m.group(1), faults) if faults else SerialTransport(m.group(1))
    engine = FakeEngine()
    out = io.StringIO()
    timeline = Timeline(console=Console(file=out, width=200), show_board_log=False)
    samples: list[tuple[float, int, int]] = []  # (audio s, daemon rss KiB, sim rss KiB)
    t0 = time.monotonic()
    cpu0 = resource.getrusage(resource.RUSAGE_SELF)

    async def main():
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()

        async def watch():
            while proc.poll() is None:
                try:
                    samples.append(((time.monotonic() - t0) * speed, rss_kib(), rss_kib(proc.pid)))
                except (FileNotFoundError, ProcessLookupError):
                    pass
                await asyncio.sleep(2)
            stop.set()

        w = loop.create_task(watch())
        services = await serve([transport], engine, timeline, stop, options=ServiceOptions(queue_limit=64))
        await w
        return services

    try:
        (svc,) = asyncio.run(main())
        wall = time.monotonic() - t0
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.terminate()
            proc.wait(10)
    cpu1 = resource.getrusage(resource.RUSAGE_SELF)
    daemon_cpu_s = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
    sim_stats = {}
    for ln in reversed(board_lines):  # the board's own view: bytes it could not send count as loss too
        if ln.startswith("STATS "):
            sim_stats = {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", ln)}
            break
    done = next((ln for ln in reversed(board_lines) if ln.startswith("DONE")), "")
    sim_segments = int(re.search(r"segments=(\d+)", done).group(1)) if done else -1
    s = svc.stats()
    warm = [x for x in samples if x[0] >= 0.1 * minutes * 60]
    base, last = (warm[0][1], warm[-1][1]) if warm else (0, 0)
    peak = max((x[1] for x in warm), default=0)
    tail_lost = max(0, sim_segments - (svc._last_seg_id + 1 if svc._last_seg_id is not None else 0))
    accounted = (s["segments_done"] + s["segments_shed"] + s["segments_lost"] + s["asm_orphan_segment_ends"]
                 + s["engine_errors"] + tail_lost)
    result = {
        "audio_minutes": round(loops * wav_seconds(wav) / 60, 1), "speed": speed, "wall_s": round(wall, 1),
        "faults_per_byte": faults, "bytes_corrupted": getattr(transport, "flipped", 0),
        "sim_segments": sim_segments, "segments_done": s["segments_done"], "segments_shed": s["segments_shed"],
        "segments_lost": s["segments_lost"], "orphan_ends": s["asm_orphan_segment_ends"],
        "engine_errors": s["engine_errors"], "tail_lost": tail_lost, "accounted": accounted,
        "rss_base_mib": round(base / 1024, 1), "rss_end_mib": round(last / 1024, 1),
        "rss_peak_mib": round(peak / 1024, 1), "rss_growth_pct": round(100 * (last - base) / base, 2) if base else None,
        "sim_rss_end_mib": round(samples[-1][2] / 1024, 1) if samples else None,
        "rss_samples": [(round(a), r) for a, r, _ in samples[:: max(1, len(samples) // 20)]],
        "missing_samples": s["asm_missing_samples"], "seq_gaps": s["seq_gaps"],
        "sim_tx_dropped": sim_stats.get("tx_dropped"), "sim_audio_unsent": sim_stats.get("audio_unsent"),
        "loadavg_1min_end": round(os.getloadavg()[0], 2), "daemon_cpu_s": round(daemon_cpu_s, 1),
        "daemon_cpu_ms_per_audio_s": round(1000 * daemon_cpu_s / (loops * wav_seconds(wav)), 2),
        "stats": s, "board_done": done,
    }
    ok_mem = result["rss_growth_pct"] is not None and result["rss_growth_pct"] <= 10
    if faults:
        ok_loss = accounted == sim_segments
    else:
        ok_loss = (s["segments_done"] == sim_segments and accounted == sim_segments
                   and s["asm_missing_samples"] == 0 and s["seq_gaps"] == 0)
    result["pass"] = bool(ok_mem and ok_loss and sim_segments > 0)
    result["report"] = report(s)
    return result


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--minutes", type=float, default=60.0, help="minutes of call audio")
    ap.add_argument("--speed", type=float, default=20.0)
    ap.add_argument("--faults", type=float, default=0.0, help="probability of corrupting each received byte")
    ap.add_argument("--segment-ms", type=int)
    ap.add_argument("--json", type=Path, help="write the result here")
    args = ap.parse_args(argv)
    res = run(args.minutes, args.speed, args.faults, args.segment_ms)
    keys = ("audio_minutes", "speed", "wall_s", "faults_per_byte", "bytes_corrupted", "sim_segments", "segments_done",
            "segments_shed", "segments_lost", "orphan_ends", "engine_errors", "tail_lost", "accounted",
            "rss_base_mib", "rss_end_mib", "rss_peak_mib", "rss_growth_pct", "sim_rss_end_mib", "missing_samples",
            "seq_gaps", "sim_tx_dropped", "sim_audio_unsent", "loadavg_1min_end", "daemon_cpu_s", "daemon_cpu_ms_per_audio_s")
    for k in keys:
        print(f"{k:18s} {res[k]}")
    for line in res["report"]:
        print("  " + line)
    print("SOAK", "PASS" if res["pass"] else "FAIL")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(res, indent=1, default=str))
    return 0 if res["pass"] else 1


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    raise SystemExit(main())
