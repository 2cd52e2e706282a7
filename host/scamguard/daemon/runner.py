"""Run BoardServices for one or more transports until stopped (Ctrl-C or a stop event)."""
from __future__ import annotations

import asyncio
import signal
from concurrent.futures import ThreadPoolExecutor

from .service import BoardService, ServiceOptions
from .timeline import Timeline


async def serve(transports, engine, timeline: Timeline, stop: asyncio.Event | None = None,
                workers: int = 1, options: ServiceOptions | None = None) -> list[BoardService]:
    """Serve every transport until `stop` is set; returns the services (for their stats).

    One worker by default: ASR already uses both cores, and a second concurrent transcription
    only makes both late.
    """
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, stop.set)
        except (NotImplementedError, RuntimeError):  # not the main thread
            pass
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="detect") as pool, \
            ThreadPoolExecutor(max_workers=max(1, len(transports)), thread_name_prefix="board-io") as io_pool:
        services = [BoardService(t, engine, pool, on_segment=timeline.segment, on_console=timeline.board_log,
                                 on_status=timeline.status, options=options or ServiceOptions(), io_pool=io_pool)
                    for t in transports]
        await asyncio.gather(*(s.run(stop) for s in services))
    return services
