"""The two targets: the board simulator (a process with a pseudo-terminal) or a real board
(a serial port, optionally flashed first). The tests see only a port either way."""
from __future__ import annotations

import os
import re
import subprocess
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SIM = Path(os.environ.get("SCAMGUARD_SIM", ROOT / "build" / "sim" / "scamguard-sim"))


class TargetError(RuntimeError):
    pass


def ensure_simulator(path: Path = SIM) -> Path:
    """`make sim` when the binary is missing (a clean clone); make also rebuilds a stale one."""
    if path == SIM:
        proc = subprocess.run(["make", "-s", "sim"], cwd=ROOT, capture_output=True, text=True)
        if proc.returncode:
            raise TargetError(f"`make sim` failed:\n{proc.stdout}{proc.stderr}")
    if not path.exists():
        raise TargetError(f"board simulator not found at {path}")
    return path


class SimProcess:
    """scamguard-sim with no WAV: a quiet room whose microphone the host replaces with
    INJECT_AUDIO. `--wait-open` holds the boot until the test's port is open, so the BOOT
    line reaches the console, as on a board that the harness resets with the port open."""

    def __init__(self, binary: Path, speed: float = 4.0, extra: tuple[str, ...] = ()):
        self.cmd = [str(binary), "--no-wav", "--wait-open", "20", "--wait-host", "0", "--speed", str(speed), *extra]
        self.proc = subprocess.Popen(self.cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, bufsize=1)
        first = self.proc.stdout.readline().strip()
        m = re.match(r"PTY (\S+)$", first)
        if not m:
            err = self.proc.stderr.read() if self.proc.poll() is not None else ""
            self.close()
            raise TargetError(f"simulator did not start ({' '.join(self.cmd)}): {first or err.strip() or 'no output'}")
        self.pty = m.group(1)
        self.stdout: list[str] = []
        self._reader = threading.Thread(target=self._drain, daemon=True)
        self._reader.start()

    def _drain(self) -> None:
        for line in self.proc.stdout:  # keeps the pipe from filling up; shown on failures
            self.stdout.append(line.rstrip("\n"))

    def close(self) -> int | None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode
