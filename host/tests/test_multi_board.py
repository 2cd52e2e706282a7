"""One daemon, several boards: state per board, a shared bounded worker pool, the overload
policy, and (when built) two real simulators."""
import asyncio
import io
import re
import subprocess
import wave
from types import SimpleNamespace

import numpy as np
import pytest
from rich.console import Console

from scamguard.daemon.fakeboard import FakeBoard, FakeEngine
from scamguard.daemon.overload import SegmentQueue
from scamguard.daemon.runner import serve
from scamguard.daemon.service import ServiceOptions
from scamguard.daemon.timeline import Timeline
from scamguard.daemon.transport import SerialTransport
from scamguard.simulate import DEFAULT_SIM


def quiet_timeline():
    return Timeline(console=Console(file=io.StringIO(), width=200))


def run_boards(boards, engine, options=None, workers=1):
    async def main():
        stop = asyncio.Event()
        task = asyncio.create_task(serve([SerialTransport(str(b.link_path)) for b in boards], engine,
                                         quiet_timeline(), stop, workers=workers, options=options))
        for b in boards:
            b.start()
        loop = asyncio.get_running_loop()
        await asyncio.gather(*(loop.run_in_executor(None, b.done.wait, 30) for b in boards))
        await asyncio.sleep(0.3)
        stop.set()
        return await task

    return asyncio.run(main())


def test_three_boards_keep_separate_state(tmp_path):
    # speed 4: three boards, their threads and the daemon share one interpreter (and its GIL)
    boards = [FakeBoard(tmp_path / f"tty{i}", segments=4 + i, speed=4) for i in range(3)]
    engine = FakeEngine()
    services = run_boards(boards, engine)
    assert sorted(len(c.segments) for c in engine.calls) == [4, 5, 6]  # one call per board
    for b, svc in zip(boards, services):
        s = svc.stats()
        assert b.frames_undeliverable == 0
        assert s["segments_done"] == b.segments_sent and s["seq_gaps"] == 0 and s["segments_shed"] == 0
        assert [v.segment_id for v in b.verdicts] == list(range(b.segments_sent))
        assert svc._call.segments == list(range(b.segments_sent))  # the vote window saw only this board


def test_boards_do_not_depend_on_the_default_executor(tmp_path):
    # Each board keeps a blocking read in flight all the time. On asyncio's default executor
    # (6 threads on a 2-core machine) boards starved as soon as other code held those threads
    # (bench-load's six simulator waits served zero segments). Here the default executor has
    # one thread and something else holds it: every board must still be served.
    import threading
    from concurrent.futures import ThreadPoolExecutor

    boards = [FakeBoard(tmp_path / f"tty{i}", segments=3, speed=4) for i in range(3)]
    engine = FakeEngine()

    async def main():
        loop = asyncio.get_running_loop()
        loop.set_default_executor(ThreadPoolExecutor(max_workers=1))
        held = threading.Event()
        holder = loop.run_in_executor(None, held.wait, 60)
        stop = asyncio.Event()
        task = asyncio.create_task(serve([SerialTransport(str(b.link_path)) for b in boards], engine,
                                         quiet_timeline(), stop))
        for b in boards:
            b.start()
        try:
            for b in boards:
                while not b.done.is_set():
                    await asyncio.sleep(0.05)
            await asyncio.sleep(0.3)
        finally:
            stop.set()
            held.set()
        await holder
        return await task

    services = asyncio.run(asyncio.wait_for(main(), 30))
    for b, svc in zip(boards, services):
        assert svc.stats()["segments_done"] == b.segments_sent == 3


def test_overload_sheds_and_counts_every_segment(tmp_path):
    boards = [FakeBoard(tmp_path / f"tty{i}", segments=12, speed=5, tail_s=3) for i in range(2)]
    # 2 boards x 5 segments/s offered, ~3 segments/s of capacity: must shed
    services = run_boards(boards, FakeEngine(delay_s=0.3), ServiceOptions(queue_limit=2))
    shed = 0
    for b, svc in zip(boards, services):
        s = svc.stats()
        shed += s["segments_shed"]
        assert b.frames_undeliverable == 0 and s["segments_lost"] == 0
        assert b.segments_sent == s["segments_done"] + s["segments_shed"]
        # the newest segment is never shed: the last one always gets a verdict
        assert b.verdicts and b.verdicts[-1].segment_id == b.segments_sent - 1
    assert shed > 0


def test_queue_policy_sheds_oldest_without_keyword_hits_first():
    seg = lambda i, kws=0: SimpleNamespace(segment_id=i, kws_hits=kws, flags=0)  # noqa: E731
    q = SegmentQueue(3)
    assert q.put(seg(1, kws=2), 0) == [] and q.put(seg(2), 0) == [] and q.put(seg(3), 0) == []
    assert [s.segment_id for s, _ in q.put(seg(4), 0)] == [2]  # 1 had keyword hits: kept
    assert [s.segment_id for s, _ in q.put(seg(5, kws=1), 0)] == [3]
    assert [s.segment_id for s, _ in q.put(seg(6, kws=1), 0)] == [4]
    assert [s.segment_id for s, _ in q.put(seg(7, kws=1), 0)] == [1]  # all flagged: oldest goes
    assert q.qsize() == 3
    got = asyncio.run(q.get())[0].segment_id
    assert got == 5


@pytest.mark.skipif(not DEFAULT_SIM.exists(), reason="board simulator not built (make sim)")
def test_two_simulators_one_daemon(tmp_path):
    t = np.arange(16000 * 6) / 16000
    x = (np.sin(2 * np.pi * 440 * t) * 8000 * (np.sin(2 * np.pi * 0.5 * t) > 0)).astype("<i2")
    wav = tmp_path / "tone.wav"
    with wave.open(str(wav), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes(x.tobytes())
    procs = [subprocess.Popen([str(DEFAULT_SIM), "--wav", str(wav), "--speed", "4", "--wait-host", "10",
                               "--tail-ms", "1500"], stdout=subprocess.PIPE, text=True) for _ in range(2)]
    try:
        ptys = [re.match(r"PTY (\S+)", p.stdout.readline()).group(1) for p in procs]
        engine = FakeEngine()

        async def main():
            stop = asyncio.Event()
            loop = asyncio.get_running_loop()

            async def sims_done():
                await asyncio.gather(*(loop.run_in_executor(None, p.wait, 30) for p in procs))
                stop.set()

            waiter = asyncio.create_task(sims_done())
            services = await serve([SerialTransport(p) for p in ptys], engine, quiet_timeline(), stop)
            await waiter
            return services

        services = asyncio.run(main())
        outputs = [p.stdout.read() for p in procs]
    finally:
        for p in procs:
            if p.poll() is None:
                p.terminate()
                p.wait(5)
    for out, svc in zip(outputs, services):
        done = re.search(r"DONE .*segments=(\d+)", out)
        assert done and int(done.group(1)) == svc.stats()["segments_done"] > 0
        assert "VERDICT seg=0" in out  # verdicts went back to the right board
    assert len(engine.calls) == 2
