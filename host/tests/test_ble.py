"""BLE transport against a fake bleak client (no Bluetooth controller exists here): stream
reassembly from notifications, MTU chunking and routing of writes, the refusal of an unbonded
link, disconnects, and a full handshake through BoardService."""
import asyncio
import time
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace

import pytest

from scamguard import params as P
from scamguard.daemon import ble
from scamguard.daemon.fakeboard import FakeEngine
from scamguard.daemon.scan import scan_ble, scan_serial
from scamguard.daemon.service import BoardService, ServiceOptions
from scamguard.daemon.transport import Transport, TransportClosed, TransportRefused, TransportUnavailable
from scamguard.protocol import messages as M
from scamguard.protocol.framing import Frame, FrameDecoder, encode_frame


class FakeServices:
    def __init__(self, uuids):
        self.uuids = uuids

    def get_service(self, uuid):
        return object() if uuid in self.uuids else None


class FakeClient:
    """The subset of bleak.BleakClient that BleTransport uses, recording what it is asked."""

    def __init__(self, address, disconnected_callback, timeout, *, mtu=64, notify_error=None, connect_error=None,
                 services=(ble.SERVICE_UUID,), on_write=None):
        self.address, self.disconnected_callback = address, disconnected_callback
        self.mtu_size, self.notify_error, self.connect_error = mtu, notify_error, connect_error
        self.services = FakeServices(services)
        self.writes: list[tuple[str, bytes, bool]] = []
        self.callback = None
        self.loop = None
        self.on_write = on_write
        self.disconnected = False

    async def connect(self):
        self.loop = asyncio.get_running_loop()
        if self.connect_error:
            raise self.connect_error

    async def start_notify(self, uuid, callback):
        assert uuid == ble.AUDIO_UUID
        if self.notify_error:
            raise self.notify_error
        self.callback = callback

    async def write_gatt_char(self, uuid, data, response=None):
        assert len(data) <= self.mtu_size - 3
        self.writes.append((uuid, bytes(data), response))
        if self.on_write:
            self.on_write(self, uuid, bytes(data))

    async def disconnect(self):
        self.disconnected = True

    # test helpers: act as the board, from any thread
    def notify(self, data: bytes):
        self.loop.call_soon_threadsafe(self.callback, None, bytearray(data))

    def drop(self):
        self.loop.call_soon_threadsafe(self.disconnected_callback, self)


def make(**kw):
    box = {}

    def factory(address, disconnected_callback, timeout):
        box["client"] = FakeClient(address, disconnected_callback, timeout, **kw)
        return box["client"]

    return ble.BleTransport("AA:BB:CC:DD:EE:FF", client_factory=factory), box


def read_until(t, n_bytes, timeout=2.0):
    out, end = b"", time.monotonic() + timeout
    while len(out) < n_bytes and time.monotonic() < end:
        out += t.read(0.05)
    return out


def test_notifications_reassemble_into_the_frame_stream():
    t, box = make()
    t.open()
    try:
        assert isinstance(t, Transport)
        wire = b"".join(encode_frame(M.Audio.TYPE, i, bytes(range(i, i + 100))) for i in range(5))
        cuts = [0, 1, 7, 60, 61, 200, 333, len(wire)]  # arbitrary notification boundaries
        for a, b in zip(cuts, cuts[1:]):
            box["client"].notify(wire[a:b])
        got = read_until(t, len(wire))
        frames = [e for e in FrameDecoder().feed(got) if isinstance(e, Frame)]
        assert [f.seq for f in frames] == [0, 1, 2, 3, 4] and got == wire
        assert t.stats()["ble_rx_notifications"] == len(cuts) - 1
    finally:
        t.close()
    assert box["client"].disconnected


def test_writes_are_chunked_to_the_mtu_and_verdicts_go_to_their_characteristic():
    t, box = make(mtu=23)  # the BLE minimum: 20-byte writes
    t.open()
    try:
        hb = encode_frame(M.Heartbeat.TYPE, 0, M.Heartbeat(1234, 1).to_payload())
        verdict = encode_frame(M.Verdict.TYPE, 1, M.Verdict(7, 2, 910, "bank transfer request" * 3).to_payload())
        t.write(hb + verdict)  # one write() call with two frames, as the service does
        deadline = time.monotonic() + 2
        while sum(len(d) for _, d, _ in box["client"].writes) < len(hb) + len(verdict) and time.monotonic() < deadline:
            time.sleep(0.01)
        writes = box["client"].writes
        assert all(len(d) <= 20 for _, d, _ in writes)
        control = b"".join(d for u, d, _ in writes if u == ble.CONTROL_UUID)
        verd = b"".join(d for u, d, _ in writes if u == ble.VERDICT_UUID)
        assert control == hb and verd == verdict
        assert all(r is True for u, _, r in writes if u == ble.VERDICT_UUID)  # with response
        assert all(r is False for u, _, r in writes if u == ble.CONTROL_UUID)
    finally:
        t.close()


