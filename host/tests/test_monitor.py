"""`scamguard monitor` decoding, on pyserial's loop:// port (bytes written come back)."""
import threading

import serial
from click.testing import CliRunner

from scamguard import params as P
from scamguard.board_tools.monitor import format_event, run_monitor
from scamguard.protocol import messages as M
from scamguard.protocol.framing import TextLine, encode_frame


def _describe() -> M.Describe:
    return M.Describe(1, P.ProtocolCaps.ADPCM | P.ProtocolCaps.VAD | P.ProtocolCaps.SERIAL, 16000, 1, 5000, 0, 0,
                      "0.1.0", "esp32dev")


def test_format_one_line_per_event():
    assert format_event(TextLine("LED state=scam pattern=fast-red")) == "console LED state=scam pattern=fast-red"
    line = format_event(_describe())
    assert line.startswith("DESCRIBE proto_version=1 caps=adpcm,vad,serial sample_rate=16000 codec=adpcm")
    assert "fw_version=0.1.0 board=esp32dev" in line
    assert format_event(M.Verdict(7, 2, 910, "bank scam")) == "VERDICT segment_id=7 level=2 score_milli=910 reason='bank scam'"
    audio = format_event(M.Audio(640, 1, 320, bytes(160), -12, 30))
    assert audio == "AUDIO sample_index=640 codec=adpcm n_samples=320 data=<160 bytes> predictor=-12 step_index=30"
    assert format_event(M.Stats(tuple(range(14)))).startswith("STATS frames_ok=0 bad_cobs=1 bad_crc=2")
    assert "\n" not in line


def test_monitor_separates_console_from_frames_and_counts_garbage():
    port = serial.serial_for_url("loop://", timeout=0.02)
    stream = (b"I (31) boot: ESP-IDF v5.3.1\n" + encode_frame(M.Describe.TYPE, 0, _describe().to_payload())
              + b"BOOT fw=0.1.0 board=esp32dev proto=1\n" + b"\x00\x01\x07garbage\x00"
              + encode_frame(M.Audio.TYPE, 1, M.Audio(0, 2, 2, b"\x01\x00\x02\x00").to_payload())
              + encode_frame(M.SegmentEnd.TYPE, 2, M.SegmentEnd(3, 5000, 80000, speech_ms=1200).to_payload()))
    port.write(stream)
    lines, stop = [], threading.Event()

    def emit(line):
        lines.append(line)
        if len(lines) == 4:
            stop.set()

    threading.Timer(5, stop.set).start()
    link = run_monitor(port, emit, stop)
    assert lines[0] == "console I (31) boot: ESP-IDF v5.3.1"
    assert lines[1].startswith("DESCRIBE proto_version=1")
    assert lines[2] == "console BOOT fw=0.1.0 board=esp32dev proto=1"
    assert lines[3].startswith("SEGMENT_END segment_id=3 t_end_ms=5000 n_samples=80000")  # AUDIO hidden by default
    assert link.decoder.bad_frames == 1


def test_monitor_handshake_sends_hello():
    port = serial.serial_for_url("loop://", timeout=0.02)
    stop = threading.Event()
    threading.Timer(0.3, stop.set).start()
    seen = []
    run_monitor(port, seen.append, stop, handshake=True)
    # loop:// hands our own HELLO back to us: the monitor decoded what it sent.
    assert any(s.startswith("HELLO proto_version=1") for s in seen)


def test_monitor_cli_reports_an_unopenable_port():
    from scamguard.cli import main

    r = CliRunner().invoke(main, ["monitor", "--port", "/dev/ttyUSB-nope"])
    assert r.exit_code == 2 and "cannot open /dev/ttyUSB-nope" in r.output
