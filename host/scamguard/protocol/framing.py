"""Frame encoder and streaming decoder, the Python twin of firmware/core/src/sg_frame.c.

raw frame : 00 | version | type | seq(le16) | len(le16) | payload | crc16(le16)
on wire   : 00 | COBS(raw frame) | 00

The decoder is byte-driven with fixed limits: it never raises on bad input, never buffers
more than one maximum frame, and counts every frame it has to throw away.
"""
from __future__ import annotations

import binascii
import struct
from dataclasses import dataclass, field

from .. import params as P
from . import cobs

HEADER = struct.Struct("<BBBHH")
RAW_MAX = P.PROTOCOL_HEADER_LEN + P.PROTOCOL_MAX_PAYLOAD + P.PROTOCOL_CRC_LEN
ENCODED_MAX = RAW_MAX + RAW_MAX // 254 + 1  # one COBS-encoded frame, no delimiters
TEXT_MAX = 256
Stat = P.ProtocolStat


def crc16(data: bytes) -> int:
    """CRC-16/CCITT-FALSE, the same as sg_crc16()."""
    return binascii.crc_hqx(data, 0xFFFF)


class FrameTooLarge(ValueError):
    pass


def encode_frame(msg_type: int, seq: int, payload: bytes = b"") -> bytes:
    if len(payload) > P.PROTOCOL_MAX_PAYLOAD:
        raise FrameTooLarge(f"payload of {len(payload)} bytes exceeds {P.PROTOCOL_MAX_PAYLOAD}")
    raw = HEADER.pack(0, P.PROTOCOL_VERSION, msg_type, seq & 0xFFFF, len(payload)) + payload
    raw += struct.pack("<H", crc16(raw[1:]))
    return b"\x00" + cobs.encode(raw) + b"\x00"


@dataclass(frozen=True)
class Frame:
    type: int
    seq: int
    payload: bytes


@dataclass(frozen=True)
class TextLine:
    """A console line that shared the byte stream with frames (boot logs, ESP_LOG output)."""

    text: str


_IDLE, _FRAME, _TEXT, _DISCARD = range(4)


def _is_text_byte(b: int) -> bool:
    """Bytes that may appear in a UTF-8 console line (0xC0, 0xC1 and 0xF5.. never do)."""
    return b in (0x09, 0x0D) or 0x20 <= b < 0x7F or (0x80 <= b <= 0xF4 and b not in (0xC0, 0xC1))


@dataclass
class FrameDecoder:
    stats: list[int] = field(default_factory=lambda: [0] * Stat.COUNT)
    _mode: int = _IDLE
    _buf: bytearray = field(default_factory=bytearray)
    _last_seq: int | None = None

    def feed(self, data: bytes) -> list[Frame | TextLine]:
        events: list[Frame | TextLine] = []
        for b in data:
            ev = self._push(b)
            if ev is not None:
                events.append(ev)
        return events

    @property
    def bad_frames(self) -> int:
        s = self.stats
        return s[Stat.BAD_COBS] + s[Stat.BAD_CRC] + s[Stat.BAD_LENGTH] + s[Stat.BAD_VERSION] + s[Stat.OVERSIZE]

    def counters(self) -> dict[str, int]:
        return {m.name.lower(): self.stats[m] for m in Stat if m is not Stat.COUNT}

    def _push(self, b: int):
        mode = self._mode
        if mode == _IDLE:
            if b in (0, 0x0A):
                return None
            self._buf.clear()
            if b == 0x01:
                self._mode = _FRAME
                self._buf.append(b)
            elif _is_text_byte(b):
                self._mode = _TEXT
                self._buf.append(b)
            else:
                self._mode = _DISCARD
                self.stats[Stat.NOISE_BYTES] += 1
            return None
        if mode == _FRAME:
            if b != 0:
                if len(self._buf) >= ENCODED_MAX:
                    self.stats[Stat.OVERSIZE] += 1
                    self._mode = _DISCARD
                else:
                    self._buf.append(b)
                return None
            self._mode = _IDLE
            return self._finish_frame()
        if mode == _TEXT:
            if b in (0, 0x0A):
                self._mode = _IDLE
                return self._emit_text()
            if not _is_text_byte(b):
                self.stats[Stat.NOISE_BYTES] += len(self._buf) + 1
                self._mode = _DISCARD
                return None
            if b == 0x0D:
                return None
            self._buf.append(b)
            if len(self._buf) >= TEXT_MAX:
                return self._emit_text()
            return None
        if b == 0:
            self._mode = _IDLE
        else:
            self.stats[Stat.NOISE_BYTES] += 1
        return None

    def _emit_text(self) -> TextLine:
        text = self._buf.decode("utf-8", errors="replace")
        self._buf.clear()
        self.stats[Stat.TEXT_LINES] += 1
        return TextLine(text)

    def _finish_frame(self) -> Frame | None:
        try:
            raw = cobs.decode(bytes(self._buf))
        except cobs.CobsError:
            self.stats[Stat.BAD_COBS] += 1
            return None
        if len(raw) < P.PROTOCOL_HEADER_LEN + P.PROTOCOL_CRC_LEN or raw[0] != 0:
            self.stats[Stat.BAD_LENGTH] += 1
            return None
        _, version, msg_type, seq, plen = HEADER.unpack_from(raw)
        if plen > P.PROTOCOL_MAX_PAYLOAD or len(raw) != P.PROTOCOL_HEADER_LEN + plen + P.PROTOCOL_CRC_LEN:
            self.stats[Stat.BAD_LENGTH] += 1
            return None
        (crc,) = struct.unpack_from("<H", raw, len(raw) - 2)
        if crc != crc16(raw[1:-2]):
            self.stats[Stat.BAD_CRC] += 1
            return None
        if version != P.PROTOCOL_VERSION:
            self.stats[Stat.BAD_VERSION] += 1
            return None
        self.stats[Stat.FRAMES_OK] += 1
        self._track_seq(seq)
        return Frame(msg_type, seq, raw[P.PROTOCOL_HEADER_LEN:-2])

    def _track_seq(self, seq: int) -> None:
        last = self._last_seq
        if last is not None:
            if seq == last:
                self.stats[Stat.SEQ_DUPS] += 1
                return
            ahead = (seq - (last + 1)) & 0xFFFF
            if ahead >= 0x8000:
                self.stats[Stat.SEQ_LATE] += 1
                return
            self.stats[Stat.SEQ_GAPS] += ahead
        self._last_seq = seq
