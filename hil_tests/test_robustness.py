"""A malformed frame storm: random bytes, bad CRCs, oversize and wrong-version frames and
lying length fields. The board must drop and count each kind, never reboot or lose the link,
and keep streaming."""
import random
import struct

from scamguard import params as P
from scamguard.protocol import cobs
from scamguard.protocol.framing import crc16, encode_frame
from scamguard.protocol import messages as M
from sg_hil.plugin import parse_kv

N_EACH = 20


def _raw(version: int, msg_type: int, seq: int, payload: bytes, length: int | None = None, crc_xor: int = 0) -> bytes:
    raw = struct.pack("<BBBHH", 0, version, msg_type, seq, len(payload) if length is None else length) + payload
    raw += struct.pack("<H", crc16(raw[1:]) ^ crc_xor)
    return b"\x00" + cobs.encode(raw) + b"\x00"


def storm(seed: int = 8) -> tuple[bytes, dict[str, int]]:
    rng = random.Random(seed)
    hb = M.Heartbeat(1234, 0).to_payload()
    parts, sent = [], {"bad_crc": 0, "oversize": 0, "bad_version": 0, "bad_length": 0}
    for i in range(N_EACH):
        parts.append(bytes(rng.randrange(256) for _ in range(rng.randrange(50, 400))))
        parts.append(_raw(P.PROTOCOL_VERSION, P.ProtocolMsg.HEARTBEAT, i, hb, crc_xor=rng.randrange(1, 0x10000)))
        parts.append(b"\x00\x01" + bytes(rng.randrange(1, 256) for _ in range(1200)) + b"\x00")
        parts.append(_raw(P.PROTOCOL_VERSION + 1, P.ProtocolMsg.HEARTBEAT, i, hb))
        parts.append(_raw(P.PROTOCOL_VERSION, P.ProtocolMsg.HEARTBEAT, i, hb, length=len(hb) + 7))
        for k in sent:
            sent[k] += 1
    # A random chunk may end inside a frame or a line; a delimiter closes it before the next kind.
    return b"\x00".join(parts) + b"\x00", sent


def _stats(dut) -> dict[str, int]:
    line = dut.expect(r"STATS [^\r\n]*", timeout=5).group(0).decode()
    return {k: int(v) for k, v in parse_kv(line).items()}


def test_malformed_frame_storm(dut, board, host):
    dut.expect(r"LINK state=up reason=hello", timeout=5)
    before = _stats(dut)
    data, sent = storm()
    for i in range(0, len(data), 512):  # in pieces, as a noisy line delivers it
        host.send_raw(data[i : i + 512])
    host.send_raw(encode_frame(P.ProtocolMsg.HEARTBEAT, 0, M.Heartbeat(1, 0).to_payload()))

    host.connect(timeout=10)  # a HELLO on a live link is answered with DESCRIBE and STATS
    after = _stats(dut)
    delta = {k: after[k] - before.get(k, 0) for k in after}
    for kind, n in sent.items():
        assert delta[kind] >= n, f"{kind}: sent {n}, board counted {delta[kind]} ({delta})"
    assert delta["noise_bytes"] > 0, "random bytes were not counted as noise"

    board_stats = host.last(M.Stats).as_dict()
    assert board_stats["bad_crc"] == after["bad_crc"], "STATS frame and STATS console line disagree"
    console = [line for _, line in host.console]
    assert sum(line.startswith("BOOT") for line in console) == 1, "the board rebooted"
    assert not any(line.startswith("LINK state=down") for line in console), "the storm cost the link"
    n_audio = sum(isinstance(m, M.Audio) for _, m in host.messages)
    dut.expect(r"SEG id=\d+ ", timeout=12)
    host.wait(lambda: sum(isinstance(m, M.Audio) for _, m in host.messages) > n_audio + 10, 5, "audio after the storm")
