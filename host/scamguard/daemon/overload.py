"""Per-board segment queue with the written overload policy (docs/results/load.md).

A board streams in real time and cannot be slowed down, so when detection falls behind the
only choice is which waiting segment to give up. The policy, in order:

1. The newest segment is always queued: it carries the freshest evidence, and a verdict on
   stale audio is worth less than one on what is being said now.
2. When the queue is full, the oldest waiting segment *without* keyword-spotter hits is shed:
   the board's prefilter found nothing alarming in it, so it is the cheapest to lose.
3. Only if every waiting segment has keyword hits is the oldest of them shed.

Every shed segment is counted (segments_shed, and segments_shed_kws for rule 3) and logged
with its id and time range by the service; nothing is dropped anywhere else.
"""
from __future__ import annotations

import asyncio
from collections import deque
from typing import Any

from .. import params as P


def has_keyword_evidence(seg) -> bool:
    return bool(getattr(seg, "kws_hits", 0)) or bool(getattr(seg, "flags", 0) & P.ProtocolSegflag.KWS_HIT)


class SegmentQueue:
    def __init__(self, limit: int):
        if limit < 1:
            raise ValueError("queue limit must be at least 1")
        self.limit = limit
        self._items: deque[tuple[Any, float]] = deque()
        self._ready = asyncio.Event()

    def qsize(self) -> int:
        return len(self._items)

    def put(self, seg, received_s: float) -> list[tuple[Any, float]]:
        """Queue `seg`; returns the (segment, received) pairs shed to make room."""
        shed = []
        while len(self._items) >= self.limit:
            victim = next((item for item in self._items if not has_keyword_evidence(item[0])), self._items[0])
            self._items.remove(victim)
            shed.append(victim)
        self._items.append((seg, received_s))
        self._ready.set()
        return shed

    async def get(self) -> tuple[Any, float]:
        while not self._items:
            self._ready.clear()
            await self._ready.wait()
        return self._items.popleft()
