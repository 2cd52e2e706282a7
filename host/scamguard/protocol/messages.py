"""Typed protocol messages: one dataclass per message type, with exact byte layouts.

Each class has `to_payload()` and `from_payload()`; `from_payload` raises MessageError on a
malformed payload, never anything else. Layouts mirror firmware/core/src/sg_msg.c.
"""
from __future__ import annotations

import struct
from dataclasses import dataclass, field
from typing import ClassVar

from .. import params as P
from .framing import Frame

Msg = P.ProtocolMsg
NAME_LEN = 16


class MessageError(ValueError):
    pass


def _name(raw: bytes) -> str:
    return raw.split(b"\x00", 1)[0].decode("utf-8", errors="replace")


def _pad(text: str) -> bytes:
    return text.encode("utf-8")[:NAME_LEN].ljust(NAME_LEN, b"\x00")


def _text(raw: bytes) -> str:
    if len(raw) > P.PROTOCOL_MAX_TEXT:
        raise MessageError(f"text of {len(raw)} bytes exceeds {P.PROTOCOL_MAX_TEXT}")
    return raw.decode("utf-8", errors="replace")


def _clip_text(text: str) -> bytes:
    raw = text.encode("utf-8")[: P.PROTOCOL_MAX_TEXT]
    return raw.decode("utf-8", errors="ignore").encode("utf-8")  # never cut a character in half


def _fixed(fmt: struct.Struct, payload: bytes, name: str) -> tuple:
    if len(payload) != fmt.size:
        raise MessageError(f"{name} payload must be {fmt.size} bytes, got {len(payload)}")
    return fmt.unpack(payload)


@dataclass(frozen=True)
class Hello:
    TYPE: ClassVar[int] = Msg.HELLO
    proto_version: int = P.PROTOCOL_VERSION
    host_caps: int = 0
    host_name: str = "scamguard"

    def to_payload(self) -> bytes:
        name = self.host_name.encode("utf-8")[:NAME_LEN].decode("utf-8", errors="ignore").encode("utf-8")
        return struct.pack("<BH", self.proto_version, self.host_caps) + name

    @classmethod
    def from_payload(cls, p: bytes) -> "Hello":
        if not 3 <= len(p) <= 3 + NAME_LEN:
            raise MessageError(f"HELLO payload must be 3..{3 + NAME_LEN} bytes, got {len(p)}")
        version, caps = struct.unpack_from("<BH", p)
        return cls(version, caps, p[3:].decode("utf-8", errors="replace"))


_DESCRIBE = struct.Struct("<BHIBHBB16s16s")


@dataclass(frozen=True)
class Describe:
    TYPE: ClassVar[int] = Msg.DESCRIBE
    proto_version: int
    caps: int
    sample_rate: int
    codec: int
    segment_ms: int
    overlap_pct: int
    seg_mode: int
    fw_version: str
    board: str

    def to_payload(self) -> bytes:
        return _DESCRIBE.pack(self.proto_version, self.caps, self.sample_rate, self.codec, self.segment_ms,
                              self.overlap_pct, self.seg_mode, _pad(self.fw_version), _pad(self.board))

    @classmethod
    def from_payload(cls, p: bytes) -> "Describe":
        f = _fixed(_DESCRIBE, p, "DESCRIBE")
        return cls(*f[:7], _name(f[7]), _name(f[8]))

    def capabilities(self) -> list[str]:
        return [c.name.lower() for c in P.ProtocolCaps if self.caps & c]


_AUDIO = struct.Struct("<IBBH")
_ADPCM_STATE = struct.Struct("<hBB")


