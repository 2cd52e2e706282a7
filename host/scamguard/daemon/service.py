"""One board, served end to end: open the transport (with backoff), handshake, assemble
segments, run the engine in a worker pool, send verdicts, report a timeline.

The engine is anything with `new_call()` and
`process_audio(call, pcm, t_start_s, t_end_s, kws_hits=0)` returning a verdict with
`level` ("safe"|"suspicious"|"scam"), `score`, `transcript`, `reason`, `fraud_type`.
"""
from __future__ import annotations

import asyncio
import logging
import time
from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import Callable

from .. import params as P
from ..protocol import messages as M
from ..protocol.framing import TextLine
from . import stats as linkstats
from .link import BoardLink, LinkState, VersionMismatch
from .overload import SegmentQueue, has_keyword_evidence
from .segments import Segment, SegmentAssembler
from .transport import TransportClosed, TransportRefused, TransportUnavailable

log = logging.getLogger("scamguard.daemon")
LEVELS = {"safe": P.ProtocolLevel.SAFE, "suspicious": P.ProtocolLevel.SUSPICIOUS, "scam": P.ProtocolLevel.SCAM}
NEW_CALL_GAP_MS = 20_000  # this much silence between segments starts a new call


@dataclass
class SegmentReport:
    """What the timeline shows for one segment."""

    board: str
    call_index: int
    segment: Segment
    verdict: object
    latency_s: float  # from SEGMENT_END received to VERDICT written


@dataclass
class ServiceCounters:
    connects: int = 0
    disconnects: int = 0
    segments_done: int = 0
    segments_shed: int = 0
    segments_shed_kws: int = 0  # shed although the board's keyword spotter had flagged them
    engine_errors: int = 0
    verdicts_unsent: int = 0  # computed while the link was down: shown on the timeline only
    board_restarts: int = 0
    segments_lost: int = 0  # segment ids the board used that never arrived complete (gaps in SEGMENT_END ids)
    alerts: int = 0


@dataclass
class ServiceOptions:
    queue_limit: int = 8
    drain_timeout_s: float = 30.0  # on stop, finish segments already received (bounded)
    reconnect_min_s: float = 0.5
    reconnect_max_s: float = 8.0
    status_interval_s: float = 0.0  # periodic link-health line via on_status; 0 = off