@pytest.mark.parametrize("message", [
    "[org.bluez.Error.NotPermitted] Insufficient Authentication",
    "Protocol Error 0x0F: Insufficient Encryption",
    "org.bluez.Error.AuthenticationFailed",
])
def test_unbonded_link_is_refused_with_pairing_instructions(message):
    class BleakError(Exception):
        pass

    t, box = make(notify_error=BleakError(message))
    with pytest.raises(TransportRefused, match="bluetoothctl") as info:
        t.open()
    assert "pair AA:BB:CC:DD:EE:FF" in str(info.value) and "\n" not in str(info.value)
    assert box["client"].disconnected  # nothing left half-open


def test_not_our_board_and_unreachable_board():
    t, _ = make(services=("0000180f-0000-1000-8000-00805f9b34fb",))
    with pytest.raises(TransportRefused, match="no ScamGuard service"):
        t.open()
    t, _ = make(connect_error=TimeoutError("device not found"))
    with pytest.raises(TransportUnavailable, match="cannot connect"):
        t.open()


def test_disconnect_delivers_buffered_bytes_then_closes():
    t, box = make()
    t.open()
    try:
        box["client"].notify(b"\x00tail-bytes")
        box["client"].drop()
        time.sleep(0.1)
        assert t.read(0.1) == b"\x00tail-bytes"
        with pytest.raises(TransportClosed, match="disconnected"):
            t.read(0.1)
        with pytest.raises(TransportClosed):
            t.write(b"\x00\x01\x00")
    finally:
        t.close()


def test_service_handshakes_over_ble():
    """The fake client plays the board: it answers HELLO with DESCRIBE via a notification."""
    describe = M.Describe(P.PROTOCOL_VERSION, P.ProtocolCaps.ADPCM | P.ProtocolCaps.BLE, 16000, 1, 5000, 0, 0,
                          "1.0", "ble-board")

    def on_write(client, uuid, data):
        for fr in client.decoder.feed(data):
            if isinstance(fr, Frame) and fr.type == M.Hello.TYPE:
                client.callback(None, bytearray(encode_frame(M.Describe.TYPE, 0, describe.to_payload())))

    t, box = make(on_write=on_write)
    orig = t._factory

    def factory(*a):
        c = orig(*a)
        c.decoder = FrameDecoder()
        return c

    t._factory = factory
    status = []

    async def main():
        stop = asyncio.Event()
        with ThreadPoolExecutor(1) as pool:
            svc = BoardService(t, FakeEngine(), pool, on_status=lambda _n, m: status.append(m),
                               options=ServiceOptions(reconnect_min_s=0.05))
            task = asyncio.create_task(svc.run(stop))
            for _ in range(100):
                await asyncio.sleep(0.02)
                if svc.link.describe is not None:
                    break
            stop.set()
            await task
        return svc

    svc = asyncio.run(main())
    assert svc.link.describe.board == "ble-board" and "link ready" in status
    assert "ble_tx_writes" in svc.stats()


def test_scan_lists_only_our_boards():
    ours = SimpleNamespace(address="AA:BB:CC:DD:EE:01", name="SG")
    other = SimpleNamespace(address="AA:BB:CC:DD:EE:02", name="watch")

    class Scanner:
        @staticmethod
        async def discover(timeout, return_adv, service_uuids):
            assert service_uuids == [ble.SERVICE_UUID] and return_adv
            return {
                ours.address: (ours, SimpleNamespace(service_uuids=[ble.SERVICE_UUID.upper()], local_name="ScamGuard",
                                                     rssi=-60)),
                other.address: (other, SimpleNamespace(service_uuids=[], local_name="watch", rssi=-40)),
            }

    found = asyncio.run(scan_ble(1.0, scanner=Scanner))
    assert [f.uri for f in found] == ["ble://AA:BB:CC:DD:EE:01"] and found[0].rssi == -60

    ports = [SimpleNamespace(device="/dev/ttyUSB0", vid=0x10C4, pid=0xEA60, serial_number="0001"),
             SimpleNamespace(device="/dev/ttyACM0", vid=0x303A, pid=0x1001, serial_number=None),
             SimpleNamespace(device="/dev/ttyACM1", vid=0x2341, pid=0x0043, serial_number=None),  # an Arduino
             SimpleNamespace(device="/dev/ttyS0", vid=None, pid=None, serial_number=None)]
    assert [f.uri for f in scan_serial(ports)] == ["serial:///dev/ttyACM0", "serial:///dev/ttyUSB0"]


def test_split_frames_routes_by_type_and_keeps_junk():
    v = encode_frame(M.Verdict.TYPE, 0, M.Verdict(1, 0, 0, "").to_payload())
    h = encode_frame(M.Hello.TYPE, 1, M.Hello().to_payload())
    parts = ble.split_frames(v + h + b"\x00\xff\xfe\x00")
    assert [p[0] for p in parts] == [M.Verdict.TYPE, M.Hello.TYPE, None]
    assert b"".join(p[1] for p in parts[:2]) == v + h
