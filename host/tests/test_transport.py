"""SerialTransport's error mapping on real ptys: the service's reconnect logic depends on it."""
import os
import tty

import pytest

from scamguard.daemon.transport import SerialTransport, Transport, TransportClosed, TransportUnavailable


def test_missing_port_is_unavailable(tmp_path):
    t = SerialTransport(str(tmp_path / "ttyNOPE"))
    with pytest.raises(TransportUnavailable, match="cannot open"):
        t.open()
    with pytest.raises(TransportClosed):
        t.read()
    t.close()  # idempotent


def test_pty_round_trip_then_hangup():
    master, slave = os.openpty()
    tty.setraw(slave)
    t = SerialTransport(os.ttyname(slave))
    assert isinstance(t, Transport)
    t.open()
    try:
        os.write(master, b"\x00hello\x00")
        data = b""
        for _ in range(20):
            data += t.read(0.05)
            if len(data) >= 7:
                break
        assert data == b"\x00hello\x00"
        t.write(b"\x00\x01\x02\x00")
        assert os.read(master, 16) == b"\x00\x01\x02\x00"
        assert t.read(0.05) == b""  # a timeout is not an error
        os.close(master)  # the board is unplugged
        os.close(slave)
        with pytest.raises(TransportClosed):
            for _ in range(5):
                t.read(0.05)
    finally:
        t.close()