@dataclass
class BoardService:
    transport: object
    engine: object
    pool: Executor
    on_segment: Callable[[SegmentReport], None] = lambda r: None
    on_console: Callable[[str, str], None] = lambda board, line: None
    on_status: Callable[[str, str], None] = lambda board, msg: None
    options: ServiceOptions = field(default_factory=ServiceOptions)
    # Blocking transport calls (open, read) run here. Each board keeps one such call in flight
    # all the time, so sharing asyncio's default executor (min(32, CPUs + 4) threads) would
    # starve boards beyond that count; serve() gives every board its own thread.
    io_pool: Executor | None = None
    link: BoardLink = field(default_factory=BoardLink)
    assembler: SegmentAssembler = field(default_factory=SegmentAssembler)
    counters: ServiceCounters = field(default_factory=ServiceCounters)

    def __post_init__(self) -> None:
        self.name = getattr(self.transport, "name", "board")
        self._call = None
        self._call_index = 0
        self._last_end_ms: int | None = None
        self._queue: asyncio.Queue | None = None
        self._pending_tx = bytearray()
        self._busy = False
        self.fatal: str | None = None  # set when this board cannot be served until a human acts
        self._last_uptime_ms: int | None = None
        self._last_seg_id: int | None = None
        self._last_seg_host_s = 0.0
        self._last_status_s = time.monotonic()
        self._warned_segment_ms: int | None = None

    def __repr__(self) -> str:
        # The generated dataclass repr would print every audio chunk in the assembler's 30 s
        # window (seconds of CPU); asyncio reprs a finished task's result, so keep it short.
        return f"BoardService({self.name!r}, link={self.link.state.value})"

    # ------------------------------------------------------------------ lifecycle
    async def run(self, stop: asyncio.Event) -> None:
        loop = asyncio.get_running_loop()
        self._queue = SegmentQueue(self.options.queue_limit)
        worker = asyncio.create_task(self._detect_worker())
        backoff = self.options.reconnect_min_s
        try:
            while not stop.is_set():
                try:
                    await loop.run_in_executor(self.io_pool, self.transport.open)
                except TransportRefused as exc:
                    self._give_up(str(exc))
                    break
                except TransportUnavailable as exc:
                    self.on_status(self.name, f"{exc}; retrying in {backoff:.1f} s")
                    await _sleep_or_stop(stop, backoff)
                    backoff = min(backoff * 2, self.options.reconnect_max_s)
                    continue
                backoff = self.options.reconnect_min_s
                self.counters.connects += 1
                try:
                    await self._serve(stop)
                except TransportClosed as exc:
                    self.counters.disconnects += 1
                    self.on_status(self.name, f"link lost: {exc}; reconnecting")
                except (VersionMismatch, TransportRefused) as exc:
                    self._give_up(str(exc))
                    break
                finally:
                    self.transport.close()
        finally:
            await self._drain()
            worker.cancel()
            await asyncio.gather(worker, return_exceptions=True)

    async def _drain(self) -> None:
        """Segments already received still get a verdict (shown, even if it can no longer be
        sent), so stopping never silently loses the end of a call."""
        deadline = time.monotonic() + self.options.drain_timeout_s
        while self._queue is not None and (self._queue.qsize() or self._busy) and time.monotonic() < deadline:
            await asyncio.sleep(0.05)

    async def _serve(self, stop: asyncio.Event) -> None:
        loop = asyncio.get_running_loop()
        self._write(self.link.start(time.monotonic()))
        was = self.link.state
        while not stop.is_set():
            data = await loop.run_in_executor(self.io_pool, self.transport.read, 0.05)
            now = time.monotonic()
            for ev in self.link.feed(data, now) if data else ():
                self._handle(ev, now)
            self._write(self.link.poll(now))
            if self.link.state is not was:
                self.on_status(self.name, f"link {self.link.state.value}")
                was = self.link.state
            if self.options.status_interval_s and now - self._last_status_s >= self.options.status_interval_s:
                self._last_status_s = now
                self.on_status(self.name, linkstats.status_line(self.stats(), self.link.state.value))
            self._flush()

    def _give_up(self, reason: str) -> None:
        """Stop serving this board with one clear line instead of retrying forever: a protocol
        mismatch or an unpaired BLE board will not fix itself. Other boards keep running."""
        self.fatal = reason
        log.error("%s: %s", self.name, reason)
        self.on_status(self.name, f"error: {reason}")

    # ------------------------------------------------------------------ messages
    def _handle(self, ev, now: float) -> None:
        if isinstance(ev, TextLine):
            self.on_console(self.name, ev.text)
        elif isinstance(ev, M.Audio):
            self.assembler.add_audio(ev)
        elif isinstance(ev, M.SegmentStart):
            self.assembler.start(ev)
        elif isinstance(ev, M.SegmentEnd):
            self._count_lost_segments(ev.segment_id)
            seg = self.assembler.end(ev)
            if seg is not None:
                self._enqueue(seg, now)
        elif isinstance(ev, M.Log):
            self.on_console(self.name, ev.text)
        elif isinstance(ev, M.Heartbeat):
            self._check_restart(ev.uptime_ms, now)
        elif isinstance(ev, M.Describe):
            self._check_segment_length(ev.segment_ms)

    def _check_segment_length(self, segment_ms: int) -> None:
        """The calibration's thresholds hold for the window it was fitted at; a board cutting
        other lengths (older firmware, a CONFIG by hand) still gets verdicts, but they are off."""
        window_s = getattr(self.engine, "window_s", None)
        if window_s and segment_ms != round(window_s * 1000) and segment_ms != self._warned_segment_ms:
            self._warned_segment_ms = segment_ms
            msg = (f"board cuts {segment_ms} ms segments but the calibration was fitted at {window_s:g} s: "
                   f"verdicts are miscalibrated; send CONFIG segment_ms={round(window_s * 1000)}, "
                   f"reflash, or calibrate at this length")
            log.warning("%s: %s", self.name, msg)
            self.on_status(self.name, msg)

    def _count_lost_segments(self, seg_id: int) -> None:
        """Segment ids rise by one per segment (u16): a jump means whole segments were lost on the
        link (their START or END frame), which the assembler alone cannot see."""
        last, gap = self._last_seg_id, 0
        if last is not None:
            gap = (seg_id - last - 1) & 0xFFFF
            if gap >= 0x8000:  # an old or repeated id: not a loss, and not a new high-water mark
                return
            if gap:
                self.counters.segments_lost += gap
                log.warning("%s: %d segment(s) lost before segment %d", self.name, gap, seg_id)
        self._last_seg_id = seg_id

    def _check_restart(self, uptime_ms: int, now: float) -> None:
        """A board that rebooted restarts its sample clock at 0; the assembler would take all its
        new audio for 30 s-old late chunks. Start a fresh window (same counters) instead, and
        keep the call only if its last segment is recent (the phone call may well go on)."""
        last, self._last_uptime_ms = self._last_uptime_ms, uptime_ms
        if last is None or uptime_ms >= last or last > 0xF000_0000:  # forward, or the u32 wrapped
            return
        self.counters.board_restarts += 1
        self.assembler = SegmentAssembler(counters=self.assembler.counters)
        self._last_end_ms = None
        self._last_seg_id = None
        if now - self._last_seg_host_s > NEW_CALL_GAP_MS / 1000:
            self._call = None
        self.on_status(self.name, f"board restarted (uptime {last} -> {uptime_ms} ms): audio window reset")

    def _enqueue(self, seg: Segment, now: float) -> None:
        """Backpressure: past queue_limit, shed the oldest waiting segment (never the newest,
        which carries the freshest evidence), and count it."""
        assert self._queue is not None
        self._last_seg_host_s = now
        for dropped, _ in self._queue.put(seg, now):  # policy: overload.py / docs/results/load.md
            kws = has_keyword_evidence(dropped)
            self.counters.segments_shed += 1
            self.counters.segments_shed_kws += kws
            log.warning("%s: overloaded, shed segment %d (%.1f-%.1f s%s)", self.name, dropped.segment_id,
                        dropped.start_ms / 1000, dropped.end_ms / 1000, ", had keyword hits" if kws else "")

    async def _detect_worker(self) -> None:
        loop = asyncio.get_running_loop()
        assert self._queue is not None
        while True:
            seg, received = await self._queue.get()
            self._busy = True
            call = self._call_for(seg)
            try:
                verdict = await loop.run_in_executor(
                    self.pool, lambda: self.engine.process_audio(call, seg.pcm, seg.start_ms / 1000,
                                                                 seg.end_ms / 1000, kws_hits=seg.kws_hits))
            except Exception as exc:  # one bad segment must not stop detection for the rest of the call
                self.counters.engine_errors += 1
                log.error("%s: detection failed on segment %d: %s", self.name, seg.segment_id, type(exc).__name__)
                continue
            level = LEVELS[verdict.level]
            try:
                if self.link.state is not LinkState.READY:
                    raise TransportClosed("link not ready")
                self._write(self.link.verdict(seg.segment_id, level, verdict.score, verdict.reason))
                self._flush()
            except TransportClosed:  # the port went away meanwhile: the reconnect loop handles it
                self.counters.verdicts_unsent += 1
            self.counters.segments_done += 1
            self.counters.alerts += level == P.ProtocolLevel.SCAM
            self.on_segment(SegmentReport(self.name, self._call_index, seg, verdict, time.monotonic() - received))
            self._busy = False

    def _call_for(self, seg: Segment):
        if self._call is None or (self._last_end_ms is not None and seg.start_ms - self._last_end_ms > NEW_CALL_GAP_MS):
            self._call = self.engine.new_call()
            self._call_index += 1
        self._last_end_ms = seg.end_ms
        return self._call

    # ------------------------------------------------------------------ output
    def _write(self, data: bytes) -> None:
        self._pending_tx += data

    def _flush(self) -> None:
        if self._pending_tx:
            data, self._pending_tx = bytes(self._pending_tx), bytearray()
            self.transport.write(data)

    def stats(self) -> dict[str, int]:
        s = self.link.stats()
        s.update({f"asm_{k}": v for k, v in vars(self.assembler.counters).items()})
        s.update(vars(self.counters))
        s["queue_depth"] = self._queue.qsize() if self._queue is not None else 0
        transport_stats = getattr(self.transport, "stats", None)
        if callable(transport_stats):
            s.update(transport_stats())
        if self.link.board_stats is not None:
            s.update({f"board_{k}": v for k, v in self.link.board_stats.as_dict().items()})
        return s


async def _sleep_or_stop(stop: asyncio.Event, seconds: float) -> None:
    try:
        await asyncio.wait_for(stop.wait(), timeout=seconds)
    except asyncio.TimeoutError:
        pass
