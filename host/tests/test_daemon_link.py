"""BoardLink handshake/heartbeat/loss logic and segment assembly, without any I/O."""
import numpy as np
import pytest

from scamguard import params as P
from scamguard.codec import adpcm
from scamguard.daemon.link import BoardLink, LinkState, VersionMismatch
from scamguard.daemon.segments import SegmentAssembler
from scamguard.protocol import messages as M
from scamguard.protocol.framing import FrameDecoder, encode_frame


def board_frame(msg, seq=0):
    return encode_frame(msg.TYPE, seq, msg.to_payload())


DESCRIBE = M.Describe(P.PROTOCOL_VERSION, 0x45, 16000, 1, 5000, 0, 0, "0.1.0", "test")


def sent(data):
    return [M.decode_message(f) for f in FrameDecoder().feed(data)]


def test_handshake_heartbeat_and_loss():
    link = BoardLink()
    (hello,) = sent(link.start(0.0))
    assert isinstance(hello, M.Hello) and hello.proto_version == P.PROTOCOL_VERSION
    link.feed(board_frame(DESCRIBE), 0.1)
    assert link.state is LinkState.READY and link.describe.board == "test"
    (hb,) = sent(link.poll(1.2))
    assert isinstance(hb, M.Heartbeat)
    assert link.poll(1.3) == b""  # not yet due again
    link.poll(0.1 + P.PROTOCOL_LINK_TIMEOUT_MS / 1000 + 0.01)
    assert link.state is LinkState.LOST
    # while lost, HELLO is retried
    assert any(isinstance(m, M.Hello) for m in sent(link.poll(10.0)))
    link.feed(board_frame(DESCRIBE, 1), 10.1)
    assert link.state is LinkState.READY and link.counters.reconnects == 1


def test_version_mismatch_is_a_clear_error():
    link = BoardLink()
    link.start(0)
    bad = M.Describe(9, 0, 16000, 1, 5000, 0, 0, "9.9", "future")
    with pytest.raises(VersionMismatch, match="protocol v9"):
        link.feed(board_frame(bad), 0.1)


def test_bad_payload_counted_not_raised():
    link = BoardLink()
    link.start(0)
    out = link.feed(encode_frame(P.ProtocolMsg.SEGMENT_END, 0, b"\x01") + encode_frame(0x7E, 1, b""), 0.1)
    assert out == []
    assert link.counters.bad_messages == 1 and link.counters.unknown_types == 1


def chunks(pcm, start_index, codec=P.ProtocolCodec.IMA_ADPCM):
    st = adpcm.AdpcmState()
    for i in range(0, len(pcm), 320):
        part = pcm[i : i + 320]
        if codec == P.ProtocolCodec.IMA_ADPCM:
            pred, step = st.predictor, st.step_index
            yield M.Audio(start_index + i, codec, len(part), adpcm.encode(part, st), pred, step)
        else:
            yield M.Audio(start_index + i, codec, len(part), part.astype("<i2").tobytes())


def test_assembler_cuts_overlapping_segments_from_one_stream():
    pcm = (np.arange(16000 * 3) % 200 - 100).astype(np.int16)
    asm = SegmentAssembler()
    for c in chunks(pcm, 0, P.ProtocolCodec.PCM16):
        asm.add_audio(c)
    asm.start(M.SegmentStart(1, 0))
    asm.start(M.SegmentStart(2, 1000))
    s1 = asm.end(M.SegmentEnd(1, 2000, 32000))
    s2 = asm.end(M.SegmentEnd(2, 3000, 32000))
    assert np.array_equal(s1.pcm, pcm[:32000]) and np.array_equal(s2.pcm, pcm[16000:48000])
    assert s1.missing_samples == 0 and asm.counters.segments == 2


def test_assembler_counts_missing_duplicate_and_orphans():
    pcm = np.full(16000, 500, np.int16)
    asm = SegmentAssembler()
    cs = list(chunks(pcm, 0, P.ProtocolCodec.PCM16))
    for i, c in enumerate(cs):
        if i != 3:
            asm.add_audio(c)
    asm.add_audio(cs[0])
    asm.start(M.SegmentStart(5, 0))
    seg = asm.end(M.SegmentEnd(5, 1000, 16000))
    assert seg.missing_samples == 320 and asm.counters.duplicate_chunks == 1
    assert not seg.pcm[960:1280].any()
    assert asm.end(M.SegmentEnd(6, 1000, 0)) is None and asm.counters.orphan_segment_ends == 1


def test_adpcm_chunks_decode_independently():
    t = np.arange(16000)
    pcm = (np.sin(2 * np.pi * 300 * t / 16000) * 8000).astype(np.int16)
    asm = SegmentAssembler()
    cs = list(chunks(pcm, 0))
    for c in cs[:10] + cs[11:]:  # one chunk lost: the others still decode exactly
        asm.add_audio(c)
    asm.start(M.SegmentStart(1, 0))
    seg = asm.end(M.SegmentEnd(1, 1000, 16000))
    ref = adpcm.decode(adpcm.encode(pcm, adpcm.AdpcmState()), len(pcm), adpcm.AdpcmState())
    keep = np.ones(16000, bool)
    keep[3200:3520] = False
    assert np.array_equal(seg.pcm[keep], ref[keep])


def test_assembler_forgets_segments_whose_end_was_lost():
    asm = SegmentAssembler()
    asm.start(M.SegmentStart(1, 0))
    for c in chunks(np.zeros(16000 * 40, np.int16), 0, P.ProtocolCodec.PCM16):
        asm.add_audio(c)
    asm.start(M.SegmentStart(2, 39000))
    assert asm.counters.unfinished_segments == 1
    assert asm.end(M.SegmentEnd(1, 5000, 0)) is None  # its audio is long gone
    assert asm.end(M.SegmentEnd(2, 40000, 16000)).missing_samples == 0


def test_hello_name_never_splits_a_character():
    payload = M.Hello(1, 0, "主机" * 10).to_payload()
    assert M.Hello.from_payload(payload).host_name == "主机主机主"
