"""Host side of one board link, without I/O: bytes in, typed events out, bytes to send.

States: CONNECTING (port open, HELLO sent) -> READY (DESCRIBE received) -> LOST (no frame
for PROTOCOL_LINK_TIMEOUT_MS). Every transition is logged. Counters from the frame decoder
and from message decoding are kept here so that nothing is hidden.
"""
from __future__ import annotations

import enum
import logging
from dataclasses import dataclass, field

from .. import params as P
from ..protocol import messages as M
from ..protocol.framing import Frame, FrameDecoder, TextLine, encode_frame

log = logging.getLogger("scamguard.link")


class LinkState(enum.Enum):
    CONNECTING = "connecting"
    READY = "ready"
    LOST = "lost"


class VersionMismatch(RuntimeError):
    pass


@dataclass
class LinkCounters:
    bad_messages: int = 0
    unknown_types: int = 0
    hellos_sent: int = 0
    heartbeats_sent: int = 0
    verdicts_sent: int = 0
    reconnects: int = 0


@dataclass
class BoardLink:
    host_name: str = "scamguard"
    state: LinkState = LinkState.CONNECTING
    describe: M.Describe | None = None
    board_stats: M.Stats | None = None
    decoder: FrameDecoder = field(default_factory=FrameDecoder)
    counters: LinkCounters = field(default_factory=LinkCounters)
    _tx_seq: int = 0
    _last_rx_s: float = 0.0
    _last_hb_s: float = 0.0
    _last_hello_s: float = -1e9

    # ------------------------------------------------------------------ outgoing
    def encode(self, msg) -> bytes:
        data = encode_frame(msg.TYPE, self._tx_seq, msg.to_payload())
        self._tx_seq = (self._tx_seq + 1) & 0xFFFF
        return data

    def start(self, now_s: float) -> bytes:
        """Called when the transport opens: begin the handshake."""
        self._set_state(LinkState.CONNECTING, "transport open")
        self._last_rx_s = now_s
        return self._hello(now_s)

    def _hello(self, now_s: float) -> bytes:
        self._last_hello_s = now_s
        self.counters.hellos_sent += 1
        return self.encode(M.Hello(P.PROTOCOL_VERSION, 0, self.host_name))

    def poll(self, now_s: float) -> bytes:
        """Timers: HELLO retries while connecting, heartbeats while ready, loss detection."""
        out = b""
        timeout_s = P.PROTOCOL_LINK_TIMEOUT_MS / 1000
        if self.state is LinkState.READY and now_s - self._last_rx_s > timeout_s:
            self._set_state(LinkState.LOST, f"no frame for {now_s - self._last_rx_s:.1f} s")
        if self.state is not LinkState.READY:
            if now_s - self._last_hello_s >= P.PROTOCOL_HELLO_TIMEOUT_MS / 1000:
                out += self._hello(now_s)
        elif now_s - self._last_hb_s >= P.PROTOCOL_HEARTBEAT_INTERVAL_MS / 1000:
            self._last_hb_s = now_s
            self.counters.heartbeats_sent += 1
            out += self.encode(M.Heartbeat(int(now_s * 1000) & 0xFFFFFFFF, 0))
        return out

    def verdict(self, segment_id: int, level: int, score: float, reason: str) -> bytes:
        self.counters.verdicts_sent += 1
        milli = max(0, min(1000, round(score * 1000)))
        return self.encode(M.Verdict(segment_id & 0xFFFF, level, milli, reason))

    # ------------------------------------------------------------------ incoming
    def feed(self, data: bytes, now_s: float) -> list:
        """Decode bytes; returns typed messages and TextLine console lines, in order."""
        out = []
        for ev in self.decoder.feed(data):
            if isinstance(ev, TextLine):
                out.append(ev)
                continue
            self._last_rx_s = now_s
            msg = self._decode(ev)
            if msg is None:
                continue
            if isinstance(msg, M.Describe):
                self._on_describe(msg)
            elif isinstance(msg, M.Stats):
                self.board_stats = msg
            elif self.state is LinkState.LOST:
                # The board kept talking: the link is back without a new handshake.
                self.counters.reconnects += 1
                self._set_state(LinkState.READY, "frames resumed")
            out.append(msg)
        return out

    def _decode(self, frame: Frame):
        try:
            return M.decode_message(frame)
        except M.MessageError as exc:
            if frame.type not in M.MESSAGE_TYPES:
                self.counters.unknown_types += 1
            else:
                self.counters.bad_messages += 1
            log.warning("dropped frame seq=%d type=0x%02x: %s", frame.seq, frame.type, exc)
            return None

    def _on_describe(self, d: M.Describe) -> None:
        if d.proto_version != P.PROTOCOL_VERSION:
            raise VersionMismatch(
                f"board speaks protocol v{d.proto_version}, this host speaks v{P.PROTOCOL_VERSION}: "
                "update the firmware or the host so both match")
        if d.sample_rate != P.AUDIO_SAMPLE_RATE_HZ:
            raise VersionMismatch(f"board streams {d.sample_rate} Hz audio, host expects {P.AUDIO_SAMPLE_RATE_HZ} Hz")
        if self.describe is not None and self.state is not LinkState.READY:
            self.counters.reconnects += 1
        self.describe = d
        self._set_state(LinkState.READY, f"board {d.board} fw {d.fw_version} caps {','.join(d.capabilities())}")

    def _set_state(self, new: LinkState, reason: str) -> None:
        if new is not self.state:
            log.info("link %s -> %s (%s)", self.state.value, new.value, reason)
            self.state = new

    def stats(self) -> dict[str, int]:
        s = dict(self.decoder.counters())
        s.update({k: v for k, v in vars(self.counters).items()})
        return s
