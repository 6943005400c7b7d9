"""Password and client-secret checks off the event loop, a bounded number at a time.

An argon2 check costs 20-100 ms of CPU. On the event loop it stalls every other request
for that long; in unbounded threads a burst of sign-ins queues without end and starves
the loop of CPU. So checks run on a few threads of their own (by default half the
machine's cores, leaving the rest to the loop), only so many may wait for them, and only
so many may start each second: past that, a sign-in is refused at once with 429 and
`Retry-After` instead of waiting.
The sign-in routes are admitted by a gate in front of the application
(surfaces/middleware.py), before routing, validation or database work, so a refused attempt costs
microseconds and spends no failed-attempt budget.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

from orderhub.errors import TooManyRequests

P = ParamSpec("P")
T = TypeVar("T")


# How much lower than the event loop's the hashing threads' CPU priority is (Linux nice).
HASHING_NICENESS = 10


def _yield_to_requests() -> None:
    """Lower this hashing thread's CPU priority below the event loop's: when both want
    the CPU, requests are answered first and the hash waits (on Linux a thread's nice
    value is its own; elsewhere it would apply to the whole process, so it is left)."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), HASHING_NICENESS)


class HashingBusy(TooManyRequests):
    code = "sign_in_busy"
    title = "Too many sign-ins at once"


class PasswordChecks:
    """The threads that run password hashing, and how many sign-ins may wait for them."""

    def __init__(self, *, threads: int, queue: int, per_second: float) -> None:
        self.threads = threads
        self.capacity = threads + queue
        self.admitted_now = 0
        # A token bucket: `per_second` sign-ins a second, a quarter second's worth at once.
        # The place limit bounds sign-ins in flight; this bounds how many start, so a burst
        # of guesses that fail fast (a locked account) cannot queue up work on the loop.
        self.per_second = per_second
        self.burst = max(1.0, per_second / 4)
        self._tokens = self.burst
        self._refilled = time.monotonic()
        self._pool: ThreadPoolExecutor | None = None

    def admit(self) -> None:
        """Take one of the bounded places for a sign-in (until `release`), or refuse it
        with 429 at once. The sign-in gate (surfaces/middleware.py) calls these."""
        now = time.monotonic()
        self._tokens = min(self.burst, self._tokens + (now - self._refilled) * self.per_second)
        self._refilled = now
        if self.admitted_now >= self.capacity or self._tokens < 1:
            raise HashingBusy(
                "Too many sign-ins are being checked right now; retry in a moment.",
                headers={"Retry-After": "1"},
            )
        self._tokens -= 1
        self.admitted_now += 1

    def release(self) -> None:
        self.admitted_now -= 1

    async def run(self, check: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run one hashing call on the hashing threads; the event loop goes on meanwhile."""
        if self._pool is None:
            self._pool = ThreadPoolExecutor(
                self.threads, thread_name_prefix="orderhub-hash", initializer=_yield_to_requests
            )
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, lambda: check(*args, **kwargs))

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
