"""Transport URIs: every accepted form, and every malformed one rejected with its reason."""
import pytest

from scamguard.daemon import uri
from scamguard.daemon.ble import BleTransport
from scamguard.daemon.transport import SerialTransport


@pytest.mark.parametrize("text,scheme,target,opts", [
    ("/dev/ttyUSB0", "serial", "/dev/ttyUSB0", {"baud": 921600}),
    ("/dev/pts/7", "serial", "/dev/pts/7", {"baud": 921600}),
    ("COM3", "serial", "COM3", {"baud": 921600}),
    ("serial:///dev/ttyUSB0?baud=115200", "serial", "/dev/ttyUSB0", {"baud": 115200}),
    ("serial:///dev/ttyACM0", "serial", "/dev/ttyACM0", {"baud": 921600}),
    ("socket://127.0.0.1:7000", "serial", "socket://127.0.0.1:7000", {"baud": 921600}),
    ("ble://aa:bb:cc:dd:ee:ff", "ble", "AA:BB:CC:DD:EE:FF", {}),
    ("ble://AA:BB:CC:DD:EE:FF?mtu=185", "ble", "AA:BB:CC:DD:EE:FF", {"mtu": 185}),
    ("ble://0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0", "ble", "0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0", {}),
])
def test_accepted(text, scheme, target, opts):
    spec = uri.parse(text)
    assert (spec.scheme, spec.target, spec.options) == (scheme, target, opts)


@pytest.mark.parametrize("text,why", [
    ("", "empty"),
    ("tcp://host:1", "unknown transport scheme"),
    ("serial:///dev/ttyUSB0?baud=fast", "not an integer"),
    ("serial:///dev/ttyUSB0?baud=12", "outside"),
    ("serial:///dev/ttyUSB0?bauds=9600", "unknown option 'bauds'"),
    ("serial://", "no device path"),
    ("ble://AA:BB:CC:DD:EE", "not a BLE address"),
    ("ble://AA:BB:CC:DD:EE:FF?mtu=9000", "outside"),
    ("ble://AA:BB:CC:DD:EE:FF?baud=9600", "unknown option 'baud'"),
])
def test_rejected(text, why):
    with pytest.raises(uri.BadTransportUri, match=why):
        uri.parse(text)


def test_transport_objects():
    s = uri.transport_for("serial:///dev/ttyUSB9?baud=460800")
    assert isinstance(s, SerialTransport) and (s.port, s.baud) == ("/dev/ttyUSB9", 460800)
    assert uri.transport_for("/dev/ttyUSB9", default_baud=115200).baud == 115200
    b = uri.transport_for("ble://AA:BB:CC:DD:EE:FF?mtu=100")
    assert isinstance(b, BleTransport) and b.mtu_override == 100 and b.name == "ble:AA:BB:CC:DD:EE:FF"
