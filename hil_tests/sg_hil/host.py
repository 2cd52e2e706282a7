"""The host half of a HIL test: the protocol session the test runs against the board.

On a board the console text and the protocol frames share one serial port, so the test is
both the serial monitor (dut.expect on text) and the host daemon (handshake, heartbeats,
verdicts). The serial reader (serial_link.py) feeds every received byte here; this class
keeps the link (BoardLink), rebuilds segments (SegmentAssembler), runs the real detection
engine on them in a worker thread and answers with VERDICT frames, exactly like
host-daemon. Tests also drive it: CONFIG, injected audio, raw garbage, and going silent
(the host vanishes without closing the port, as a crashed daemon does).

Everything received is kept with its host arrival time, so a test can measure latencies
from the record instead of from when its own dut.expect call happened to run.
"""
from __future__ import annotations

import logging
import queue
import threading
import time
from dataclasses import dataclass
from typing import Callable

from scamguard import params as P
from scamguard.daemon.link import BoardLink, LinkState, VersionMismatch
from scamguard.daemon.segments import Segment, SegmentAssembler
from scamguard.protocol import messages as M
from scamguard.protocol.framing import TextLine

log = logging.getLogger("sg_hil.host")
LEVELS = {"safe": P.ProtocolLevel.SAFE, "suspicious": P.ProtocolLevel.SUSPICIOUS, "scam": P.ProtocolLevel.SCAM}


@dataclass
class SegmentRecord:
    segment: Segment
    t_end: float  # host monotonic time the SEGMENT_END arrived
    level: str | None = None
    score: float = 0.0
    reason: str = ""
    t_verdict: float | None = None
    sent: bool = False  # False: computed while the host was silent, never reached the board


