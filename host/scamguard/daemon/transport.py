"""Byte transports to a board. Each one is opened, read with a timeout, written, closed.

Errors are normalised to two types so the service's reconnect logic stays transport-blind:
TransportUnavailable (cannot open now: retry later) and TransportClosed (it went away).
"""
from __future__ import annotations

import serial


class TransportUnavailable(RuntimeError):
    pass


class TransportClosed(RuntimeError):
    pass


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
        except (serial.SerialException, OSError, ValueError) as exc:
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
