"""Atheris (libFuzzer) target for the host's byte-stream path: FrameDecoder -> typed messages
-> BoardLink -> SegmentAssembler, exactly what a noisy serial line or a hostile BLE peer feeds.

Run: make fuzz-py  (60 s)   or   python host/fuzz/fuzz_decoder.py -max_total_time=60 [corpus_dir]

Invariants checked on every input (a violation raises, and libFuzzer saves the input):
- nothing raises except the documented VersionMismatch for a well-formed DESCRIBE of
  another protocol version (the only input the host is meant to refuse);
- the decoder never buffers more than one maximum encoded frame;
- every frame that passed the decoder (frames_ok) came out as exactly one typed message or
  was counted as bad_messages / unknown_types;
- the assembler never holds more than its 30 s window (plus one chunk) of audio.
The input is fed in fuzzer-chosen pieces, so resynchronisation across read boundaries is
exercised too.
"""
from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports():
    from scamguard import params as P
    from scamguard.daemon.link import BoardLink, VersionMismatch
    from scamguard.daemon.segments import KEEP_SAMPLES, SegmentAssembler
    from scamguard.protocol import messages as M
    from scamguard.protocol.framing import ENCODED_MAX, Frame, TextLine, encode_frame

MAX_SAMPLES_HELD = KEEP_SAMPLES + 2 * P.PROTOCOL_MAX_PAYLOAD  # window + one PCM16 chunk of slack


def seed_corpus() -> list[bytes]:
    """Valid traffic to start from: a handshake, audio, a segment, stats, text."""
    d = M.Describe(P.PROTOCOL_VERSION, 0x45, 16000, 1, 5000, 0, 0, "1.0", "seed")
    msgs = [d, M.SegmentStart(1, 0), M.Audio(0, 1, 320, bytes(160), 0, 0), M.Audio(320, 0, 4, bytes(8)),
            M.SegmentEnd(1, 40, 640, 1, 0, 0, 0, 40), M.Heartbeat(1000, 1), M.Stats(), M.Log(2, "boot ok")]
    wire = b"".join(encode_frame(m.TYPE, i, m.to_payload()) for i, m in enumerate(msgs))
    return [wire, b"LED state=idle\n" + wire, wire[:50] + wire]


def test_one_input(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    link, asm = BoardLink(), SegmentAssembler()
    link.start(0.0)
    now, messages = 0.0, 0
    while fdp.remaining_bytes():
        piece = fdp.ConsumeBytes(fdp.ConsumeIntInRange(1, 2048))
        now += 0.01
        try:
            events = link.feed(piece, now)
        except VersionMismatch:
            return
        messages += sum(not isinstance(ev, TextLine) for ev in events)
        if len(link.decoder._buf) > ENCODED_MAX:
            raise AssertionError(f"decoder buffered {len(link.decoder._buf)} bytes")
        for ev in events:
            if isinstance(ev, Frame):
                raise AssertionError("raw Frame leaked past BoardLink")
            if isinstance(ev, M.Audio):
                asm.add_audio(ev)
            elif isinstance(ev, M.SegmentStart):
                asm.start(ev)
            elif isinstance(ev, M.SegmentEnd):
                seg = asm.end(ev)
                if seg is not None and seg.missing_samples > len(seg.pcm):
                    raise AssertionError("more samples missing than the segment has")
        held = sum(len(c) for c in asm._chunks.values())
        if held > MAX_SAMPLES_HELD:
            raise AssertionError(f"assembler holds {held} samples")
        link.poll(now)
        c = link.counters
        if messages + c.bad_messages + c.unknown_types != link.decoder.stats[P.ProtocolStat.FRAMES_OK]:
            raise AssertionError("a decoded frame was neither delivered nor counted")


def main() -> None:
    argv = list(sys.argv)
    corpus_dirs = [a for a in argv[1:] if not a.startswith("-")]
    for d in corpus_dirs:  # seed an empty corpus directory with valid traffic
        from pathlib import Path

        p = Path(d)
        p.mkdir(parents=True, exist_ok=True)
        if not any(p.iterdir()):
            for i, s in enumerate(seed_corpus()):
                (p / f"seed{i}").write_bytes(s)
    atheris.Setup(argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
