"""BLE GATT transport (bleak) with the same blocking interface as SerialTransport.

The board's GATT service (UUIDs in firmware/params.toml [ble]) carries exactly the wire
protocol's bytes: notifications on the audio characteristic are board->host stream bytes,
in order, split wherever the board's MTU fell; writes carry host->board frames, VERDICT
frames to the verdict characteristic (write with response: a verdict must not be lost
silently) and everything else to the control characteristic (write without response),
each frame chunked to the negotiated ATT MTU. The FrameDecoder needs no BLE knowledge.

bleak is asyncio-native, the service calls transports from worker threads: each open
transport runs a private event loop in a daemon thread. Notifications append to a bounded
receive buffer; read() waits on it. Writes are queued to the BLE loop and never block the
service's loop; a failed write surfaces as TransportClosed on the next read or write.

Security: pairing and bonding are the OS's job (BlueZ: see docs/security.md). The board's
audio/control/verdict characteristics require an encrypted, authenticated (LESC) link, so an
unbonded host fails to subscribe with an ATT authentication/encryption error; that is turned
into TransportRefused with instructions, and nothing is streamed.
"""
from __future__ import annotations

import asyncio
import logging
import threading
from collections import deque
from typing import Callable

from .. import params as P
from ..protocol import cobs
from .transport import TransportClosed, TransportRefused, TransportUnavailable

log = logging.getLogger("scamguard.ble")

SERVICE_UUID = P.BLE_UUID_SERVICE
AUDIO_UUID = P.BLE_UUID_AUDIO  # notify: board -> host
CONTROL_UUID = P.BLE_UUID_CONTROL  # write without response: host -> board
VERDICT_UUID = P.BLE_UUID_VERDICT  # write with response: host -> board verdicts
INFO_UUID = P.BLE_UUID_INFO

RX_LIMIT = 256 * 1024  # ~40 s of ADPCM audio frames: the service reads every 50 ms, so this only fills if it hangs
TX_BACKLOG = 64  # queued writes; more means the radio link is not keeping up: treat as lost
ATT_OVERHEAD = 3

# Substrings of the errors BlueZ / WinRT / CoreBluetooth raise when a characteristic needs a
# bonded, encrypted link and this host has none (ATT errors 0x05, 0x08, 0x0F, 0x0C).
_AUTH_MARKERS = ("insufficient authentication", "insufficient encryption", "insufficient authorization",
                 "insufficient encryption key size", "authentication failed", "org.bluez.error.notpermitted",
                 "org.bluez.error.authenticationfailed", "not paired", "encryption is insufficient")


def is_auth_error(exc: BaseException) -> bool:
    text = f"{type(exc).__name__} {exc}".lower()
    return any(m in text for m in _AUTH_MARKERS)


def pairing_help(address: str) -> str:
    return (f"{address} refused an unencrypted link: pair and bond it first "
            f"(bluetoothctl: `scan on`, `pair {address}`, enter the passkey shown by the board, "
            f"`trust {address}`), then restart host-daemon. See docs/security.md.")


def _default_client_factory(address: str, disconnected_callback: Callable, timeout: float):
    from bleak import BleakClient

    return BleakClient(address, disconnected_callback=disconnected_callback, timeout=timeout)


def split_frames(data: bytes) -> list[tuple[int | None, bytes]]:
    """Split a host->board byte string into (message type, wire frame) pairs.

    The service writes whole encoded frames (00 COBS 00); the type is read back from the
    COBS body so each frame can go to the right characteristic. A body that does not decode
    is passed on as type None (the board's decoder will count it, as it would on serial).
    """
    out = []
    for body in data.split(b"\x00"):
        if not body:
            continue
        try:
            raw = cobs.decode(body)
            msg_type = raw[2] if len(raw) > 2 else None
        except cobs.CobsError:
            msg_type = None
        out.append((msg_type, b"\x00" + body + b"\x00"))
    return out


def chunks(data: bytes, size: int) -> list[bytes]:
    return [data[i : i + size] for i in range(0, len(data), size)]


