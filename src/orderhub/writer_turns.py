"""Whose turn it is to write to SQLite, among the requests of all server processes.

SQLite has one writer at a time. Inside a process, writers queue on an asyncio lock.
Across processes, a process that finds SQLite's lock taken can only try again later, and
polling from the event loop either sleeps past the moment the lock frees (leaving it idle)
or burns CPU trying. So the processes also take turns on an flock of a file beside the
database: a process keeps it while it has writers queued (up to `MAX_TURN` in a row, so
the other processes are not starved), and the kernel wakes the next waiting process the
moment it is released. A process waits for its turn in a worker thread, so its event loop
goes on serving reads. The CLI and jobs do not take turns here; a request that meets one of
them waits for SQLite's lock by polling (Database.request_transaction).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

try:
    import fcntl
except ImportError:  # Windows has no flock: the processes only poll SQLite's lock.
    fcntl = None  # type: ignore[assignment]

MAX_TURN = 32


class WriterTurns:
    def __init__(self, lock_path: str | None) -> None:
        self._in_process = asyncio.Lock()
        self._queued = 0
        self._fd = (
            os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
            if lock_path and fcntl is not None
            else None
        )
        self._held = False
        self._run = 0

    @asynccontextmanager
    async def turn(self) -> AsyncIterator[None]:
        """Run the body as this server's only SQLite writer."""
        self._queued += 1
        try:
            await self._in_process.acquire()
        finally:
            self._queued -= 1
        try:
            if self._fd is not None and not self._held:
                await self._take_file_lock()
                self._held, self._run = True, 0
            self._run += 1
            yield
        finally:
            if self._held and (self._queued == 0 or self._run >= MAX_TURN):
                fcntl.flock(self._fd, fcntl.LOCK_UN)
                self._held = False
            self._in_process.release()

    async def _take_file_lock(self) -> None:
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            pass
        waiting = asyncio.get_running_loop().run_in_executor(
            None, fcntl.flock, self._fd, fcntl.LOCK_EX
        )
        try:
            await asyncio.shield(waiting)
        except asyncio.CancelledError:
            # The thread still gets the lock. Wait for it and give it back before this
            # writer leaves its turn, so that no second waiter of this process ever
            # shares the lock file's descriptor with a thread about to release it.
            with contextlib.suppress(asyncio.CancelledError):
                await waiting
            if waiting.done() and not waiting.cancelled() and waiting.exception() is None:
                fcntl.flock(self._fd, fcntl.LOCK_UN)
            raise

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
