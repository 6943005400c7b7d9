"""The care-order worker: schedule received change requests, apply the ones that are due.

Exactly once, with any number of workers and crashes: a line's due changes are applied
in one transaction that first locks the line (PostgreSQL skips lines another worker
holds; SQLite has one writer at a time), and each change moves out of `scheduled` with a
conditional update in that same transaction, together with its effect on the line, its
history row and its events. A worker killed mid-way leaves an uncommitted transaction,
which the database rolls back: the changes are due again, and nothing was applied.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import Row, bindparam, func, select, update
from sqlalchemy.orm import Session

from orderhub import clock, metrics, worker_loop
from orderhub.adapters.messaging import Messenger
from orderhub.careorders import states
from orderhub.careorders.apply import Refused, apply
from orderhub.careorders.service import CARE_ORDERS, CHANGES, owner
from orderhub.db import Database, serialize_on
from orderhub.ids import iso_z
from orderhub.inventory.service import SUBSCRIBERS
from orderhub.ledger import service as ledger
from orderhub.ledger.states import Channel
from orderhub.webhooks import service as webhooks

log = logging.getLogger(__name__)
# Where a transaction notes the changes it finished, by outcome, for /metrics.
_FINISHED = "orderhub.care_finished"

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
_LOCK_LINE = (
    select(SUBSCRIBERS)
    .where(SUBSCRIBERS.c.ctn == bindparam("b_ctn"))
    .with_for_update(skip_locked=True)
)
_LINE = select(SUBSCRIBERS).where(SUBSCRIBERS.c.ctn == bindparam("b_ctn"))
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
# Moves a change only from the status it was read in: the guard against applying twice.
_MOVE = (
    update(CHANGES)
    .where(CHANGES.c.id == bindparam("b_id"), CHANGES.c.status == bindparam("b_from"))
    .values(
        status=bindparam("b_to"),
        notes=bindparam("b_notes"),
        failure_code=bindparam("b_code"),
        failure_detail=bindparam("b_detail"),
        scheduled_at=bindparam("b_scheduled"),
        finished_at=bindparam("b_finished"),
        available_at=bindparam("b_available"),
        updated_at=bindparam("b_now"),
    )
)
_RETRY_LATER = (
    update(CHANGES)
    .where(CHANGES.c.id == bindparam("b_id"), CHANGES.c.status == "scheduled")
    .values(attempts=CHANGES.c.attempts + 1, available_at=bindparam("b_available"))
)
_STATUSES_OF = select(CHANGES.c.care_order_id, CHANGES.c.status).where(
    CHANGES.c.care_order_id.in_(bindparam("order_ids", expanding=True))
)
# Locked before their changes' statuses are read: two workers finishing changes of one
# order at once would otherwise each derive the status from a half-finished picture.
_LOCK_ORDERS = (
    select(CARE_ORDERS)
    .where(CARE_ORDERS.c.id.in_(bindparam("order_ids", expanding=True)))
    .order_by(CARE_ORDERS.c.id)
    .with_for_update()
)
_SET_ORDER_STATUS = (
    update(CARE_ORDERS)
    .where(CARE_ORDERS.c.id == bindparam("b_id"))
    .values(status=bindparam("b_status"), updated_at=bindparam("b_now"))
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
        for outcome, count in session.info.pop(_FINISHED, {}).items():
            metrics.CARE_CHANGES_APPLIED.labels(outcome).inc(count)
    return moved


def lock_owners(session: Session, partner_ids: Iterable[str]) -> None:
    """Take the outbox locks this transaction will need, all at once and in one order:
    taken one by one as events are published, two workers whose batches span the same
    partners in different orders would deadlock."""
    for partner_id in sorted(set(partner_ids)):
        serialize_on(session, f"outbox:{owner(partner_id)}")


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
    if session.execute(_LOCK_LINE, {"b_ctn": ctn}).first() is None:
        return 0  # another worker is applying this line's changes right now
    if session.execute(_RECEIVED_ON_LINE, {"b_ctn": ctn}).first() is not None:
        return 0  # an earlier change is still to be scheduled (next cycle)
    due = session.execute(_DUE_OF_LINE, {"b_ctn": ctn, "now": now}).all()
    # Locks a change may take, before any is taken (devices first, then the outbox, as
    # everywhere): see lock_owners.
    for imei in sorted({(c.payload.get("device") or {}).get("imei") for c in due} - {None}):
        serialize_on(session, f"device:{imei}")
    lock_owners(session, (c.partner_id for c in due))
    done = 0
    orders = set()
    for change in due:
        if change.available_at > now:
            break  # waiting to be retried: the line's later changes wait behind it
        line = session.execute(_LINE, {"b_ctn": ctn}).one()  # as the last change left it
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


def move(
    session: Session,
    change: Row,
    target: str,
    *,
    now: datetime,
    available: datetime | None = None,
    notes: list[str] | None = None,
    code: str | None = None,
    detail: str | None = None,
    actor: str = "worker",
) -> None:
    """Move one change (checked against the change state table), record it in its order's
    history and publish it."""
    states.check_change(change.status, target)
    final = target in states.FINAL
    moved = session.execute(
        _MOVE,
        {
            "b_id": change.id,
            "b_from": change.status,
            "b_to": target,
            "b_notes": notes if notes is not None else change.notes,
            "b_code": code,
            "b_detail": detail,
            "b_scheduled": now if target == "scheduled" else change.scheduled_at,
            "b_finished": now if final else None,
            "b_available": available or change.available_at,
            "b_now": now,
        },
    ).rowcount
    if moved != 1:  # cannot happen under the line lock; refuse to publish a false event
        raise RuntimeError(f"care change {change.id} was moved by someone else")
    if final:  # counted in /metrics once the transaction commits (process_due)
        session.info.setdefault(_FINISHED, Counter())[target] += 1
    ledger.record(
        session,
        order_id=change.care_order_id,
        type="care_change.status_changed",
        actor=actor,
        at=now,
        subject_id=change.id,
        from_status=change.status,
        to_status=target,
        data={"ctn": change.ctn, "type": change.type, **({"failure": code} if code else {})},
    )
    webhooks.publish(
        session,
        owner=owner(change.partner_id),
        type="care_change.status_changed",
        subject=change.id,
        data={
            "careOrderId": change.care_order_id,
            "changeId": change.id,
            "changeRequestId": change.change_request_id,
            "ctn": change.ctn,
            "type": change.type,
            "status": target,
            "previousStatus": change.status,
            "dueAt": iso_z(change.due_at),
            "failure": {"code": code, "detail": detail} if code else None,
            "changedAt": iso_z(now),
        },
    )


def settle_orders(
    session: Session, order_ids: Iterable[str], now: datetime, *, actor: str = "worker"
) -> None:
    """Derive each order's status from its changes'; record and publish the orders that
    moved."""
    ids = sorted(order_ids)
    if not ids:
        return
    orders = session.execute(_LOCK_ORDERS, {"order_ids": ids}).all()
    statuses: dict[str, list[str]] = {}
    for row in session.execute(_STATUSES_OF, {"order_ids": ids}):
        statuses.setdefault(row.care_order_id, []).append(row.status)
    for order in orders:
        status = states.order_status(statuses[order.id])
        if status == order.status:
            continue
        states.ORDER_LIFECYCLE.check(order.status, status)
        session.execute(_SET_ORDER_STATUS, {"b_id": order.id, "b_status": status, "b_now": now})
        ledger.move(
            session,
            order_id=order.id,
            channel=Channel.CARE,
            status=status,
            previous=order.status,
            at=now,
        )
        ledger.record(
            session,
            order_id=order.id,
            type="care_order.status_changed",
            actor=actor,
            at=now,
            from_status=order.status,
            to_status=status,
        )
        webhooks.publish(
            session,
            owner=owner(order.partner_id),
            type="care_order.status_changed",
            subject=order.id,
            data={
                "careOrderId": order.id,
                "status": status,
                "previousStatus": order.status,
                "changedAt": iso_z(now),
            },
        )


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