class BleTransport:
    def __init__(self, address: str, mtu: int | None = None, connect_timeout_s: float = 20.0,
                 client_factory: Callable | None = None):
        self.address = address
        self.name = f"ble:{address}"
        self.mtu_override = mtu
        self.connect_timeout_s = connect_timeout_s
        self._factory = client_factory or _default_client_factory
        self._client = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._cond = threading.Condition()
        self._rx = bytearray()
        self._error: str | None = None
        self._tx: deque = deque()
        self._tx_busy = False
        self.chunk_size = 20
        self.counters = {"rx_bytes": 0, "rx_notifications": 0, "rx_overflow_bytes": 0, "tx_bytes": 0,
                         "tx_writes": 0, "tx_verdict_writes": 0}

    # ------------------------------------------------------------------ life-cycle
    def open(self) -> None:
        self.close()
        self._error = None
        self._rx.clear()
        self._tx.clear()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name=f"ble-{self.address}", daemon=True)
        self._thread.start()
        fut = asyncio.run_coroutine_threadsafe(self._connect(), self._loop)
        try:
            fut.result(timeout=self.connect_timeout_s + 5)
        except (TransportRefused, TransportUnavailable):
            self.close()
            raise
        except Exception as exc:  # bleak raises many types (BleakError, DBus, OSError, timeouts)
            self.close()
            raise TransportUnavailable(f"cannot connect to {self.address}: {type(exc).__name__}: {exc}") from exc

    async def _connect(self) -> None:
        client = self._factory(self.address, self._on_disconnect, self.connect_timeout_s)
        try:
            await client.connect()
        except Exception as exc:
            if is_auth_error(exc):
                raise TransportRefused(pairing_help(self.address)) from exc
            raise TransportUnavailable(f"cannot connect to {self.address}: {type(exc).__name__}: {exc}") from exc
        self._client = client
        if client.services.get_service(SERVICE_UUID) is None:
            raise TransportRefused(f"{self.address} has no ScamGuard service {SERVICE_UUID}: not one of our boards")
        try:
            await client.start_notify(AUDIO_UUID, self._on_notify)
        except Exception as exc:
            if is_auth_error(exc):
                raise TransportRefused(pairing_help(self.address)) from exc
            raise TransportUnavailable(f"{self.address}: subscribing to audio failed: {exc}") from exc
        mtu = self.mtu_override or getattr(client, "mtu_size", 23) or 23
        self.chunk_size = max(20, mtu - ATT_OVERHEAD)
        log.info("%s connected, MTU %d, write chunks of %d bytes", self.address, mtu, self.chunk_size)

    def close(self) -> None:
        loop, client = self._loop, self._client
        self._client = None
        if loop is not None and loop.is_running():
            if client is not None:
                fut = asyncio.run_coroutine_threadsafe(self._disconnect(client), loop)
                try:
                    fut.result(timeout=5)
                except Exception as exc:  # already gone: nothing to release
                    log.debug("%s disconnect: %s", self.address, exc)
            loop.call_soon_threadsafe(loop.stop)
        if self._thread is not None:
            self._thread.join(timeout=5)
        if loop is not None and not loop.is_running():
            loop.close()
        self._loop = self._thread = None

    @staticmethod
    async def _disconnect(client) -> None:
        await client.disconnect()

    # ------------------------------------------------------------------ board -> host
    def _on_notify(self, _char, data: bytearray) -> None:
        with self._cond:
            self._rx += data
            self.counters["rx_notifications"] += 1
            self.counters["rx_bytes"] += len(data)
            excess = len(self._rx) - RX_LIMIT
            if excess > 0:  # drop the oldest bytes; the frame decoder resyncs and counts the damage
                del self._rx[:excess]
                self.counters["rx_overflow_bytes"] += excess
            self._cond.notify_all()

    def _on_disconnect(self, _client) -> None:
        self._fail(f"{self.address} disconnected")

    def _fail(self, reason: str) -> None:
        with self._cond:
            if self._error is None:
                self._error = reason
            self._cond.notify_all()

    def read(self, timeout: float = 0.05) -> bytes:
        with self._cond:
            if not self._rx and self._error is None:
                self._cond.wait(timeout)
            if self._rx:  # deliver what arrived before a disconnect first
                data = bytes(self._rx)
                self._rx.clear()
                return data
            if self._error is not None or self._loop is None:
                raise TransportClosed(self._error or f"{self.address} is not open")
            return b""

    # ------------------------------------------------------------------ host -> board
    def write(self, data: bytes) -> None:
        if not data:
            return
        if self._loop is None or self._error is not None:
            raise TransportClosed(self._error or f"{self.address} is not open")
        with self._cond:
            if len(self._tx) >= TX_BACKLOG:
                self._error = f"{self.address}: {len(self._tx)} writes backed up, radio link too slow"
                raise TransportClosed(self._error)
            for msg_type, frame in split_frames(data):
                verdict = msg_type == P.ProtocolMsg.VERDICT
                self._tx.append((VERDICT_UUID if verdict else CONTROL_UUID, frame, verdict))
        self._loop.call_soon_threadsafe(self._kick)

    def _kick(self) -> None:
        if not self._tx_busy:
            self._tx_busy = True
            asyncio.get_running_loop().create_task(self._drain())

    async def _drain(self) -> None:
        try:
            while True:
                with self._cond:
                    if not self._tx or self._client is None:
                        return
                    uuid, frame, with_response = self._tx.popleft()
                try:
                    for part in chunks(frame, self.chunk_size):
                        await self._client.write_gatt_char(uuid, part, response=with_response)
                except Exception as exc:
                    self._fail(pairing_help(self.address) if is_auth_error(exc)
                               else f"{self.address} write failed: {type(exc).__name__}: {exc}")
                    return
                self.counters["tx_writes"] += 1
                self.counters["tx_bytes"] += len(frame)
                self.counters["tx_verdict_writes"] += with_response
        finally:
            self._tx_busy = False

    def stats(self) -> dict[str, int]:
        return {f"ble_{k}": v for k, v in self.counters.items()}
