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
from .link import BoardLink, LinkState
from .segments import Segment, SegmentAssembler
from .transport import TransportClosed, TransportUnavailable

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
    alerts: int = 0


@dataclass
class ServiceOptions:
    queue_limit: int = 8
    reconnect_min_s: float = 0.5
    reconnect_max_s: float = 8.0


@dataclass
class BoardService:
    transport: object
    engine: object
    pool: Executor
    on_segment: Callable[[SegmentReport], None] = lambda r: None
    on_console: Callable[[str, str], None] = lambda board, line: None
    on_status: Callable[[str, str], None] = lambda board, msg: None
    options: ServiceOptions = field(default_factory=ServiceOptions)
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

    # ------------------------------------------------------------------ lifecycle
    async def run(self, stop: asyncio.Event) -> None:
        loop = asyncio.get_running_loop()
        self._queue = asyncio.Queue()
        worker = asyncio.create_task(self._detect_worker())
        backoff = self.options.reconnect_min_s
        try:
            while not stop.is_set():
                try:
                    await loop.run_in_executor(None, self.transport.open)
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
                finally:
                    self.transport.close()
        finally:
            worker.cancel()
            await asyncio.gather(worker, return_exceptions=True)

    async def _serve(self, stop: asyncio.Event) -> None:
        loop = asyncio.get_running_loop()
        self._write(self.link.start(time.monotonic()))
        was = self.link.state
        while not stop.is_set():
            data = await loop.run_in_executor(None, self.transport.read, 0.05)
            now = time.monotonic()
            for ev in self.link.feed(data, now) if data else ():
                self._handle(ev, now)
            self._write(self.link.poll(now))
            if self.link.state is not was:
                self.on_status(self.name, f"link {self.link.state.value}")
                was = self.link.state
            self._flush()

    # ------------------------------------------------------------------ messages
    def _handle(self, ev, now: float) -> None:
        if isinstance(ev, TextLine):
            self.on_console(self.name, ev.text)
        elif isinstance(ev, M.Audio):
            self.assembler.add_audio(ev)
        elif isinstance(ev, M.SegmentStart):
            self.assembler.start(ev)
        elif isinstance(ev, M.SegmentEnd):
            seg = self.assembler.end(ev)
            if seg is not None:
                self._enqueue(seg, now)
        elif isinstance(ev, M.Log):
            self.on_console(self.name, ev.text)

    def _enqueue(self, seg: Segment, now: float) -> None:
        """Backpressure: past queue_limit, shed the oldest waiting segment (never the newest,
        which carries the freshest evidence), and count it."""
        assert self._queue is not None
        while self._queue.qsize() >= self.options.queue_limit:
            dropped, _ = self._queue.get_nowait()
            self.counters.segments_shed += 1
            log.warning("%s: overloaded, shed segment %d", self.name, dropped.segment_id)
        self._queue.put_nowait((seg, now))

    async def _detect_worker(self) -> None:
        loop = asyncio.get_running_loop()
        assert self._queue is not None
        while True:
            seg, received = await self._queue.get()
            call = self._call_for(seg)
            verdict = await loop.run_in_executor(
                self.pool, lambda: self.engine.process_audio(call, seg.pcm, seg.start_ms / 1000, seg.end_ms / 1000,
                                                             kws_hits=seg.kws_hits))
            level = LEVELS[verdict.level]
            if self.link.state is LinkState.READY:
                self._write(self.link.verdict(seg.segment_id, level, verdict.score, verdict.reason))
                self._flush()
            self.counters.segments_done += 1
            self.counters.alerts += level == P.ProtocolLevel.SCAM
            self.on_segment(SegmentReport(self.name, self._call_index, seg, verdict, time.monotonic() - received))

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
        if self.link.board_stats is not None:
            s.update({f"board_{k}": v for k, v in self.link.board_stats.as_dict().items()})
        return s


async def _sleep_or_stop(stop: asyncio.Event, seconds: float) -> None:
    try:
        await asyncio.wait_for(stop.wait(), timeout=seconds)
    except asyncio.TimeoutError:
        pass
