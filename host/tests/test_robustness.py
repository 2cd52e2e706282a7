"""What a noisy line does to the host: garbage, duplicated, reordered, truncated and corrupted
frames, fed through the same path the daemon uses (BoardLink -> BoardService._handle ->
SegmentAssembler). Every fault must be counted, and the audio that did arrive must be exact."""
import random

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from scamguard import params as P
from scamguard.codec import adpcm
from scamguard.daemon.fakeboard import FakeEngine, adpcm_chunks, tone
from scamguard.daemon.overload import SegmentQueue
from scamguard.daemon.segments import SegmentAssembler
from scamguard.daemon.service import BoardService
from scamguard.protocol import messages as M
from scamguard.protocol.framing import encode_frame

CHUNK = P.AUDIO_CHUNK_SAMPLES
SEG = 16000  # 1 s segments


class NullTransport:
    name = "null"

    def write(self, data):
        pass


def board_frames(n_segments=3):
    """(message, wire bytes) for a board streaming n 1-second ADPCM segments."""
    out, seq, index = [], 0, 0

    def add(msg):
        nonlocal seq
        out.append((msg, encode_frame(msg.TYPE, seq, msg.to_payload())))
        seq += 1

    add(M.Describe(P.PROTOCOL_VERSION, 1, 16000, 1, 1000, 0, 0, "t", "t"))
    for sid in range(n_segments):
        add(M.SegmentStart(sid, index // 16))
        for k, (pred, step, data) in enumerate(adpcm_chunks(sid, SEG)):
            add(M.Audio(index + k * CHUNK, P.ProtocolCodec.IMA_ADPCM, CHUNK, data, pred, step))
        index += SEG
        add(M.SegmentEnd(sid, index // 16, SEG, P.ProtocolSegflag.SPEECH))
    return out


def reference(sid):
    return adpcm.decode(adpcm.encode(tone(sid, SEG), adpcm.AdpcmState()), SEG, adpcm.AdpcmState())


def serve_bytes(wire: bytes, split_seed=0):
    """Feed bytes to a BoardService in random-sized reads (as a serial port delivers them)."""
    svc = BoardService(NullTransport(), FakeEngine(), None)
    svc._queue = SegmentQueue(1000)
    svc.link.start(0.0)
    rng, i = random.Random(split_seed), 0
    while i < len(wire):
        n = rng.randint(1, 700)
        for ev in svc.link.feed(wire[i : i + n], 1.0):
            svc._handle(ev, 1.0)
        i += n
    segs = [svc._queue._items[k][0] for k in range(svc._queue.qsize())]
    return svc, segs


def test_clean_stream_baseline():
    svc, segs = serve_bytes(b"".join(w for _, w in board_frames()))
    s = svc.stats()
    assert [g.segment_id for g in segs] == [0, 1, 2]
    assert all(np.array_equal(g.pcm, reference(g.segment_id)) for g in segs)
    assert s["seq_gaps"] == s["seq_dups"] == s["seq_late"] == s["bad_crc"] == s["asm_missing_samples"] == 0


def test_garbage_between_frames_loses_nothing():
    rng = random.Random(7)
    wire = b"".join(w + bytes(rng.randrange(256) for _ in range(rng.randint(0, 40))) for _, w in board_frames())
    svc, segs = serve_bytes(wire, 1)
    s = svc.stats()
    assert [g.segment_id for g in segs] == [0, 1, 2]
    assert all(np.array_equal(g.pcm, reference(g.segment_id)) for g in segs)
    assert s["seq_gaps"] == 0 and s["asm_missing_samples"] == 0
    assert s["noise_bytes"] + s["text_lines"] + s["bad_cobs"] + s["bad_crc"] + s["bad_length"] > 0


def test_duplicated_frames_are_counted_and_ignored():
    frames = board_frames()
    wire, dups, audio_dups = b"", 0, 0
    for k, (msg, w) in enumerate(frames):
        wire += w
        if k % 7 == 3:
            wire += w
            dups += 1
            audio_dups += isinstance(msg, M.Audio)
    svc, segs = serve_bytes(wire, 2)
    s = svc.stats()
    assert s["seq_dups"] == dups and s["asm_duplicate_chunks"] == audio_dups
    assert all(np.array_equal(g.pcm, reference(g.segment_id)) for g in segs) and len(segs) == 3


def test_reordered_frames_are_counted_late_and_still_used():
    frames = board_frames()
    order = list(range(len(frames)))
    swaps = 0
    for k in range(5, len(order) - 1, 11):  # swap two adjacent audio frames now and then
        if isinstance(frames[order[k]][0], M.Audio) and isinstance(frames[order[k + 1]][0], M.Audio):
            order[k], order[k + 1] = order[k + 1], order[k]
            swaps += 1
    svc, segs = serve_bytes(b"".join(frames[i][1] for i in order), 3)
    s = svc.stats()
    # A swapped pair first looks like one missing frame, then that frame arrives late:
    # true losses = seq_gaps - seq_late = 0, and the audio is complete.
    assert swaps > 5 and s["seq_late"] == swaps and s["seq_gaps"] == swaps
    assert s["asm_missing_samples"] == 0
    assert all(np.array_equal(g.pcm, reference(g.segment_id)) for g in segs)


def test_truncated_and_corrupted_audio_is_counted_exactly():
    frames = board_frames()
    audio_idx = [k for k, (m, _) in enumerate(frames) if isinstance(m, M.Audio)]
    short_payload, cut_on_wire, bit_flip = audio_idx[10], audio_idx[60], audio_idx[100]
    wire = b""
    for k, (msg, w) in enumerate(frames):
        if k == short_payload:  # a well-framed AUDIO whose payload lost its tail: bad message
            w = encode_frame(msg.TYPE, k, msg.to_payload()[:-30])
        elif k == cut_on_wire:  # bytes lost mid-frame on the wire: bad CRC/COBS
            w = w[: len(w) // 2] + b"\x00"
        elif k == bit_flip:
            w = bytearray(w)
            w[40] ^= 0x10
            w = bytes(w)
        wire += w
    svc, segs = serve_bytes(wire, 4)
    s = svc.stats()
    assert s["bad_messages"] == 1
    assert s["bad_crc"] + s["bad_cobs"] + s["bad_length"] == 2
    assert s["asm_missing_samples"] == 3 * CHUNK  # exactly the three damaged chunks, zero-filled
    assert len(segs) == 3
    damaged = sum(g.missing_samples for g in segs)
    assert damaged == 3 * CHUNK


def test_truncated_stream_end_leaves_no_phantom_segment():
    frames = board_frames(2)
    wire = b"".join(w for _, w in frames)
    svc, segs = serve_bytes(wire[: len(wire) - 500])  # the line died during the last segment
    assert [g.segment_id for g in segs] == [0]  # segment 1 never ended: not invented


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(sorted(M.MESSAGE_TYPES)), st.binary(max_size=300))
def test_message_decoders_raise_only_message_error(msg_type, payload):
    cls = M.MESSAGE_TYPES[msg_type]
    try:
        msg = cls.from_payload(payload)
    except M.MessageError:
        return
    # Anything accepted re-encodes to a payload that decodes again; messages without text
    # decode to the same value (text fields replace invalid UTF-8, which is lossy by design).
    again = cls.from_payload(msg.to_payload())
    if cls not in (M.Hello, M.Describe, M.Verdict, M.Log):
        assert again == msg


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(0, 49), max_size=80), st.randoms(use_true_random=False))
def test_assembler_accounts_for_every_sample(deliveries, rnd):
    """Any mix of lost, duplicated and reordered chunks: the segment is exact where chunks
    arrived, zero elsewhere, and missing + duplicate counters are exact."""
    pcm = tone(5, SEG)
    chunks = [M.Audio(i * CHUNK, P.ProtocolCodec.PCM16, CHUNK, pcm[i * CHUNK : (i + 1) * CHUNK].tobytes())
              for i in range(50)]
    rnd.shuffle(deliveries)
    asm = SegmentAssembler()
    for i in deliveries:
        asm.add_audio(chunks[i])
    asm.start(M.SegmentStart(1, 0))
    seg = asm.end(M.SegmentEnd(1, 1000, SEG))
    got = set(deliveries)
    assert seg.missing_samples == (50 - len(got)) * CHUNK
    assert asm.counters.duplicate_chunks == len(deliveries) - len(got)
    for i in range(50):
        part = seg.pcm[i * CHUNK : (i + 1) * CHUNK]
        assert np.array_equal(part, pcm[i * CHUNK : (i + 1) * CHUNK]) if i in got else not part.any()


@settings(max_examples=100, deadline=None)
@given(st.lists(st.binary(max_size=200), max_size=20), st.integers(0, 2**32 - 1))
def test_link_survives_garbage_mixed_into_frames(garbage, seed):
    frames = board_frames(1)
    rng = random.Random(seed)
    wire = b""
    for _, w in frames:
        wire += w
        if garbage and rng.random() < 0.3:
            wire += garbage[rng.randrange(len(garbage))]
    svc, segs = serve_bytes(wire, seed)
    assert len(segs) <= 1
    s = svc.stats()
    assert s["frames_ok"] >= 1 and s["frames_ok"] <= len(frames) + 20


def test_status_line_always_shows_loss_counters_and_report_lists_each_once():
    from scamguard.daemon import stats as linkstats

    svc, _ = serve_bytes(b"".join(w for _, w in board_frames(1)))
    s = svc.stats()
    line = linkstats.status_line(s, "ready")
    for label in ("crc 0", "gaps 0", "dups 0", "late 0", "shed 0", "missing 0 ms"):
        assert label in line  # zeros are shown: a healthy link is visibly healthy
    s["seq_gaps"], s["asm_missing_samples"] = 3, 640
    line = linkstats.status_line(s, "ready")
    assert "gaps 3" in line and "missing 40 ms" in line
    listed = [kv.split("=")[0] for ln in linkstats.report(s) for kv in ln.split(": ", 1)[1].split()]
    assert len(listed) == len(s)  # every counter once, none dropped
