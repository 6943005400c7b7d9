"""Password and client-secret checks off the event loop, a bounded number at a time.

An argon2 check costs 20-100 ms of CPU. On the event loop it stalls every other request
for that long; in unbounded threads a burst of sign-ins queues without end and starves
the loop of CPU. So checks run on a few threads of their own (by default half the
machine's cores, leaving the rest to the loop), and only so many may wait for them: past
that, a sign-in is refused at once with 429 and `Retry-After` instead of waiting.
The sign-in routes are admitted by a gate in front of the application
(surfaces/middleware.py), before any parsing or database work, so a refused attempt costs
microseconds and spends no failed-attempt budget.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

from orderhub.errors import TooManyRequests

P = ParamSpec("P")
T = TypeVar("T")


class HashingBusy(TooManyRequests):
    code = "sign_in_busy"
    title = "Too many sign-ins at once"


class PasswordChecks:
    """The threads that run password hashing, and how many sign-ins may wait for them."""

    def __init__(self, *, threads: int, queue: int) -> None:
        self.threads = threads
        self.capacity = threads + queue
        self.admitted_now = 0
        self._pool: ThreadPoolExecutor | None = None

    def admit(self) -> None:
        """Take one of the bounded places for a sign-in (until `release`), or refuse it
        with 429 at once. The sign-in gate (surfaces/middleware.py) calls these."""
        if self.admitted_now >= self.capacity:
            raise HashingBusy(
                "Too many sign-ins are being checked right now; retry in a moment.",
                headers={"Retry-After": "1"},
            )
        self.admitted_now += 1

    def release(self) -> None:
        self.admitted_now -= 1

    async def run(self, check: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run one hashing call on the hashing threads; the event loop goes on meanwhile."""
        if self._pool is None:
            self._pool = ThreadPoolExecutor(self.threads, thread_name_prefix="orderhub-hash")
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, lambda: check(*args, **kwargs))

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
