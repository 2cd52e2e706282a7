"""Boot and handshake: the board announces itself on the console, answers HELLO with a
DESCRIBE that matches, and reports its counters."""
from scamguard import params as P
from sg_hil.plugin import parse_kv

REQUIRED_CAPS = {"adpcm", "vad", "serial"}


def test_boot_and_handshake(dut, board, record_property):
    d = board.describe
    record_property("fw_version", d.fw_version)
    record_property("capabilities", ",".join(d.capabilities()))
    assert board.proto == P.PROTOCOL_VERSION == d.proto_version
    assert (d.fw_version, d.board) == (board.fw, board.board), "DESCRIBE disagrees with the BOOT line"
    assert d.sample_rate == P.AUDIO_SAMPLE_RATE_HZ
    assert REQUIRED_CAPS <= set(d.capabilities()), f"capabilities {d.capabilities()}"
    assert 1000 <= d.segment_ms <= 10000 and 0 <= d.overlap_pct <= 50
    dut.expect(r"LINK state=up reason=hello", timeout=5)
    stats = parse_kv(dut.expect(r"STATS [^\n]*", timeout=5).group(0).decode())
    assert int(stats["frames_ok"]) >= 1  # at least our HELLO
    assert int(stats["bad_crc"]) == 0 and int(stats["bad_cobs"]) == 0
