"""Byte transports to a board. Each one is opened, read with a timeout, written, closed.

Errors are normalised to three types so the service's reconnect logic stays transport-blind:
TransportUnavailable (cannot open now: retry later), TransportClosed (it went away: reconnect)
and TransportRefused (opening can never succeed as configured, e.g. an unpaired BLE board:
report once and stop, never spin). Implementations: SerialTransport here (USB/UART and the
simulator's pty), BleTransport in ble.py; uri.py picks one from a transport URI.
"""
from __future__ import annotations

import threading
from typing import Protocol, runtime_checkable

import serial

RX_LIMIT = 4 * 1024 * 1024  # ~7 min of one board's ADPCM stream at real time


class TransportUnavailable(RuntimeError):
    pass


class TransportClosed(RuntimeError):
    pass


class TransportRefused(RuntimeError):
    """Retrying cannot help until a human acts (pair the board, fix permissions)."""


@runtime_checkable
class Transport(Protocol):
    """What BoardService needs. All methods are blocking and run in a worker thread."""

    name: str

    def open(self) -> None: ...

    def read(self, timeout: float = 0.05) -> bytes: ...  # b"" on timeout; raises TransportClosed

    def write(self, data: bytes) -> None: ...  # whole frames; raises TransportClosed

    def close(self) -> None: ...  # idempotent


class SerialTransport:
    """USB-CDC / UART boards and the simulator's pseudo-terminal, through pyserial.

    A reader thread drains the port continuously into a bounded buffer that read() hands
    out. Why: the kernel's buffer behind a UART or pty holds a few KiB to 64 KiB, i.e. well
    under a second of a 20x soak stream and ~50 ms of a 921600-baud line; without the
    thread, any pause of the daemon's event loop (a burst of segments, a GC pass, a loaded
    machine) made the board drop frames. Overflow of our own buffer is counted, not hidden.
    """

    def __init__(self, port: str, baud: int = 921600):
        self.port, self.baud = port, baud
        self.name = f"serial:{port}"
        self._ser: serial.Serial | None = None
        self._cond = threading.Condition()
        self._rx = bytearray()
        self._error: str | None = None
        self._thread: threading.Thread | None = None
        self.rx_overflow_bytes = 0

    def open(self) -> None:
        try:
            self._ser = serial.serial_for_url(self.port, baudrate=self.baud, timeout=0.05, write_timeout=2,
                                              exclusive=True)
        except PermissionError as exc:
            raise TransportRefused(f"no permission to open {self.port}: add yourself to the 'dialout' group") from exc
        except (serial.SerialException, OSError, ValueError) as exc:
            if isinstance(exc.__context__, PermissionError) or "Permission denied" in str(exc):
                raise TransportRefused(f"no permission to open {self.port}: add yourself to the 'dialout' group") from exc
            raise TransportUnavailable(f"cannot open {self.port}: {exc}") from exc
        with self._cond:
            self._rx.clear()
            self._error = None
        self._thread = threading.Thread(target=self._drain, args=(self._ser,), name=f"rx-{self.port}", daemon=True)
        self._thread.start()

    def _drain(self, ser: serial.Serial) -> None:
        while True:
            try:
                data = ser.read(max(1, ser.in_waiting))  # blocks up to ser.timeout
            except (serial.SerialException, OSError, TypeError, AttributeError) as exc:
                # TypeError/AttributeError: pyserial's fd vanished under us because close() ran
                with self._cond:
                    if self._ser is ser:
                        self._error = f"{self.port} went away: {exc}"
                    self._cond.notify_all()
                return
            if not data:
                if self._ser is not ser:
                    return
                continue
            with self._cond:
                self._rx += data
                excess = len(self._rx) - RX_LIMIT
                if excess > 0:  # the daemon is hung, not merely slow: drop the oldest bytes
                    del self._rx[:excess]
                    self.rx_overflow_bytes += excess
                self._cond.notify_all()

    def read(self, timeout: float = 0.05) -> bytes:
        self._require()
        with self._cond:
            if not self._rx and self._error is None:
                self._cond.wait(timeout)
            if self._rx:  # bytes that arrived before a disconnect are delivered first
                data = bytes(self._rx)
                self._rx.clear()
                return data
            if self._error is not None:
                raise TransportClosed(self._error)
            return b""

    def write(self, data: bytes) -> None:
        if not data:
            return
        ser = self._require()
        try:
            ser.write(data)
        except (serial.SerialException, serial.SerialTimeoutException, OSError) as exc:
            raise TransportClosed(f"{self.port} write failed: {exc}") from exc

    def close(self) -> None:
        ser, self._ser = self._ser, None
        if ser is not None:
            try:
                ser.cancel_read()  # wake the reader thread; it exits once it sees _ser changed
            except (serial.SerialException, OSError, AttributeError):
                pass
        if self._thread is not None:
            self._thread.join(timeout=2)
            self._thread = None
        if ser is not None:
            try:
                ser.close()
            except (serial.SerialException, OSError):
                pass

    def stats(self) -> dict[str, int]:
        return {"rx_overflow_bytes": self.rx_overflow_bytes}

    def _require(self) -> serial.Serial:
        if self._ser is None:
            raise TransportClosed(f"{self.port} is not open")
        return self._ser
