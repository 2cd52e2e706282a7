"""A board written in Python with our protocol classes, on a real pseudo-terminal.

For link tests that must not depend on the C simulator or the ASR engine: it answers HELLO
with DESCRIBE, streams IMA-ADPCM AUDIO chunks and SEGMENT_START/END at `speed` x real time,
sends heartbeats and STATS, records the VERDICTs it gets, and can be told to vanish (close
its pty and remove the stable path, as a USB board does when unplugged) and come back on
a fresh pty behind the same path, like a udev by-id symlink. Every frame it writes can pass
through `mangle` to inject faults; every frame it could not deliver is counted.
"""
from __future__ import annotations

import errno
import os
import threading
import time
import tty
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np

from .. import params as P
from ..codec import adpcm
from ..protocol import messages as M
from ..protocol.framing import FrameDecoder, encode_frame

RATE = P.AUDIO_SAMPLE_RATE_HZ
CHUNK = P.AUDIO_CHUNK_SAMPLES


def tone(segment_id: int, n: int) -> np.ndarray:
    """Audio whose content identifies its segment: a tone at 200 + 50*id Hz."""
    t = np.arange(n) / RATE
    return (np.sin(2 * np.pi * (200 + 50 * (segment_id % 60)) * t) * 6000).astype(np.int16)


_CHUNK_CACHE: dict[tuple[int, int], list[tuple[int, int, bytes]]] = {}


def adpcm_chunks(segment_id: int, n: int) -> list[tuple[int, int, bytes]]:
    """(predictor, step_index, data) per chunk of the segment's tone, IMA-ADPCM as the board
    sends it. Cached: the Python encoder costs ~30 ms per second of audio."""
    key = (segment_id % 60, n)
    if key not in _CHUNK_CACHE:
        pcm, st, out = tone(segment_id, n), adpcm.AdpcmState(), []
        for i in range(0, n, CHUNK):
            pred, step = st.predictor, st.step_index
            out.append((pred, step, adpcm.encode(pcm[i : i + CHUNK], st)))
        _CHUNK_CACHE[key] = out
    return _CHUNK_CACHE[key]


