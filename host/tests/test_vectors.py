"""The Python protocol and codec against the golden vectors the C tests also use."""
import numpy as np

from scamguard import params as P
from scamguard.codec import adpcm
from scamguard.protocol import cobs, framing
from scamguard.protocol import messages as M


def unhex(s: str) -> bytes:
    return b"" if s == "-" else bytes.fromhex(s)


def test_crc16(vectors):
    for data, crc in vectors("crc16.hex"):
        assert framing.crc16(unhex(data)) == int(crc, 16)
    assert framing.crc16(b"123456789") == 0x29B1  # the published CRC-16/CCITT-FALSE check value


def test_cobs(vectors):
    for raw, enc in vectors("cobs.hex"):
        assert cobs.encode(unhex(raw)) == unhex(enc)
        assert cobs.decode(unhex(enc)) == unhex(raw)


def test_frames_encode_decode_and_typed_round_trip(vectors):
    rows = vectors("frames.hex")
    assert len(rows) == 16
    for mtype, seq, payload, wire in rows:
        t, s, p = int(mtype, 16), int(seq, 16), unhex(payload)
        assert framing.encode_frame(t, s, p) == unhex(wire)
        (frame,) = framing.FrameDecoder().feed(unhex(wire))
        assert (frame.type, frame.seq, frame.payload) == (t, s, p)
        msg = M.decode_message(frame)
        assert msg.to_payload() == p


def test_typed_fields_from_vectors(vectors):
    frames = [framing.FrameDecoder().feed(unhex(r[3]))[0] for r in vectors("frames.hex")]
    msgs = [M.decode_message(f) for f in frames]
    describe = msgs[1]
    assert describe == M.Describe(1, 0x00DD, 16000, 1, 5000, 0, 0, "0.1.0", "posix-sim")
    assert describe.capabilities() == ["adpcm", "vad", "kws", "inject", "serial", "local_alert"]
    audio = msgs[2]
    assert (audio.sample_index, audio.n_samples, audio.predictor, audio.step_index) == (16000 * 3600 + 320, 320, -1234, 42)
    assert msgs[7].reason.startswith("bank_safe_account")
    assert msgs[15].reason == "安全账户"
    assert msgs[13] == M.Config(4, -256)


def test_stream_with_garbage(vectors):
    rows = {r[0]: r[1:] for r in vectors("stream.hex")}
    dec = framing.FrameDecoder()
    events = dec.feed(unhex(rows["stream"][0]))
    seqs = [e.seq for e in events if isinstance(e, framing.Frame)]
    texts = [e.text for e in events if isinstance(e, framing.TextLine)]
    assert ",".join(map(str, seqs)) == rows["seqs"][0]
    assert texts == ["I (12) boot: hello"]
    assert ",".join(map(str, dec.stats)) == rows["stats"][0]
    assert dec.bad_frames == 3


def test_adpcm(vectors):
    for n, pcm, enc, dec, pred, step in vectors("adpcm.hex"):
        samples = np.frombuffer(unhex(pcm), "<i2")
        st = adpcm.AdpcmState()
        assert adpcm.encode(samples, st) == unhex(enc)
        assert (st.predictor & 0xFFFF, st.step_index) == (int(pred, 16), int(step, 16))
        out = adpcm.decode(unhex(enc), int(n), adpcm.AdpcmState())
        assert out.astype("<i2").tobytes() == unhex(dec)


def test_message_errors_are_typed():
    import pytest

    with pytest.raises(M.MessageError):
        M.decode_message(framing.Frame(P.ProtocolMsg.SEGMENT_END, 0, b"\x00" * 3))
    with pytest.raises(M.MessageError):
        M.decode_message(framing.Frame(0x7E, 0, b""))
    with pytest.raises(M.MessageError):
        M.Audio.from_payload(M.Audio(0, P.ProtocolCodec.IMA_ADPCM, 10, b"\x00" * 5, 0, 0).to_payload()[:-1])
    with pytest.raises(M.MessageError):
        M.Verdict.from_payload(b"\x00\x00\x07\x00\x00")  # level 7 does not exist
