"""pytest-embedded Serial and Dut classes for a board whose console shares the port with
the wire protocol (docs/protocol.md, "Console text on the same byte stream").

pytest-embedded's stock Serial forwards every raw byte to the pexpect buffer. Here the
reader thread instead runs the bytes through the protocol's stream decoder (inside
HostSession): console lines go to the pexpect buffer (and the log file and stdout, via the
same message queue), so `dut.expect` sees exactly the text a serial monitor would show;
frames go to the host session, which answers them. Everything else (port options, the
log directory, fixture wiring) is pytest-embedded's own.
"""
from __future__ import annotations

import logging
import threading
import time

import pexpect
import serial as pyserial
from pytest_embedded_serial.dut import SerialDut
from pytest_embedded_serial.serial import Serial

from .host import HostSession

log = logging.getLogger("sg_hil.serial")
DEFAULT_BAUD = 921600  # the firmware's link and console rate (sdkconfig.defaults.esp32)
REOPEN_S = 5.0  # a native-USB board (ESP32-S3) re-enumerates after reset; wait this long


def hard_reset(port: pyserial.Serial) -> None:
    """EN low then high through RTS, with DTR (IO0) released: a normal boot, as esptool's
    hard reset does on DevKit auto-reset circuits."""
    port.dtr = False
    port.rts = True
    time.sleep(0.1)
    port.rts = False


class ProtocolSerial(Serial):
    def __init__(self, *args, reset_on_open: bool = False, **kwargs):
        self.reset_on_open = reset_on_open
        self._pump: _ProtocolPump | None = None
        self.host = HostSession(self._write_port)
        super().__init__(*args, **kwargs)

    def _start(self) -> None:
        if self.reset_on_open:
            hard_reset(self.proc)

    def _write_port(self, data: bytes) -> None:
        self.proc.write(data)

    def start_redirect_thread(self) -> None:
        if self._pump is None or not self._pump.is_alive():
            self._pump = _ProtocolPump(self, self._q)
            self._pump.start()

    def stop_redirect_thread(self) -> bool:
        if self._pump is None or not self._pump.is_alive():
            return False
        self._pump.stop()
        return True

    def close(self) -> None:
        self.host.close()
        super().close()


class _ProtocolPump(threading.Thread):
    """Reads the port, feeds the host session, forwards console lines to pexpect, and runs
    the session's timers (heartbeats, HELLO retries) between reads."""

    def __init__(self, ser: ProtocolSerial, msg_queue):
        super().__init__(name="hil-serial", daemon=True)
        self._ser, self._q = ser, msg_queue
        self._stop_evt = threading.Event()

    def stop(self) -> None:
        self._stop_evt.set()
        self.join(timeout=5)

    def run(self) -> None:
        host = self._ser.host
        while not self._stop_evt.is_set():
            try:
                data = self._read()
            except (pyserial.SerialException, OSError) as exc:
                if not self._reopen(exc):
                    return
                continue
            now = time.monotonic()
            if data:
                for line in host.feed(data, now):
                    self._q.put((line.text + "\n").encode("utf-8", errors="replace"))
            try:
                host.tick(now)
            except (pyserial.SerialException, OSError) as exc:
                log.warning("write failed: %s", exc)

    def _read(self) -> bytes:
        proc = self._ser.proc
        proc.timeout = 0.02
        first = proc.read(1)
        return first + proc.read(proc.in_waiting) if first else b""

    def _reopen(self, exc: Exception) -> bool:
        log.warning("%s: %s; reopening", self._ser.port, exc)
        deadline = time.monotonic() + REOPEN_S
        while not self._stop_evt.is_set() and time.monotonic() < deadline:
            try:
                self._ser.proc.close()
                self._ser.proc.open()
                return True
            except (pyserial.SerialException, OSError):
                time.sleep(0.2)
        log.error("%s did not come back within %.0f s", self._ser.port, REOPEN_S)
        return False


class HilDut(SerialDut):
    """A SerialDut with the host session at hand (`dut.host`) and timeouts that show what
    the board said last and where the link stands, not only pexpect's shortened buffer."""

    @property
    def host(self) -> HostSession:
        return self.serial.host

    def expect(self, pattern, **kwargs):
        try:
            return super().expect(pattern, **kwargs)
        except pexpect.TIMEOUT as exc:
            raise pexpect.TIMEOUT(f"{exc}\n{self.context()}") from None

    def context(self, lines: int = 20) -> str:
        h = self.host
        tail = "\n  ".join(f"{t:10.2f}  {text}" for t, text in h.console[-lines:])
        return (f"link={h.link.state.value} silent={h.silent} segments={len(h.segments)} "
                f"host counters={h.link.stats()}\nlast console lines (host time):\n  {tail}")
