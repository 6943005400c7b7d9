"""Waiting for the outbox's global stream in tests.

On PostgreSQL an event joins the stream (webhooks/stream.py) once every transaction that
was writing when it was written has ended, in any database of the server: with tests
running in parallel, another test's CREATE DATABASE can hold it back for a moment. So a
test that expects an event to have been dispatched, or polled by operations, waits for it
here (bounded) rather than assuming it is there at once.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from orderhub.db import Database
from orderhub.ids import utcnow
from orderhub.webhooks import dispatch, stream

TIMEOUT_SECONDS = 30.0


def eventually(check: Callable[[], Any], what: str) -> Any:
    """`check()`'s first truthy answer, asked again until TIMEOUT_SECONDS have passed."""
    deadline = time.monotonic() + TIMEOUT_SECONDS
    while True:
        found = check()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"still waiting for {what} after {TIMEOUT_SECONDS} s")
        time.sleep(0.02)


def dispatched(database: Database, now: datetime | None = None) -> None:
    """Dispatch until every event committed so far has had its deliveries queued (as the
    worker's cycle would, with `now` as their due time)."""

    def done() -> bool:
        with database.transaction() as session:
            dispatch.dispatch(session, now=now or utcnow())
        with database.transaction(write=False) as session:
            return dispatch.undispatched(session) == 0

    eventually(done, "the dispatcher to reach the last event")


def in_stream(database: Database, count: int) -> list[Any]:
    """The global stream from its start, once it holds at least `count` events."""

    def read() -> list[Any]:
        with database.transaction(write=False) as session:
            found = stream.read(session, after=stream.START, limit=10_000)
        return found if len(found) >= count else []

    return eventually(read, f"{count} events in the stream")