@dataclass(frozen=True)
class Audio:
    """One chunk of the board's continuous audio stream. sample_index is the position of the
    chunk's first sample since boot; segments are time ranges cut out of this stream. For
    ADPCM the chunk carries the decoder state at its start, so it decodes on its own even
    when earlier chunks were lost."""

    TYPE: ClassVar[int] = Msg.AUDIO
    sample_index: int
    codec: int
    n_samples: int
    data: bytes
    predictor: int = 0
    step_index: int = 0

    @staticmethod
    def data_len(codec: int, n_samples: int) -> int:
        return (n_samples + 1) // 2 if codec == P.ProtocolCodec.IMA_ADPCM else 2 * n_samples

    def to_payload(self) -> bytes:
        head = _AUDIO.pack(self.sample_index, self.codec, 0, self.n_samples)
        if self.codec == P.ProtocolCodec.IMA_ADPCM:
            head += _ADPCM_STATE.pack(self.predictor, self.step_index, 0)
        return head + self.data

    @classmethod
    def from_payload(cls, p: bytes) -> "Audio":
        if len(p) < _AUDIO.size:
            raise MessageError(f"AUDIO payload too short ({len(p)} bytes)")
        index, codec, _, n = _AUDIO.unpack_from(p)
        off, pred, step = _AUDIO.size, 0, 0
        if codec == P.ProtocolCodec.IMA_ADPCM:
            if len(p) < off + _ADPCM_STATE.size:
                raise MessageError("AUDIO payload too short for the ADPCM state")
            pred, step, _ = _ADPCM_STATE.unpack_from(p, off)
            if step > 88:
                raise MessageError(f"ADPCM step index {step} out of range 0..88")
            off += _ADPCM_STATE.size
        elif codec != P.ProtocolCodec.PCM16:
            raise MessageError(f"unknown audio codec {codec}")
        data = p[off:]
        if len(data) != cls.data_len(codec, n):
            raise MessageError(f"AUDIO carries {len(data)} data bytes, {n} samples need {cls.data_len(codec, n)}")
        return cls(index, codec, n, data, pred, step)


@dataclass(frozen=True)
class InjectAudio(Audio):
    """Host-to-board audio that replaces the microphone in test builds (same layout as AUDIO)."""

    TYPE: ClassVar[int] = Msg.INJECT_AUDIO


_SEG_START = struct.Struct("<HI")


@dataclass(frozen=True)
class SegmentStart:
    TYPE: ClassVar[int] = Msg.SEGMENT_START
    segment_id: int
    t_start_ms: int

    def to_payload(self) -> bytes:
        return _SEG_START.pack(self.segment_id, self.t_start_ms)

    @classmethod
    def from_payload(cls, p: bytes) -> "SegmentStart":
        return cls(*_fixed(_SEG_START, p, "SEGMENT_START"))


_SEG_END = struct.Struct("<HIIBBBBH")


@dataclass(frozen=True)
class SegmentEnd:
    TYPE: ClassVar[int] = Msg.SEGMENT_END
    segment_id: int
    t_end_ms: int
    n_samples: int
    flags: int = 0
    kws_hits: int = 0
    kws_best_id: int = 0
    kws_best_score: int = 0
    speech_ms: int = 0

    def to_payload(self) -> bytes:
        return _SEG_END.pack(self.segment_id, self.t_end_ms, self.n_samples, self.flags, self.kws_hits,
                             self.kws_best_id, self.kws_best_score, self.speech_ms)

    @classmethod
    def from_payload(cls, p: bytes) -> "SegmentEnd":
        return cls(*_fixed(_SEG_END, p, "SEGMENT_END"))


_KW_HIT = struct.Struct("<HIBB")


@dataclass(frozen=True)
class KeywordHit:
    TYPE: ClassVar[int] = Msg.KEYWORD_HIT
    segment_id: int
    t_ms: int
    keyword_id: int
    score: int

    def to_payload(self) -> bytes:
        return _KW_HIT.pack(self.segment_id, self.t_ms, self.keyword_id, self.score)

    @classmethod
    def from_payload(cls, p: bytes) -> "KeywordHit":
        return cls(*_fixed(_KW_HIT, p, "KEYWORD_HIT"))


_VERDICT = struct.Struct("<HBH")


