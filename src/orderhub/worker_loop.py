"""The loop every background job runs in: a cycle, timed and counted; a failing cycle
logged and retried on the next poll, never fatal; a nap when there was nothing to do."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import datetime

from sqlalchemy.orm import Session
from sqlalchemy.sql import Executable

from orderhub import metrics
from orderhub.db import Database
from orderhub.errors import OrderHubError
from orderhub.ids import utcnow

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


def due_cycle(
    database: Database, *, any_due: Executable, apply: Callable[[Session, datetime], int]
) -> Callable[[], Awaitable[int]]:
    """A cycle that asks whether anything is due with a read (the idle case, the common
    one, costs no write lock) and then applies what is due in one write transaction;
    `apply(session, now)` returns how much it did."""

    async def cycle() -> int:
        now = utcnow()
        async with database.request_transaction(write=False) as session:
            if session.execute(any_due, {"now": now}).first() is None:
                return 0
        async with database.request_transaction(write=True) as session:
            return apply(session, now)

    return cycle


def log_retry(
    logger: logging.Logger, what: str, item_id: str, exc: Exception, seconds: float
) -> None:
    """One item of a batch failed and is tried again later, not fatal: a business refusal
    is a warning, anything else an error with its traceback."""
    expected = isinstance(exc, OrderHubError)
    logger.log(
        logging.WARNING if expected else logging.ERROR,
        "%s for order %s failed (%s); retried in %ds",
        what,
        item_id,
        type(exc).__name__,
        seconds,
        exc_info=not expected,
    )
