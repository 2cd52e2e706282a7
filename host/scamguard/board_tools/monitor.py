"""A serial monitor that understands the board's byte stream: console lines and protocol
frames share the port (docs/protocol.md), so a plain terminal shows binary noise. Each
event becomes one line: `console <text>` or `<MESSAGE> field=value ...`.

Passive by default (the board heartbeats and logs on its own); `handshake` also says HELLO
and keeps heartbeating, so the board brings its link up and streams segments and audio.
"""
from __future__ import annotations

import dataclasses
import threading
import time
from typing import Callable

from .. import params as P
from ..daemon.link import BoardLink
from ..protocol import messages as M
from ..protocol.framing import TextLine


def _value(name: str, value) -> str:
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    if name == "codec":
        return {P.ProtocolCodec.IMA_ADPCM: "adpcm", P.ProtocolCodec.PCM16: "pcm16"}.get(value, str(value))
    if name == "caps":
        return ",".join(c.name.lower() for c in P.ProtocolCaps if value & c) or "none"
    if isinstance(value, str):
        return repr(value) if (" " in value or not value) else value
    return str(value)


def format_event(ev) -> str:
    """One line per console line or typed message."""
    if isinstance(ev, TextLine):
        return f"console {ev.text}"
    if isinstance(ev, M.Stats):
        return "STATS " + " ".join(f"{k}={v}" for k, v in ev.as_dict().items())
    name = P.ProtocolMsg(ev.TYPE).name
    fields = " ".join(f"{f.name}={_value(f.name, getattr(ev, f.name))}" for f in dataclasses.fields(ev))
    return f"{name} {fields}"


def run_monitor(port, emit: Callable[[str], None], stop: threading.Event, handshake: bool = False,
                show_audio: bool = False) -> BoardLink:
    """Reads `port` (a pyserial object) until `stop` is set; returns the link with its counters."""
    link = BoardLink(host_name="scamguard-mon")
    if handshake:
        port.write(link.start(time.monotonic()))
    try:
        while not stop.is_set():
            first = port.read(1)
            data = first + port.read(port.in_waiting) if first else b""
            now = time.monotonic()
            for ev in link.feed(data, now) if data else ():
                if isinstance(ev, M.Audio) and not show_audio:
                    continue
                emit(format_event(ev))
            if handshake:
                port.write(link.poll(now))
    except KeyboardInterrupt:  # Ctrl-C is how a monitor ends; the counters still get printed
        pass
    return link