@dataclass
class FakeBoard:
    link_path: Path  # stable path the host opens (a symlink to the current /dev/pts/N)
    segments: int = 10
    segment_ms: int = 1000
    speed: float = 10.0
    proto_version: int = P.PROTOCOL_VERSION
    mangle: Callable[[bytes], bytes] | None = None  # fault injection on each outgoing frame
    wait_host_s: float = 10.0  # like the simulator's --wait-host: start streaming once HELLO arrives
    tail_s: float = 1.0  # like --tail-ms: keep the link up this long after the audio, for late verdicts
    verdicts: list = field(default_factory=list)
    frames_sent: int = 0
    frames_undeliverable: int = 0
    segments_sent: int = 0
    hellos: int = 0
    done: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        self._seq = 0
        self._master: int | None = None
        self._slave: int | None = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._connected = threading.Event()
        self._decoder = FrameDecoder()
        self._boot = time.monotonic()
        self._last_hb = 0.0
        self._plug()

    # ------------------------------------------------------------------ the pty
    def _plug(self) -> None:
        master, slave = os.openpty()
        tty.setraw(slave)  # no line discipline: bytes pass untouched, as on a USB-CDC port
        os.set_blocking(master, False)
        tmp = self.link_path.with_suffix(".new")
        if tmp.exists() or tmp.is_symlink():
            tmp.unlink()
        tmp.symlink_to(os.ttyname(slave))
        tmp.replace(self.link_path)  # atomic: the host never sees a half-made path
        with self._lock:
            self._master, self._slave = master, slave

    def vanish(self) -> None:
        """Unplug: the host's next read fails and the path disappears."""
        with self._lock:
            fds, self._master, self._slave = (self._master, self._slave), None, None
        self.link_path.unlink(missing_ok=True)
        for fd in fds:
            if fd is not None:
                os.close(fd)

    def come_back(self) -> None:
        self._plug()

    # ------------------------------------------------------------------ bytes
    def send(self, msg) -> None:
        frame = encode_frame(msg.TYPE, self._seq, msg.to_payload())
        self._seq = (self._seq + 1) & 0xFFFF
        data = self.mangle(frame) if self.mangle else frame
        with self._lock:
            master = self._master
            if master is None:
                self.frames_undeliverable += 1
                return
            try:
                os.write(master, data)
                self.frames_sent += 1
            except OSError as exc:  # buffer full (nobody reading) or hung up: a real UART drops too
                if exc.errno not in (errno.EAGAIN, errno.EIO):
                    raise
                self.frames_undeliverable += 1

    def _poll_rx(self) -> None:
        with self._lock:
            master = self._master
        if master is None:
            return
        try:
            data = os.read(master, 4096)
        except OSError:  # EAGAIN: nothing; EIO: host side not open
            return
        for fr in self._decoder.feed(data):
            if not hasattr(fr, "type"):
                continue
            try:
                msg = M.decode_message(fr)
            except M.MessageError:
                continue
            if isinstance(msg, M.Hello):
                self.hellos += 1
                self.send(M.Describe(self.proto_version, P.ProtocolCaps.ADPCM | P.ProtocolCaps.SERIAL, RATE,
                                     P.ProtocolCodec.IMA_ADPCM, self.segment_ms, 0, 0, "fake-1.0", "fakeboard"))
                self._connected.set()
            elif isinstance(msg, M.Verdict):
                self.verdicts.append(msg)

    def _uptime_ms(self) -> int:
        return int((time.monotonic() - self._boot) * 1000)

    def _housekeeping(self) -> None:
        self._poll_rx()
        now = time.monotonic()
        if now - self._last_hb >= P.PROTOCOL_HEARTBEAT_INTERVAL_MS / 1000:
            self._last_hb = now
            self.send(M.Heartbeat(self._uptime_ms(), 1))

    # ------------------------------------------------------------------ streaming
    def run(self) -> None:
        deadline = time.monotonic() + self.wait_host_s
        while not self._connected.is_set() and time.monotonic() < deadline and not self._stop.is_set():
            self._poll_rx()
            time.sleep(0.005)
        index, seg_samples = 0, self.segment_ms * RATE // 1000
        t0 = time.monotonic()
        for seg_id in range(self.segments):
            if self._stop.is_set():
                break
            self.send(M.SegmentStart(seg_id, index * 1000 // RATE))
            for k, (pred, step, data) in enumerate(adpcm_chunks(seg_id, seg_samples)):
                i = k * CHUNK
                n = min(CHUNK, seg_samples - i)
                self.send(M.Audio(index + i, P.ProtocolCodec.IMA_ADPCM, n, data, pred, step))
                due = t0 + (index + i + CHUNK) / RATE / self.speed
                while (delay := due - time.monotonic()) > 0:
                    self._housekeeping()
                    time.sleep(min(delay, 0.005))
                self._housekeeping()
            index += seg_samples
            self.send(M.SegmentEnd(seg_id, index * 1000 // RATE, seg_samples, P.ProtocolSegflag.SPEECH, 0, 0, 0,
                                   self.segment_ms))
            self.segments_sent += 1
        stats = [0] * P.ProtocolStat.COUNT
        stats[P.ProtocolStat.SEGMENTS_SENT] = self.segments_sent
        self.send(M.Stats(tuple(stats)))
        end = time.monotonic() + self.tail_s  # keep answering (heartbeats, verdicts) for the last segments
        while time.monotonic() < end and not self._stop.is_set():
            self._housekeeping()
            time.sleep(0.01)
        self.done.set()

    def start(self) -> threading.Thread:
        th = threading.Thread(target=self.run, name="fakeboard", daemon=True)
        th.start()
        return th

    def stop(self) -> None:
        self._stop.set()
        self.vanish()


@dataclass
class FakeCall:
    segments: list = field(default_factory=list)  # ids recovered from the audio, in order: the "vote window"


@dataclass
class FakeVerdict:
    level: str
    score: float
    transcript: str
    reason: str
    fraud_type: str | None = None
    matches: list = field(default_factory=list)


class FakeEngine:
    """Stands in for the detection engine in link tests: recovers the segment id from the tone
    (so a test can tell the audio arrived intact and in which call), votes within a call
    (3 segments -> scam) and optionally burns `delay_s` of wall time per segment."""

    SECRET = "SECRET-TRANSCRIPT"

    def __init__(self, delay_s: float = 0.0, cpu_bound: bool = False):
        self.delay_s, self.cpu_bound = delay_s, cpu_bound
        self.calls: list[FakeCall] = []

    def new_call(self) -> FakeCall:
        self.calls.append(FakeCall())
        return self.calls[-1]

    @staticmethod
    def segment_id_of(pcm: np.ndarray) -> int:
        spec = np.abs(np.fft.rfft(pcm.astype(np.float64)))
        freq = np.argmax(spec[1:]) + 1
        hz = freq * RATE / len(pcm)
        return int(round((hz - 200) / 50))

    def process_audio(self, call: FakeCall, pcm, t_start_s, t_end_s, kws_hits=0) -> FakeVerdict:
        if self.delay_s:
            if self.cpu_bound:  # holds the GIL like real work would, partly
                end = time.perf_counter() + self.delay_s
                while time.perf_counter() < end:
                    np.dot(np.ones(2000), np.ones(2000))
            else:
                time.sleep(self.delay_s)
        call.segments.append(self.segment_id_of(pcm))
        votes = len(call.segments)
        level = "scam" if votes >= 3 else "suspicious" if votes == 2 else "safe"
        return FakeVerdict(level, min(1.0, votes / 3), f"{self.SECRET} {call.segments[-1]}",
                           f"{votes} votes", "test" if level != "safe" else None)
