"""SQLite writers take turns: one at a time in a process, one process at a time."""

from __future__ import annotations

import asyncio
import fcntl
import os
import time

import pytest

from orderhub.writer_turns import MAX_TURN, WriterTurns


def test_writers_of_one_process_never_overlap(tmp_path):
    turns = WriterTurns(str(tmp_path / "db-writers.lock"))
    inside, most = 0, 0

    async def writer() -> None:
        nonlocal inside, most
        async with turns.turn():
            inside += 1
            most = max(most, inside)
            await asyncio.sleep(0.001)
            inside -= 1

    async def main() -> None:
        await asyncio.gather(*(writer() for _ in range(50)))

    asyncio.run(main())
    turns.close()
    assert most == 1


def _held_elsewhere(path: str) -> int:
    """Another open file description on the lock file, as another process would have."""
    fd = os.open(path, os.O_RDWR)
    fcntl.flock(fd, fcntl.LOCK_EX)
    return fd


def test_a_process_waits_for_another_without_blocking_its_loop(tmp_path):
    path = str(tmp_path / "db-writers.lock")
    turns = WriterTurns(path)
    other = _held_elsewhere(path)
    ticks = 0

    async def main() -> float:
        nonlocal ticks

        async def reader() -> None:  # a read request served meanwhile
            nonlocal ticks
            for _ in range(20):
                ticks += 1
                await asyncio.sleep(0.005)

        async def let_go() -> None:
            await asyncio.sleep(0.1)
            fcntl.flock(other, fcntl.LOCK_UN)

        async def write() -> float:
            async with turns.turn():
                return time.monotonic()

        start = time.monotonic()
        got, *_ = await asyncio.gather(write(), reader(), let_go())
        return got - start

    waited = asyncio.run(main())
    os.close(other)
    turns.close()
    assert waited >= 0.09
    assert ticks == 20


def test_the_file_lock_is_released_when_the_process_has_no_writer_left(tmp_path):
    path = str(tmp_path / "db-writers.lock")
    turns = WriterTurns(path)

    async def one() -> None:
        async with turns.turn():
            pass

    asyncio.run(one())
    probe = os.open(path, os.O_RDWR)
    fcntl.flock(probe, fcntl.LOCK_EX | fcntl.LOCK_NB)  # would raise if still held
    os.close(probe)
    turns.close()


def test_a_long_queue_gives_the_file_lock_up_after_a_full_turn(tmp_path):
    path = str(tmp_path / "db-writers.lock")
    turns = WriterTurns(path)
    released_at = []

    async def writer(index: int) -> None:
        async with turns.turn():
            await asyncio.sleep(0)  # the others queue meanwhile
        if not turns._held:
            released_at.append(index)

    async def main() -> None:
        await asyncio.gather(*(writer(i) for i in range(MAX_TURN * 2 + 5)))

    asyncio.run(main())
    turns.close()
    assert released_at == [MAX_TURN - 1, 2 * MAX_TURN - 1, 2 * MAX_TURN + 4]


def test_a_writer_cancelled_while_waiting_leaves_the_lock_free(tmp_path):
    path = str(tmp_path / "db-writers.lock")
    turns = WriterTurns(path)
    other = _held_elsewhere(path)

    async def main() -> None:
        async def write() -> None:
            async with turns.turn():
                pass

        waiting = asyncio.create_task(write())
        await asyncio.sleep(0.05)
        waiting.cancel()
        await asyncio.sleep(0.05)
        # The cancelled writer holds its turn until its thread has the lock back in hand.
        assert not waiting.done()
        fcntl.flock(other, fcntl.LOCK_UN)
        with pytest.raises(asyncio.CancelledError):
            await asyncio.wait_for(waiting, timeout=2)
        probe = os.open(path, os.O_RDWR)
        fcntl.flock(probe, fcntl.LOCK_EX | fcntl.LOCK_NB)  # released: free for anyone
        os.close(probe)
        await asyncio.wait_for(write(), timeout=2)

    asyncio.run(main())
    os.close(other)
    turns.close()
