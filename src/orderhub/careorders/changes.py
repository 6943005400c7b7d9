"""Moving change requests through their state table, and settling their orders' status.

Shared by the worker (scheduling, applying) and by a client's withdrawal (a request):
each move of a change is a conditional update with its history row and its webhook
event in the caller's transaction; an order's status is derived from its changes'.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Row, bindparam, select, update
from sqlalchemy.orm import Session

from orderhub.careorders import states
from orderhub.careorders.service import CARE_ORDERS, CHANGES, owner
from orderhub.ids import iso_z
from orderhub.ledger import service as ledger
from orderhub.ledger.states import Channel
from orderhub.webhooks import service as webhooks

# Where a transaction notes the changes it finished, by outcome, for /metrics.
_FINISHED = "orderhub.care_finished"

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


def lock_owners(session: Session, partner_ids: Iterable[str]) -> None:
    """Take the outbox locks this transaction will need, all at once and in one order:
    taken one by one as events are published, two workers whose batches span the same
    partners in different orders would deadlock."""
    webhooks.take_turns(session, (owner(partner_id) for partner_id in partner_ids))


def finished_counts(session: Session) -> Counter[str]:
    """The changes this transaction finished, by outcome (and forgets them): counted in
    /metrics once it has committed."""
    return session.info.pop(_FINISHED, Counter())


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
    if final:
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