class HostSession:
    def __init__(self, write: Callable[[bytes], None], host_name: str = "hil-host"):
        self._write_raw = write
        self._lock = threading.RLock()  # frames are written whole, from several threads
        self.changed = threading.Condition(self._lock)
        self.link = BoardLink(host_name=host_name)
        self.assembler = SegmentAssembler()
        self.engine = None
        self._call = None
        self._active = False  # handshake started: HELLO retries and heartbeats run
        self.silent = False
        self.closed = False  # the port is gone: late verdicts and audio are dropped
        self.fatal: str | None = None  # a board this host must not talk to (protocol mismatch)
        self.console: list[tuple[float, str]] = []
        self.messages: list[tuple[float, object]] = []
        self.describes: list[M.Describe] = []
        self.segments: dict[int, SegmentRecord] = {}
        self.injected_frames = 0
        self._work: queue.Queue = queue.Queue()
        self._worker: threading.Thread | None = None

    # ------------------------------------------------------------------ bytes in (reader thread)
    def feed(self, data: bytes, now: float) -> list[TextLine]:
        """Decodes bytes from the port; returns the console lines (for the pexpect buffer)."""
        text: list[TextLine] = []
        with self._lock:
            try:
                events = self.link.feed(data, now)
            except VersionMismatch as exc:  # the reader thread must live on to show the console
                self.fatal, self._active, events = str(exc), False, []
                self.changed.notify_all()
            for ev in events:
                if isinstance(ev, TextLine):
                    self.console.append((now, ev.text))
                    text.append(ev)
                else:
                    self._on_message(ev, now)
            self.changed.notify_all()
        return text

    def tick(self, now: float) -> None:
        """Timers: HELLO retries until DESCRIBE, then heartbeats, unless the host is silent."""
        with self._lock:
            if self._active and not self.silent:
                self._write(self.link.poll(now))

    def _on_message(self, msg, now: float) -> None:
        self.messages.append((now, msg))
        if isinstance(msg, M.Describe):
            self.describes.append(msg)
        elif isinstance(msg, M.Audio):
            self.assembler.add_audio(msg)
        elif isinstance(msg, M.SegmentStart):
            self.assembler.start(msg)
        elif isinstance(msg, M.SegmentEnd):
            seg = self.assembler.end(msg)
            if seg is not None:
                self.segments[seg.segment_id] = SegmentRecord(seg, now)
                if self.engine is not None:
                    self._work.put(seg.segment_id)

    # ------------------------------------------------------------------ bytes out
    def _write(self, data: bytes) -> None:
        if data and not self.closed:
            self._write_raw(data)

    def send(self, msg) -> None:
        with self._lock:
            if not self.silent:
                self._write(self.link.encode(msg))

    def send_raw(self, data: bytes) -> None:
        """Bytes as they are: garbage, hand-made frames. Not counted as host frames."""
        with self._lock:
            self._write(data)

    def config(self, key: P.ProtocolConfig, value: int) -> None:
        self.send(M.Config(int(key), int(value)))

    # ------------------------------------------------------------------ session control
    def connect(self, timeout: float = 10.0) -> M.Describe:
        """HELLO (retried every 2 s by BoardLink) until a new DESCRIBE arrives."""
        with self._lock:
            seen = len(self.describes)
            self.silent = False
            self._active = True
            self._write(self.link.start(time.monotonic()))
            self.wait(lambda: self.fatal or (len(self.describes) > seen and self.link.state is LinkState.READY),
                      timeout, "DESCRIBE after HELLO")
            if self.fatal:
                raise RuntimeError(f"handshake refused: {self.fatal}")
            return self.describes[-1]

    def go_silent(self) -> None:
        """Stop sending anything (heartbeats, verdicts, audio) while the port stays open."""
        with self._lock:
            self.silent = True

    def wait(self, predicate: Callable[[], bool], timeout: float, what: str):
        with self._lock:
            if not self.changed.wait_for(predicate, timeout):
                tail = "\n  ".join(t for _, t in self.console[-15:])
                raise TimeoutError(f"no {what} within {timeout:.0f} s; last console lines:\n  {tail}")

    def console_after(self, t0: float) -> list[tuple[float, str]]:
        with self._lock:
            return [(t, line) for t, line in self.console if t >= t0]

    def last(self, kind: type):
        with self._lock:
            return next((m for _, m in reversed(self.messages) if isinstance(m, kind)), None)

    # ------------------------------------------------------------------ verdicts
    def attach_engine(self, engine) -> None:
        """From now on every segment gets a verdict from the real detection engine."""
        self.engine = engine
        if self._worker is None:
            self._worker = threading.Thread(target=self._detect, name="hil-detect", daemon=True)
            self._worker.start()

    def close(self) -> None:
        with self._lock:
            self.closed = True
        self._work.put(None)

    def _detect(self) -> None:
        while (seg_id := self._work.get()) is not None:
            rec = self.segments[seg_id]
            level, score, reason = self._judge(rec.segment)
            with self._lock:
                rec.level, rec.score, rec.reason, rec.t_verdict = level, score, reason, time.monotonic()
                if self.link.state is LinkState.READY and not self.silent:
                    self._write(self.link.verdict(seg_id, LEVELS[level], score, reason))
                    rec.sent = True
                self.changed.notify_all()

    def _judge(self, seg: Segment) -> tuple[str, float, str]:
        if self._call is None:
            self._call = self.engine.new_call()
        if seg.speech_ms == 0 and not seg.kws_hits:
            # The board's VAD heard nothing: the call keeps its verdict (as the engine does for
            # an empty transcript) without spending ~0.5 s of a shared 2-core CPU on Whisper.
            last = self._call.last
            return (last.level, last.score, "no speech (board VAD)") if last else ("safe", 0.0, "no speech (board VAD)")
        try:
            v = self.engine.process_audio(self._call, seg.pcm, seg.start_ms / 1000, seg.end_ms / 1000,
                                          kws_hits=seg.kws_hits)
        except Exception as exc:  # a failing segment must show in the record, not kill the worker
            log.exception("engine failed on segment %d", seg.segment_id)
            return "safe", 0.0, f"engine error: {type(exc).__name__}"
        log.info("segment %d %.1f-%.1f s: %s %.2f %r", seg.segment_id, seg.start_ms / 1000, seg.end_ms / 1000,
                 v.level, v.score, v.transcript[:80])
        return v.level, v.score, v.reason
