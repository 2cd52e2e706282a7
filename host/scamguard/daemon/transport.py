"""Byte transports to a board. Each one is opened, read with a timeout, written, closed.

Errors are normalised to three types so the service's reconnect logic stays transport-blind:
TransportUnavailable (cannot open now: retry later), TransportClosed (it went away: reconnect)
and TransportRefused (opening can never succeed as configured, e.g. an unpaired BLE board:
report once and stop, never spin). Implementations: SerialTransport here (USB/UART and the
simulator's pty), BleTransport in ble.py; uri.py picks one from a transport URI.
"""
from __future__ import annotations

from typing import Protocol, runtime_checkable

import serial


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
    """USB-CDC / UART boards and the simulator's pseudo-terminal, through pyserial."""

    def __init__(self, port: str, baud: int = 921600):
        self.port, self.baud = port, baud
        self.name = f"serial:{port}"
        self._ser: serial.Serial | None = None

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

    def read(self, timeout: float = 0.05) -> bytes:
        ser = self._require()
        try:
            ser.timeout = timeout
            first = ser.read(1)
            return first + ser.read(ser.in_waiting) if first else b""
        except (serial.SerialException, OSError) as exc:
            raise TransportClosed(f"{self.port} went away: {exc}") from exc

    def write(self, data: bytes) -> None:
        if not data:
            return
        ser = self._require()
        try:
            ser.write(data)
        except (serial.SerialException, serial.SerialTimeoutException, OSError) as exc:
            raise TransportClosed(f"{self.port} write failed: {exc}") from exc

    def close(self) -> None:
        if self._ser is not None:
            try:
                self._ser.close()
            except (serial.SerialException, OSError):
                pass
            self._ser = None

    def _require(self) -> serial.Serial:
        if self._ser is None:
            raise TransportClosed(f"{self.port} is not open")
        return self._ser
