#!/usr/bin/env python3
"""Host disconnect/reconnect against the built simulator, through a real pty.

Starts build/sim/scamguard-sim --no-wav, connects as a host (HELLO), closes the pty (the
simulator must report `LINK state=down reason=transport`), reopens it and says HELLO again
(`LINK state=up reason=hello`, a second DESCRIBE). Exits 0 on success, 1 with the reason.
Usage: test_reconnect.py [path/to/scamguard-sim]   (needs only the Python standard library
and host/scamguard/protocol from this repository)."""
import os
import select
import signal
import subprocess
import sys
import time
import tty
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "host"))
from scamguard.protocol.framing import FrameDecoder, TextLine  # noqa: E402
from scamguard.protocol.messages import Describe, Hello, decode_message, encode_message  # noqa: E402


_pending = bytearray()


def wait_line(proc, want, timeout=5.0):
    """Reads simulator stdout until a line starts with want; returns it or fails.
    Reads the pipe unbuffered: a buffered readline would hide lines from select()."""
    end = time.time() + timeout
    while time.time() < end:
        while b"\n" in _pending:
            raw, _, rest = bytes(_pending).partition(b"\n")
            _pending[:] = rest
            line = raw.decode()
            if line.startswith(want):
                return line
        if select.select([proc.stdout], [], [], 0.1)[0]:
            chunk = os.read(proc.stdout.fileno(), 4096)
            if not chunk:
                break
            _pending.extend(chunk)
    raise SystemExit(f"FAIL: no '{want}' line within {timeout} s")


def session(pty, seq):
    """Opens the pty, says HELLO, returns (fd, describes seen)."""
    fd = os.open(pty, os.O_RDWR | os.O_NOCTTY | os.O_NONBLOCK)
    tty.setraw(fd)
    time.sleep(0.1)  # the simulator notices the open at its next poll
    os.write(fd, encode_message(Hello(host_name="reconnect"), seq))
    dec, describes, end = FrameDecoder(), 0, time.time() + 3
    while time.time() < end and not describes:
        if select.select([fd], [], [], 0.05)[0]:
            for ev in dec.feed(os.read(fd, 65536)):
                if not isinstance(ev, TextLine) and isinstance(decode_message(ev), Describe):
                    describes += 1
    return fd, describes


def main():
    sim = sys.argv[1] if len(sys.argv) > 1 else str(ROOT / "build" / "sim" / "scamguard-sim")
    proc = subprocess.Popen([sim, "--no-wav", "--wait-host", "0"], stdout=subprocess.PIPE, bufsize=0)
    try:
        pty = wait_line(proc, "PTY ").split()[1]
        fd, n = session(pty, 0)
        if n != 1:
            raise SystemExit("FAIL: no DESCRIBE on the first connection")
        wait_line(proc, "LINK state=up reason=hello")
        os.close(fd)
        wait_line(proc, "LINK state=down reason=transport")
        fd, n = session(pty, 1)
        if n != 1:
            raise SystemExit("FAIL: no DESCRIBE after reconnecting")
        wait_line(proc, "LINK state=up reason=hello")
        os.close(fd)
    finally:
        proc.send_signal(signal.SIGTERM)
        out = bytes(_pending) + proc.communicate(timeout=5)[0]
    if proc.returncode != 0 or b"DONE alerts=" not in out:
        raise SystemExit(f"FAIL: simulator exit {proc.returncode}, no DONE line")
    print("reconnect: ok")


if __name__ == "__main__":
    main()
