"""The harness tested against a fake board on socket:// (no simulator, no hardware): the
real test_boot.py passes through pytest-embedded with our Serial/Dut classes, and failures
come out with the board's console, not a bare timeout."""
import os
from pathlib import Path

import pytest

from .fake_board import FakeBoard

pytest_plugins = ["pytester"]
HIL = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.selftest


@pytest.fixture
def run(pytester, monkeypatch):
    monkeypatch.setenv("PYTHONPATH", f"{HIL}{os.pathsep}{os.environ.get('PYTHONPATH', '')}")
    # As hil_tests/conftest.py does: a conftest plugin registers after pytest-embedded, so its
    # fixtures (`port`, the class table) override pytest-embedded's; `-p` would load it first.
    pytester.makeconftest('pytest_plugins = ["sg_hil.plugin"]')

    def _run(board: FakeBoard, *args):
        return pytester.runpytest_subprocess("-p", "no:cacheprovider", "--embedded-services", "serial",
                                             "--port", board.url, "-o", "timeout=60", *args)

    return _run


@pytest.fixture
def fake():
    boards = []

    def make(**kw):
        boards.append(FakeBoard(**kw))
        return boards[-1]

    yield make
    for b in boards:
        b.close()


def test_boot_suite_passes_and_console_is_split_from_frames(run, fake, pytester):
    pytester.makepyfile(test_split="""
        from scamguard.protocol import messages as M

        def test_split(dut, board, host):
            assert board.fw == "9.9.9" and board.describe.board == "fake"
            dut.expect("LINK state=up reason=hello", timeout=5)
            host.wait(lambda: any(isinstance(m, M.Heartbeat) for _, m in host.messages), 3, "a heartbeat")
            # the pexpect buffer holds console text only: no frame bytes leaked into it
            assert b"\\x01" not in dut.pexpect_proc.buffer and b"\\x00" not in dut.pexpect_proc.buffer
            assert host.link.decoder.bad_frames == 0
    """)
    board = fake()
    run(board, str(HIL / "test_boot.py"), "test_split.py").assert_outcomes(passed=2)
    assert board.hellos == 2  # one handshake per test: each test gets its own port and session


def test_timeout_shows_the_console(run, fake):
    board = fake(boot_line="BOOT firmware=1.0 (an old format)")
    result = run(board, str(HIL / "test_boot.py"), "--boot-timeout", "2")
    result.assert_outcomes(errors=1)
    out = result.stdout.str()
    assert "Not found" in out and "last console lines" in out and "BOOT firmware=1.0 (an old format)" in out


def test_protocol_mismatch_is_reported(run, fake):
    result = run(fake(proto_version=2), str(HIL / "test_boot.py"))
    result.assert_outcomes(errors=1)
    assert "board speaks protocol v2" in result.stdout.str()


def test_target_is_required(run, pytester):
    pytester.makepyfile(test_x="def test_x(dut): pass")
    result = pytester.runpytest_subprocess("--embedded-services", "serial", "test_x.py")
    assert "choose a target: --sim, or --port" in result.stdout.str() + result.stderr.str()
