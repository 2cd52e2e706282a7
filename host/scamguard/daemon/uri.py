"""Transport URIs: one string names a board, whatever carries its bytes.

    serial:///dev/ttyUSB0?baud=921600   USB-CDC / UART (baud optional)
    /dev/ttyUSB0, /dev/pts/7, COM3       plain paths are serial
    ble://AA:BB:CC:DD:EE:FF              BLE GATT (bonded board; see docs/security.md)
    ble://AA:BB:CC:DD:EE:FF?mtu=185      cap the write chunk size (default: negotiated MTU)

Unknown schemes and unknown or malformed query keys are errors, never ignored: a typo in
`?baud=` silently falling back to the default would look like a dead board.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlsplit

DEFAULT_BAUD = 921600
_MAC = re.compile(r"^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}$")
# macOS CoreBluetooth names peripherals by UUID instead of MAC; accept that form too.
_CB_UUID = re.compile(r"^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$")
_ALLOWED = {"serial": {"baud"}, "ble": {"mtu", "timeout"}}


class BadTransportUri(ValueError):
    pass


@dataclass(frozen=True)
class TransportSpec:
    scheme: str  # "serial" | "ble"
    target: str  # device path or BLE address
    options: dict = field(default_factory=dict)

    def __str__(self) -> str:
        q = "&".join(f"{k}={v}" for k, v in sorted(self.options.items()))
        return f"{self.scheme}://{self.target}" + (f"?{q}" if q else "")


def _int_option(uri: str, key: str, value: str, lo: int, hi: int) -> int:
    try:
        n = int(value)
    except ValueError:
        raise BadTransportUri(f"{uri}: {key}={value!r} is not an integer") from None
    if not lo <= n <= hi:
        raise BadTransportUri(f"{uri}: {key}={n} is outside {lo}..{hi}")
    return n


def parse(uri: str, default_baud: int = DEFAULT_BAUD) -> TransportSpec:
    uri = uri.strip()
    if not uri:
        raise BadTransportUri("empty transport")
    if "://" not in uri:  # a plain device path (or a pyserial URL handler such as loop://)
        return TransportSpec("serial", uri, {"baud": default_baud})
    parts = urlsplit(uri)
    scheme = parts.scheme.lower()
    if scheme not in _ALLOWED:
        # pyserial's own URL handlers (socket://, rfc2217://, loop://) are serial ports too.
        if scheme in ("socket", "rfc2217", "loop", "spy", "alt", "hwgrep"):
            return TransportSpec("serial", uri, {"baud": default_baud})
        raise BadTransportUri(f"{uri}: unknown transport scheme {scheme!r} (use serial:// or ble://)")
    try:
        query = parse_qsl(parts.query, keep_blank_values=True, strict_parsing=bool(parts.query))
    except ValueError:
        raise BadTransportUri(f"{uri}: malformed query {parts.query!r}") from None
    opts: dict = {}
    for key, value in query:
        if key not in _ALLOWED[scheme]:
            raise BadTransportUri(f"{uri}: unknown option {key!r} for {scheme}:// "
                                  f"(allowed: {', '.join(sorted(_ALLOWED[scheme]))})")
        if key == "baud":
            opts[key] = _int_option(uri, key, value, 1200, 12_000_000)
        elif key == "mtu":
            opts[key] = _int_option(uri, key, value, 23, 517)  # the BLE ATT MTU range
        elif key == "timeout":
            opts[key] = _int_option(uri, key, value, 1, 120)
    if scheme == "serial":
        target = parts.netloc + parts.path  # serial:///dev/x -> "/dev/x"; serial://COM3 -> "COM3"
        if not target:
            raise BadTransportUri(f"{uri}: no device path")
        opts.setdefault("baud", default_baud)
        return TransportSpec("serial", target, opts)
    target = (parts.netloc + parts.path).strip("/")
    if not (_MAC.match(target) or _CB_UUID.match(target)):
        raise BadTransportUri(f"{uri}: {target!r} is not a BLE address (AA:BB:CC:DD:EE:FF)")
    return TransportSpec("ble", target.upper(), opts)


def open_spec(spec: TransportSpec):
    """A closed transport object for the spec (opening is the service's job)."""
    if spec.scheme == "serial":
        from .transport import SerialTransport

        return SerialTransport(spec.target, spec.options.get("baud", DEFAULT_BAUD))
    from .ble import BleTransport

    return BleTransport(spec.target, mtu=spec.options.get("mtu"), connect_timeout_s=spec.options.get("timeout", 20))


def transport_for(uri: str, default_baud: int = DEFAULT_BAUD):
    return open_spec(parse(uri, default_baud))
