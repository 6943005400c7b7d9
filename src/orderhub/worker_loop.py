"""The loop every background job runs in: a cycle, timed and counted; a failing cycle
logged and retried on the next poll, never fatal; a nap when there was nothing to do."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable

from orderhub import metrics

log = logging.getLogger("orderhub.worker")


async def run(
    name: str,
    cycle: Callable[[], Awaitable[int]],
    *,
    poll_seconds: float,
    stop: asyncio.Event,
) -> None:
    """Run `cycle` until `stop` is set. A cycle returns how much it did; after one that
    did nothing (or failed) the loop waits `poll_seconds` before the next."""
    while not stop.is_set():
        started = time.perf_counter()
        try:
            done = await cycle()
        except Exception as exc:  # the loop must outlive one bad cycle
            metrics.WORKER_FAILURES.labels(name).inc()
            # The type, not the message: a database error can quote a row's data.
            log.error(
                "%s cycle failed: %s",
                name,
                type(exc).__name__,
                extra={"fields": {"loop": name, "error": type(exc).__name__}},
            )
            done = 0
        metrics.WORKER_CYCLES.labels(name).observe(time.perf_counter() - started)
        if done == 0:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=poll_seconds)
