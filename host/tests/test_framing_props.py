"""Property tests: the Python decoder survives anything and never invents frames."""
from hypothesis import given, settings
from hypothesis import strategies as st

from scamguard import params as P
from scamguard.protocol import framing

payloads = st.binary(max_size=P.PROTOCOL_MAX_PAYLOAD)
frames = st.tuples(st.integers(0, 255), st.integers(0, 0xFFFF), payloads)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=4096))
def test_random_bytes_never_crash_and_buffer_is_bounded(data):
    dec = framing.FrameDecoder()
    events = dec.feed(data)
    assert len(dec._buf) <= framing.ENCODED_MAX
    assert sum(isinstance(e, framing.Frame) for e in events) == dec.stats[P.ProtocolStat.FRAMES_OK]


@settings(max_examples=200, deadline=None)
@given(st.lists(frames, min_size=1, max_size=8), st.binary(max_size=64))
def test_frames_survive_leading_garbage(items, garbage):
    wire = b"".join(framing.encode_frame(t, s, p) for t, s, p in items)
    got = [e for e in framing.FrameDecoder().feed(garbage + wire) if isinstance(e, framing.Frame)]
    # Garbage may swallow at most the first frame's leading delimiter, never a later frame.
    want = [framing.Frame(t, s, p) for t, s, p in items]
    assert got == want or got == want[1:]


@settings(max_examples=200, deadline=None)
@given(frames, st.integers(0, 2000), st.integers(0, 7))
def test_any_single_bit_flip_is_rejected_or_harmless(item, pos, bit):
    t, s, p = item
    wire = bytearray(framing.encode_frame(t, s, p))
    i = 1 + pos % (len(wire) - 2)  # flip inside the frame, not the delimiters
    wire[i] ^= 1 << bit
    dec = framing.FrameDecoder()
    got = [e for e in dec.feed(bytes(wire)) if isinstance(e, framing.Frame)]
    assert got == [] and (dec.bad_frames + dec.stats[P.ProtocolStat.NOISE_BYTES] + dec.stats[P.ProtocolStat.TEXT_LINES]) > 0


@settings(max_examples=100, deadline=None)
@given(frames, st.integers(1, 50))
def test_truncated_frame_then_good_frame(item, cut):
    t, s, p = item
    wire = framing.encode_frame(t, s, p)
    good = framing.encode_frame(1, 9, b"ok")
    dec = framing.FrameDecoder()
    got = [e for e in dec.feed(wire[: max(1, len(wire) - cut - 1)] + good) if isinstance(e, framing.Frame)]
    assert got[-1] == framing.Frame(1, 9, b"ok")


def test_oversized_length_is_counted_not_allocated():
    dec = framing.FrameDecoder()
    dec.feed(b"\x00\x01" + b"\x41" * (framing.ENCODED_MAX + 100) + b"\x00")
    assert dec.stats[P.ProtocolStat.OVERSIZE] == 1
    assert len(dec._buf) <= framing.ENCODED_MAX
