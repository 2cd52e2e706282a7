"""A board in Python on a TCP socket, for testing the harness the way pytest-embedded tests
itself: through pyserial's socket:// URL. It prints a BOOT line when a host connects,
answers HELLO with DESCRIBE and STATS (frames plus console lines, as the firmware does),
heartbeats every second, and can be told to misbehave."""
from __future__ import annotations

import socket
import threading
import time

from scamguard import params as P
from scamguard.protocol import messages as M
from scamguard.protocol.framing import FrameDecoder, encode_frame

CAPS = P.ProtocolCaps.ADPCM | P.ProtocolCaps.VAD | P.ProtocolCaps.SERIAL


class FakeBoard:
    def __init__(self, boot_line: str = "BOOT fw=9.9.9 board=fake proto=1", proto_version: int = P.PROTOCOL_VERSION):
        self.boot_line, self.proto_version = boot_line, proto_version
        self.server = socket.create_server(("127.0.0.1", 0))
        self.url = f"socket://127.0.0.1:{self.server.getsockname()[1]}"
        self.hellos = 0
        self._seq = 0
        self._stop = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def close(self) -> None:
        self._stop.set()
        self.server.close()

    def _send(self, conn, msg_type: int, payload: bytes) -> None:
        conn.sendall(encode_frame(msg_type, self._seq, payload))
        self._seq = (self._seq + 1) & 0xFFFF

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            with conn:
                self._session(conn)

    def _session(self, conn) -> None:
        decoder, last_hb = FrameDecoder(), 0.0
        conn.settimeout(0.05)
        # pyserial's socket:// discards input right after connecting; boot a moment later.
        time.sleep(0.3)
        conn.sendall((self.boot_line + "\n").encode())
        while not self._stop.is_set():
            try:
                data = conn.recv(4096)
                if not data:
                    return
            except socket.timeout:
                data = b""
            except OSError:
                return
            for ev in decoder.feed(data):
                if getattr(ev, "type", None) == P.ProtocolMsg.HELLO:
                    self.hellos += 1
                    d = M.Describe(self.proto_version, CAPS, 16000, 1, 5000, 0, 0, "9.9.9", "fake")
                    self._send(conn, M.Describe.TYPE, d.to_payload())
                    conn.sendall(b"LINK state=up reason=hello\n")
                    stats = [0] * P.ProtocolStat.COUNT
                    stats[P.ProtocolStat.FRAMES_OK] = decoder.stats[P.ProtocolStat.FRAMES_OK]
                    self._send(conn, M.Stats.TYPE, M.Stats(tuple(stats)).to_payload())
                    conn.sendall(("STATS " + " ".join(f"{k}={v}" for k, v in M.Stats(tuple(stats)).as_dict().items())
                                  + " tx_dropped=0 audio_unsent=0\n").encode())
            if time.monotonic() - last_hb >= 1.0:
                last_hb = time.monotonic()
                self._send(conn, M.Heartbeat.TYPE, M.Heartbeat(int(last_hb * 1000) & 0xFFFFFFFF).to_payload())
