"""CONFIG over the protocol: a new segment length is accepted, applied at the next segment
boundary (never mid-segment), and an out-of-range value is rejected without effect."""
import re

from scamguard import params as P
from scamguard.protocol import messages as M


def _lengths_after(host, marker: str) -> list[int]:
    """Segment lengths logged after the board logged `marker` (board order, not host time)."""
    lines = [line for _, line in host.console]
    start = max((i for i, line in enumerate(lines) if line.startswith(marker)), default=len(lines))
    return [int(m.group(2)) - int(m.group(1)) for line in lines[start:]
            if (m := re.match(r"SEG id=\d+ start_ms=(\d+) end_ms=(\d+) ", line))]


def test_segment_length_change(dut, board, host):
    old = board.describe.segment_ms
    new = 2000 if old != 2000 else 3000
    dut.expect(r"SEG id=\d+ ", timeout=old / 1000 + 5)  # the board is segmenting
    host.config(P.ProtocolConfig.SEGMENT_MS, new)
    accepted = f"CONFIG key=segment_ms value={new} status=ok"
    dut.expect(accepted, timeout=5)
    host.wait(lambda: _lengths_after(host, accepted).count(new) >= 3, old / 1000 + 3 * new / 1000 + 10,
              f"three {new} ms segments")
    lengths = _lengths_after(host, accepted)
    first_new = lengths.index(new)
    # Only the segment running when CONFIG arrived may still have the old length.
    assert set(lengths[:first_new]) <= {old} and first_new <= 1, f"change not at the next boundary: {lengths}"
    assert set(lengths[first_new:]) == {new}, f"segment lengths after the change: {lengths}"
    ends = [m for _, m in host.messages if isinstance(m, M.SegmentEnd)]
    assert ends and ends[-1].n_samples == new * P.AUDIO_SAMPLE_RATE_HZ // 1000, "SEGMENT_END disagrees with SEG"

    host.config(P.ProtocolConfig.SEGMENT_MS, 50_000)
    rejected = "CONFIG key=segment_ms value=50000 status=rejected"
    dut.expect(rejected, timeout=5)
    host.wait(lambda: len(_lengths_after(host, rejected)) >= 2, 2 * new / 1000 + 10, "segments after the rejected value")
    assert set(_lengths_after(host, rejected)) == {new}
