#!/usr/bin/env python3
"""Write the golden test vectors in firmware/test/vectors/ (run once; the files are committed).

Both implementations are tested against these files: firmware/test/test_protocol.c and
host/tests/test_vectors.py. Regenerating them is a protocol change: bump the version.
Format: one vector per line, space-separated hex fields, '#' starts a comment.
"""
from __future__ import annotations

import math
import random
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "host"))

from scamguard import params as P  # noqa: E402
from scamguard.codec import adpcm  # noqa: E402
from scamguard.protocol import cobs, framing, messages as M  # noqa: E402

OUT = ROOT / "firmware" / "test" / "vectors"


def hx(b: bytes) -> str:
    return b.hex() if b else "-"


def crc_vectors() -> list[str]:
    cases = [b"123456789", b"", b"\x00", b"\xff" * 16, bytes(range(256))]
    return [f"{hx(c)} {framing.crc16(c):04x}" for c in cases]


def cobs_vectors() -> list[str]:
    rng = random.Random(7)
    cases = [b"", b"\x00", b"\x00\x00", b"\x11\x22\x00\x33", bytes(range(1, 255)), bytes(range(1, 256)),
             bytes(range(0, 256)), b"\x01" * 600, bytes(rng.getrandbits(8) for _ in range(300))]
    return [f"{hx(c)} {hx(cobs.encode(c))}" for c in cases]


def frame_vectors() -> list[str]:
    adpcm_data = bytes(range(160))
    msgs = [
        M.Hello(1, 0, "scamguard"),
        M.Describe(1, 0x00DD, 16000, 1, 5000, 0, 0, "0.1.0", "posix-sim"),
        M.Audio(16000 * 3600 + 320, P.ProtocolCodec.IMA_ADPCM, 320, adpcm_data, -1234, 42),
        M.Audio(0, P.ProtocolCodec.PCM16, 4, bytes([1, 0, 255, 127, 0, 128, 254, 255])),
        M.SegmentStart(5, 123456),
        M.SegmentEnd(5, 128456, 80000, 0x03, 2, 7, 201, 4380),
        M.KeywordHit(5, 125000, 7, 201),
        M.Verdict(5, 2, 913, "bank_safe_account: move your savings to a safe account"),
        M.Verdict(6, 0, 12, ""),
        M.AlertAck(5, 3),
        M.Heartbeat(4294967295, 1),
        M.Log(2, "LED state=scam pattern=fast-red"),
        M.Config(1, 3000),
        M.Config(4, -256),
        M.Stats(tuple(range(1, P.ProtocolStat.COUNT + 1))),
        M.Verdict(7, 1, 500, "安全账户"),
    ]
    lines = []
    for seq, m in zip([0, 1, 65535, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14], msgs):
        payload = m.to_payload()
        lines.append(f"{m.TYPE:02x} {seq:04x} {hx(payload)} {hx(framing.encode_frame(m.TYPE, seq, payload))}")
    return lines


def adpcm_vectors() -> list[str]:
    t = np.arange(1000)
    signals = [
        (np.sin(2 * math.pi * 440 * t / 16000) * 12000).astype(np.int16),
        np.random.default_rng(3).integers(-32768, 32767, 999, dtype=np.int16),
        np.array([0, 32767, -32768, 32767, -32768, 0, 1, -1], dtype=np.int16),
    ]
    lines = []
    for sig in signals:
        st = adpcm.AdpcmState()
        enc = adpcm.encode(sig, st)
        dec = adpcm.decode(enc, len(sig), adpcm.AdpcmState())
        lines.append(f"{len(sig)} {hx(sig.astype('<i2').tobytes())} {hx(enc)} {hx(dec.astype('<i2').tobytes())} "
                     f"{st.predictor & 0xFFFF:04x} {st.step_index:02x}")
    return lines


def stream_vector() -> list[str]:
    """A byte stream that starts mid-frame and mixes garbage, text and damaged frames.
    Expected: the good frames' seqs and every counter."""
    good = [framing.encode_frame(P.ProtocolMsg.HEARTBEAT, s, M.Heartbeat(s, 1).to_payload()) for s in range(6)]
    bad_crc = bytearray(good[2]); bad_crc[5] ^= 0x40
    stream = (good[0][7:] + b"I (12) boot: hello\r\n" + good[0] + b"\xff\xfe\x00" + good[1] + bytes(bad_crc)
              + good[3] + good[3] + b"\x01\x05\x00" + framing.encode_frame(P.ProtocolMsg.LOG, 9, b"\x02hi")
              + b"\x01" + b"\x41" * 1200 + b"\x00" + good[5] + good[4])
    dec = framing.FrameDecoder()
    events = dec.feed(stream)
    seqs = [e.seq for e in events if isinstance(e, framing.Frame)]
    texts = [e.text for e in events if isinstance(e, framing.TextLine)]
    return [f"stream {hx(stream)}", "seqs " + ",".join(map(str, seqs)), "texts " + "|".join(texts),
            "stats " + ",".join(map(str, dec.stats))]


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    files = {"crc16.hex": crc_vectors(), "cobs.hex": cobs_vectors(), "frames.hex": frame_vectors(),
             "adpcm.hex": adpcm_vectors(), "stream.hex": stream_vector()}
    headers = {
        "crc16.hex": "# data crc16-ccitt-false",
        "cobs.hex": "# raw cobs",
        "frames.hex": "# type seq payload wire",
        "adpcm.hex": "# n pcm(le16) adpcm decoded(le16) final_predictor(le16 as u16) final_step_index",
        "stream.hex": "# a damaged byte stream and what the decoder must make of it",
    }
    for name, lines in files.items():
        (OUT / name).write_text(headers[name] + "\n" + "\n".join(lines) + "\n")
        print(f"wrote {name}: {len(lines)} vectors")


if __name__ == "__main__":
    main()
