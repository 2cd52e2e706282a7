"""`host-daemon --scan`: find boards on USB serial (by VID/PID) and over BLE (by our service UUID).

Serial boards are recognised by the USB bridge or the ESP32's own USB-CDC, which is all a host
can know before opening the port; a port that matches is a candidate, not a proven board.
BLE boards advertise the ScamGuard service UUID, so a BLE hit is specific.
"""
from __future__ import annotations

import asyncio
from dataclasses import dataclass

from .ble import SERVICE_UUID

# (vid, pid or None for any product of that vendor) -> what it usually is
USB_IDS: dict[tuple[int, int | None], str] = {
    (0x303A, None): "Espressif USB (ESP32-S3/C3/C6 native USB)",
    (0x10C4, 0xEA60): "Silicon Labs CP210x USB-UART",
    (0x1A86, 0x7523): "WCH CH340 USB-UART",
    (0x1A86, 0x55D4): "WCH CH9102 USB-UART",
    (0x0403, None): "FTDI USB-UART",
}


@dataclass(frozen=True)
class Found:
    uri: str
    kind: str  # "serial" | "ble"
    description: str
    rssi: int | None = None


def usb_match(vid: int | None, pid: int | None) -> str | None:
    if vid is None:
        return None
    return USB_IDS.get((vid, pid)) or USB_IDS.get((vid, None))


def scan_serial(ports=None) -> list[Found]:
    """`ports` defaults to serial.tools.list_ports.comports(); injectable for tests."""
    if ports is None:
        from serial.tools import list_ports

        ports = list_ports.comports()
    out = []
    for p in ports:
        what = usb_match(getattr(p, "vid", None), getattr(p, "pid", None))
        if what:
            serial_no = f" serial {p.serial_number}" if getattr(p, "serial_number", None) else ""
            out.append(Found(f"serial://{p.device}", "serial", f"{what} {p.vid:04X}:{p.pid:04X}{serial_no}"))
    return sorted(out, key=lambda f: f.uri)


async def scan_ble(timeout_s: float = 5.0, scanner=None) -> list[Found]:
    """`scanner` defaults to bleak.BleakScanner; anything with the same `discover` works."""
    if scanner is None:
        from bleak import BleakScanner as scanner
    found = await scanner.discover(timeout=timeout_s, return_adv=True, service_uuids=[SERVICE_UUID])
    out = []
    for device, adv in found.values():
        # Not every backend honours the service filter: check the advertisement ourselves.
        if SERVICE_UUID not in [u.lower() for u in (adv.service_uuids or [])]:
            continue
        name = adv.local_name or getattr(device, "name", None) or "?"
        out.append(Found(f"ble://{device.address}", "ble", f"{name}", adv.rssi))
    return sorted(out, key=lambda f: -(f.rssi if f.rssi is not None else -999))


def scan_all(timeout_s: float = 5.0, with_ble: bool = True) -> tuple[list[Found], str | None]:
    """Every board found, and a note when BLE could not be scanned (no adapter, no BlueZ)."""
    found = scan_serial()
    note = None
    if with_ble:
        try:
            found += asyncio.run(scan_ble(timeout_s))
        except Exception as exc:  # no controller / no D-Bus / bleak backend missing: still list serial boards
            note = f"BLE scan unavailable: {type(exc).__name__}: {exc}"
    return found, note
