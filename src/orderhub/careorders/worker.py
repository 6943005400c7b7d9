"""The care-order worker: schedule received change requests, apply the ones that are due.

Exactly once, with any number of workers and crashes: a line's due changes are applied
in one transaction that first locks the line (PostgreSQL skips lines another worker
holds; SQLite has one writer at a time), and each change moves out of `scheduled` with a
conditional update in that same transaction, together with its effect on the line, its
history row and its events. A worker killed mid-way leaves an uncommitted transaction,
which the database rolls back: the changes are due again, and nothing was applied.

This module is the loop and its scheduling; moving a change and settling its order
(changes.py) are shared with a client's withdrawal, and the line's locks and writes are
the inventory's (inventory/line_changes.py).
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta

from sqlalchemy import Row, bindparam, func, select, update
from sqlalchemy.orm import Session

from orderhub import clock, metrics, worker_loop
from orderhub.adapters.messaging import Messenger
from orderhub.careorders.apply import Refused, apply
from orderhub.careorders.changes import finished_counts, lock_owners, move, settle_orders
from orderhub.careorders.service import CARE_ORDERS, CHANGES
from orderhub.db import Database
from orderhub.inventory import line_changes

log = logging.getLogger(__name__)

BATCH = 50
MAX_ATTEMPTS = 5
RETRY_BASE_SECONDS = 30.0

_RECEIVED = (
    select(CHANGES, CARE_ORDERS.c.partner_id)
    .join(CARE_ORDERS, CARE_ORDERS.c.id == CHANGES.c.care_order_id)
    .where(CHANGES.c.status == "received")
    .order_by(CHANGES.c.received_at, CHANGES.c.care_order_id, CHANGES.c.position)
    .limit(BATCH)
    .with_for_update(skip_locked=True, of=CHANGES)
)
_ANY_WORK = (
    select(CHANGES.c.id)
    .where(
        CHANGES.c.status.in_(("received", "scheduled")), CHANGES.c.available_at <= bindparam("now")
    )
    .limit(1)
)
# Lines with due changes and none waiting for a retry: a line held behind a retry would
# otherwise fill batches with work that cannot move, and keep other lines waiting.
_DUE_LINES = (
    select(CHANGES.c.ctn)
    .where(CHANGES.c.status == "scheduled", CHANGES.c.due_at <= bindparam("now"))
    .group_by(CHANGES.c.ctn)
    .having(func.max(CHANGES.c.available_at) <= bindparam("now"))
    .order_by(func.min(CHANGES.c.available_at), CHANGES.c.ctn)
    .limit(BATCH)
)
# A line waits while any of its changes is not yet scheduled (a batch boundary, or another
# worker's scheduling not committed yet): applying the later ones first would break the
# line's order.
_RECEIVED_ON_LINE = (
    select(CHANGES.c.id)
    .where(CHANGES.c.ctn == bindparam("b_ctn"), CHANGES.c.status == "received")
    .limit(1)
)
# Due by their effective time, whatever their retry time: a change waiting to be retried
# holds back the line's later changes (they must not overtake it).
_DUE_OF_LINE = (
    select(CHANGES, CARE_ORDERS.c.partner_id)
    .join(CARE_ORDERS, CARE_ORDERS.c.id == CHANGES.c.care_order_id)
    .where(
        CHANGES.c.ctn == bindparam("b_ctn"),
        CHANGES.c.status == "scheduled",
        CHANGES.c.due_at <= bindparam("now"),
    )
    .order_by(CHANGES.c.due_at, CHANGES.c.received_at, CHANGES.c.care_order_id, CHANGES.c.position)
)
_RETRY_LATER = (
    update(CHANGES)
    .where(CHANGES.c.id == bindparam("b_id"), CHANGES.c.status == "scheduled")
    .values(attempts=CHANGES.c.attempts + 1, available_at=bindparam("b_available"))
)


async def process_due(
    database: Database,
    *,
    key: bytes,
    messenger: Messenger,
    sandbox: bool,
    now: datetime | None = None,
) -> int:
    """Schedule what was received and apply what is due; returns how many changes moved."""
    async with database.request_transaction(write=False) as session:
        now = now or clock.now(session, sandbox=sandbox)
        if session.execute(_ANY_WORK, {"now": now}).first() is None:
            return 0  # the common case costs a read, not the write lock
    moved = 0
    async with database.request_transaction(write=True) as session:
        moved += schedule_received(session, now=now)
    async with database.request_transaction(write=False) as session:
        ctns = list(session.execute(_DUE_LINES, {"now": now}).scalars())
    for ctn in ctns:
        try:
            async with database.request_transaction(write=True) as session:
                moved += apply_due_on_line(session, ctn=ctn, now=now, key=key, messenger=messenger)
        except Exception as exc:  # one line's trouble must not hold up the others
            metrics.WORKER_FAILURES.labels("care").inc()
            log.error("care changes of a line failed to apply: %s", type(exc).__name__)
            continue
        for outcome, count in finished_counts(session).items():
            metrics.CARE_CHANGES_APPLIED.labels(outcome).inc(count)
    return moved


def schedule_received(session: Session, *, now: datetime) -> int:
    rows = session.execute(_RECEIVED).all()
    lock_owners(session, (row.partner_id for row in rows))
    for row in rows:
        move(session, row, "scheduled", now=now, available=row.due_at)
    settle_orders(session, {row.care_order_id for row in rows}, now)
    return len(rows)


def apply_due_on_line(
    session: Session, *, ctn: str, now: datetime, key: bytes, messenger: Messenger
) -> int:
    """Apply the line's due changes in order, if no other worker holds the line."""
    if not line_changes.try_lock_line(session, ctn=ctn):
        return 0  # another worker is applying this line's changes right now
    if session.execute(_RECEIVED_ON_LINE, {"b_ctn": ctn}).first() is not None:
        return 0  # an earlier change is still to be scheduled (next cycle)
    due = session.execute(_DUE_OF_LINE, {"b_ctn": ctn, "now": now}).all()
    # Locks a change may take, before any is taken (devices first, then the outbox, as
    # everywhere): see lock_owners.
    line_changes.lock_devices(
        session, imeis={(c.payload.get("device") or {}).get("imei") for c in due} - {None}
    )
    lock_owners(session, (c.partner_id for c in due))
    done = 0
    orders = set()
    for change in due:
        if change.available_at > now:
            break  # waiting to be retried: the line's later changes wait behind it
        line = line_changes.line(session, ctn=ctn)  # as the last change left it
        savepoint = session.begin_nested()
        try:
            notes = apply(session, change=change, line=line, now=now, key=key, messenger=messenger)
        except Refused as refused:
            savepoint.rollback()
            move(session, change, "failed", now=now, code=refused.code, detail=refused.detail)
        except Exception as exc:  # a bug or an outage: retried later, then failed
            savepoint.rollback()
            if not _retry_or_fail(session, change, now, exc):
                break  # the line's later changes wait for this one's retry
        else:
            savepoint.commit()
            move(session, change, "completed", now=now, notes=notes)
        orders.add(change.care_order_id)
        done += 1
    settle_orders(session, orders, now)
    return done


def _retry_or_fail(session: Session, change: Row, now: datetime, exc: Exception) -> bool:
    """Fail the change after its last attempt (True), or put it back for later (False)."""
    log.error("care change %s failed to apply: %s", change.id, type(exc).__name__)
    if change.attempts + 1 >= MAX_ATTEMPTS:
        move(
            session,
            change,
            "failed",
            now=now,
            code="processing_error",
            detail="The change could not be applied after several attempts.",
        )
        return True
    delay = RETRY_BASE_SECONDS * 2**change.attempts
    session.execute(
        _RETRY_LATER, {"b_id": change.id, "b_available": now + timedelta(seconds=delay)}
    )
    return False


async def run(
    database: Database,
    *,
    key: bytes,
    messenger: Messenger,
    sandbox: bool,
    poll_seconds: float,
    stop: asyncio.Event,
) -> None:
    """Process care changes until `stop` is set (worker_loop.run: failures logged)."""

    async def cycle() -> int:
        return await process_due(database, key=key, messenger=messenger, sandbox=sandbox)

    await worker_loop.run("care", cycle, poll_seconds=poll_seconds, stop=stop)