@dataclass(frozen=True)
class Verdict:
    TYPE: ClassVar[int] = Msg.VERDICT
    segment_id: int
    level: int
    score_milli: int
    reason: str = ""

    def to_payload(self) -> bytes:
        if self.level not in tuple(P.ProtocolLevel) or not 0 <= self.score_milli <= 1000:
            raise MessageError(f"bad verdict level {self.level} or score {self.score_milli}")
        return _VERDICT.pack(self.segment_id, self.level, self.score_milli) + _clip_text(self.reason)

    @classmethod
    def from_payload(cls, p: bytes) -> "Verdict":
        if len(p) < _VERDICT.size:
            raise MessageError(f"VERDICT payload too short ({len(p)} bytes)")
        seg, level, score = _VERDICT.unpack_from(p)
        if level > P.ProtocolLevel.SCAM or score > 1000:
            raise MessageError(f"bad verdict level {level} or score {score}")
        return cls(seg, level, score, _text(p[_VERDICT.size:]))


_ACK = struct.Struct("<HB")


@dataclass(frozen=True)
class AlertAck:
    TYPE: ClassVar[int] = Msg.ALERT_ACK
    segment_id: int
    alert_state: int

    def to_payload(self) -> bytes:
        return _ACK.pack(self.segment_id, self.alert_state)

    @classmethod
    def from_payload(cls, p: bytes) -> "AlertAck":
        return cls(*_fixed(_ACK, p, "ALERT_ACK"))


_HEARTBEAT = struct.Struct("<IB")


@dataclass(frozen=True)
class Heartbeat:
    TYPE: ClassVar[int] = Msg.HEARTBEAT
    uptime_ms: int
    alert_state: int = 0

    def to_payload(self) -> bytes:
        return _HEARTBEAT.pack(self.uptime_ms & 0xFFFFFFFF, self.alert_state)

    @classmethod
    def from_payload(cls, p: bytes) -> "Heartbeat":
        return cls(*_fixed(_HEARTBEAT, p, "HEARTBEAT"))


@dataclass(frozen=True)
class Log:
    TYPE: ClassVar[int] = Msg.LOG
    level: int
    text: str

    def to_payload(self) -> bytes:
        return bytes([self.level]) + _clip_text(self.text)

    @classmethod
    def from_payload(cls, p: bytes) -> "Log":
        if not p:
            raise MessageError("LOG payload is empty")
        return cls(p[0], _text(p[1:]))


_CONFIG = struct.Struct("<Bi")


@dataclass(frozen=True)
class Config:
    TYPE: ClassVar[int] = Msg.CONFIG
    key: int
    value: int

    def to_payload(self) -> bytes:
        return _CONFIG.pack(self.key, self.value)

    @classmethod
    def from_payload(cls, p: bytes) -> "Config":
        return cls(*_fixed(_CONFIG, p, "CONFIG"))


_STATS = struct.Struct(f"<{P.ProtocolStat.COUNT}I")


@dataclass(frozen=True)
class Stats:
    TYPE: ClassVar[int] = Msg.STATS
    counters: tuple[int, ...] = field(default_factory=lambda: (0,) * P.ProtocolStat.COUNT)

    def to_payload(self) -> bytes:
        return _STATS.pack(*self.counters)

    @classmethod
    def from_payload(cls, p: bytes) -> "Stats":
        return cls(tuple(_fixed(_STATS, p, "STATS")))

    def as_dict(self) -> dict[str, int]:
        return {m.name.lower(): self.counters[m] for m in P.ProtocolStat if m is not P.ProtocolStat.COUNT}


MESSAGE_TYPES = {cls.TYPE: cls for cls in (Hello, Describe, Audio, InjectAudio, SegmentStart, SegmentEnd,
                                           KeywordHit, Verdict, AlertAck, Heartbeat, Log, Config, Stats)}


def decode_message(frame: Frame):
    """Typed message for a frame; raises MessageError for an unknown type or bad payload."""
    cls = MESSAGE_TYPES.get(frame.type)
    if cls is None:
        raise MessageError(f"unknown message type 0x{frame.type:02x}")
    return cls.from_payload(frame.payload)


def encode_message(msg, seq: int) -> bytes:
    from .framing import encode_frame

    return encode_frame(msg.TYPE, seq, msg.to_payload())
