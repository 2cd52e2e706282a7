"""The daemon says so when a board's segments do not match the calibration's window."""
import logging
from types import SimpleNamespace

from scamguard import params as P
from scamguard.daemon.service import BoardService
from scamguard.protocol import messages as M


def describe(segment_ms: int) -> M.Describe:
    return M.Describe(P.PROTOCOL_VERSION, 0, P.AUDIO_SAMPLE_RATE_HZ, 1, segment_ms, 0, 0, "0.1.0", "test")


def service(window_s):
    status = []
    svc = BoardService(SimpleNamespace(name="b0"), SimpleNamespace(window_s=window_s), pool=None,
                       on_status=lambda board, msg: status.append((board, msg)))
    return svc, status


def test_mismatch_is_reported_once_per_length(caplog):
    svc, status = service(3.0)
    with caplog.at_level(logging.WARNING):
        svc._handle(describe(5000), 0.0)
        svc._handle(describe(5000), 1.0)  # the same board saying hello again: no repeat
    assert len(status) == 1 and status[0][0] == "b0"
    assert "5000 ms segments but the calibration was fitted at 3 s" in status[0][1]
    assert "CONFIG segment_ms=3000" in status[0][1] and "5000 ms" in caplog.text
    svc._handle(describe(4000), 2.0)
    assert len(status) == 2


def test_matching_length_or_unknown_window_is_silent():
    svc, status = service(3.0)
    svc._handle(describe(3000), 0.0)
    svc, status2 = service(None)  # an engine without a calibrated window (e.g. a test double)
    svc._handle(describe(5000), 0.0)
    assert status == [] and status2 == []


def test_packaged_calibration_matches_the_board_default():
    from scamguard.strategies.config import load_config

    window_s = load_config()["provenance"]["window_s"]
    assert round(window_s * 1000) == P.SEGMENTER_DEFAULT_SEGMENT_MS


def test_eval_and_calibrate_default_to_the_board_window():
    from scamguard.cli_eval import PRODUCT_WINDOW

    assert float(PRODUCT_WINDOW) * 1000 == P.SEGMENTER_DEFAULT_SEGMENT_MS
