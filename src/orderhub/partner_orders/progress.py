"""Provisioning milestones: apply what the provisioning port reports, on schedule (the
worker loop) or at once (`advance`, for the sandbox route, the CLI and tests).

Each status change of a sub-order or the order writes a history row, and each batch of
changes of one order publishes one `order.status_changed` event to the outbox, all in
the transaction of the change.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Row, bindparam, select, update
from sqlalchemy.orm import Session

from orderhub import worker_loop
from orderhub.adapters.provisioning import Provisioning, SubOrderState
from orderhub.db import Database
from orderhub.errors import Conflict, OrderHubError
from orderhub.ids import iso_z, utcnow
from orderhub.ledger import service as ledger
from orderhub.ledger.states import Channel
from orderhub.partner_orders import rules
from orderhub.partner_orders.service import PARTNER_ORDERS, SUBS, event, record
from orderhub.partner_orders.states import FINAL, PartnerOrderStatus, derived_status, transition
from orderhub.webhooks import service as webhooks

log = logging.getLogger(__name__)

BATCH = 20
# A check that fails is tried again this much later.
RETRY_SECONDS = 60

_ANY_DUE = (
    select(PARTNER_ORDERS.c.id)
    .where(PARTNER_ORDERS.c.provisioning_due_at <= bindparam("now"))
    .limit(1)
)
# Several workers may run: each claims due orders it alone holds (PostgreSQL skips rows
# another has locked; SQLite's single writer runs one claim at a time), and moves their
# due time before it commits, so no order is advanced twice for one step.
_DUE = (
    select(PARTNER_ORDERS)
    .where(PARTNER_ORDERS.c.provisioning_due_at <= bindparam("now"))
    .order_by(PARTNER_ORDERS.c.provisioning_due_at, PARTNER_ORDERS.c.id)
    .limit(bindparam("limit"))
    .with_for_update(skip_locked=True)
)
_SUBS_OF_ORDERS = (
    select(SUBS)
    .where(SUBS.c.order_id.in_(bindparam("order_ids", expanding=True)))
    .order_by(SUBS.c.order_id, SUBS.c.position)
)
_SET_SUB_STATUS = (
    update(SUBS).where(SUBS.c.id == bindparam("b_id")).values(status=bindparam("b_status"))
)
_SET_ORDER_STATUS = (
    update(PARTNER_ORDERS)
    .where(PARTNER_ORDERS.c.id == bindparam("b_id"))
    .values(
        status=bindparam("b_status"),
        provisioning_due_at=bindparam("b_due"),
        updated_at=bindparam("b_now"),
    )
)
_LOCK_ANY = (
    select(PARTNER_ORDERS).where(PARTNER_ORDERS.c.id == bindparam("order_id")).with_for_update()
)
_SUBS_OF = select(SUBS).where(SUBS.c.order_id == bindparam("order_id")).order_by(SUBS.c.position)


class OrderNotInProvisioning(Conflict):
    code = "order_not_in_provisioning"
    title = "Order is not being provisioned"


def premise_notes(sub: Any, order: Any) -> str | None:
    chosen = rules.effective(sub.installation, order.installation)
    return (chosen or {}).get("premiseNotes")


def apply(
    session: Session,
    *,
    order: Any,
    sub_orders: list[Any],
    reached: dict[str, tuple[str, str | None]],
    actor: str,
    now: datetime,
    due_at: datetime | None,
) -> PartnerOrderStatus:
    """Move sub-orders to the statuses reached (by id: status, note) through the state
    table, derive the order's status, write the history and publish one event."""
    events, sub_updates, statuses = [], [], {}
    for sub in sub_orders:
        target, note = reached.get(sub.id, (sub.status, None))
        statuses[sub.id] = sub.status
        if target != sub.status:
            statuses[sub.id] = transition(sub.status, target)
            sub_updates.append({"b_id": sub.id, "b_status": statuses[sub.id]})
            events.append(
                event(
                    order.id,
                    "sub_order.status_changed",
                    actor=actor,
                    now=now,
                    sub_order_id=sub.id,
                    from_status=sub.status,
                    to_status=statuses[sub.id],
                    note=note,
                )
            )
    status = derived_status(statuses.values())
    if status != order.status:
        transition(order.status, status)
        events.append(
            event(
                order.id,
                "order.status_changed",
                actor=actor,
                now=now,
                from_status=order.status,
                to_status=status,
            )
        )
    if sub_updates:
        session.execute(_SET_SUB_STATUS, sub_updates)
    session.execute(
        _SET_ORDER_STATUS,
        {
            "b_id": order.id,
            "b_status": status,
            "b_due": None if status in FINAL else due_at,
            "b_now": now,
        },
    )
    if status != order.status:
        ledger.move(
            session,
            order_id=order.id,
            channel=Channel.PARTNER,
            status=status,
            previous=order.status,
            at=now,
            submitted=status == PartnerOrderStatus.SUBMITTED,
        )
    record(session, events)
    if events:
        webhooks.publish(
            session,
            owner=f"partner:{order.partner_id}",
            type="order.status_changed",
            subject=order.id,
            data={
                "orderId": order.id,
                "status": status,
                "previousStatus": order.status,
                "changedAt": iso_z(now),
                "subOrders": [
                    {
                        "id": sub.id,
                        "status": statuses[sub.id],
                        "previousStatus": sub.status,
                        "note": reached.get(sub.id, (None, None))[1],
                    }
                    for sub in sub_orders
                ],
            },
        )
    return status


def check(
    session: Session,
    *,
    order: Any,
    sub_orders: list[Any],
    provisioning: Provisioning,
    actor: str,
    now: datetime,
) -> PartnerOrderStatus:
    """Ask the provisioning port what the order reached, and apply it; the next check is
    scheduled from `now` (the worker's clock, which tests set)."""
    found = provisioning.check(
        reference=order.provisioning_reference,
        sub_orders=[SubOrderState(s.id, s.status, premise_notes(s, order)) for s in sub_orders],
    )
    return apply(
        session,
        order=order,
        sub_orders=sub_orders,
        reached={m.sub_order_id: (m.status, m.note) for m in found.milestones},
        actor=actor,
        now=now,
        due_at=None
        if found.check_in_seconds is None
        else now + timedelta(seconds=found.check_in_seconds),
    )


def advance(session: Session, *, order: Row, provisioning: Provisioning, actor: str) -> None:
    """The next milestones now, whatever the schedule (sandbox route, CLI, tests)."""
    if order.status == PartnerOrderStatus.DRAFT or order.status in FINAL:
        raise OrderNotInProvisioning(
            f"The order is '{order.status}': only a submitted order that is not final advances.",
            extra={"currentStatus": order.status},
        )
    subs = list(session.execute(_SUBS_OF, {"order_id": order.id}))
    check(
        session,
        order=order,
        sub_orders=subs,
        provisioning=provisioning,
        actor=actor,
        now=utcnow(),
    )


def lock_any(session: Session, *, order_id: str) -> Row | None:
    """Any partner's order, locked (operations: the CLI)."""
    return session.execute(_LOCK_ANY, {"order_id": order_id}).first()


def apply_due(session: Session, *, provisioning: Provisioning, now: datetime) -> int:
    """Check every order whose provisioning check is due (up to a batch)."""
    due = session.execute(_DUE, {"now": now, "limit": BATCH}).all()
    if not due:
        return 0
    subs: dict[str, list[Row]] = {o.id: [] for o in due}
    for sub in session.execute(_SUBS_OF_ORDERS, {"order_ids": list(subs)}):
        subs[sub.order_id].append(sub)
    for order in due:
        try:
            # One savepoint per order: whatever goes wrong with one order (a move a state
            # table refuses, the port failing) undoes only its own writes; the batch goes on.
            with session.begin_nested():
                check(
                    session,
                    order=order,
                    sub_orders=subs[order.id],
                    provisioning=provisioning,
                    actor="provisioning",
                    now=now,
                )
        except Exception as exc:
            # Logged and asked again a minute later, not fatal.
            expected = isinstance(exc, OrderHubError)
            log.log(
                logging.WARNING if expected else logging.ERROR,
                "provisioning update for order %s failed (%s); retried in %ds",
                order.id,
                type(exc).__name__,
                RETRY_SECONDS,
                exc_info=not expected,
            )
            session.execute(
                _SET_ORDER_STATUS,
                {
                    "b_id": order.id,
                    "b_status": order.status,
                    "b_due": now + timedelta(seconds=RETRY_SECONDS),
                    "b_now": now,
                },
            )
    return len(due)


async def run(
    database: Database, provisioning: Provisioning, *, poll_seconds: float, stop: asyncio.Event
) -> None:
    """Apply due milestones until `stop` is set (worker_loop.run: failures logged)."""

    async def cycle() -> int:
        now = utcnow()
        async with database.request_transaction(write=False) as session:
            if session.execute(_ANY_DUE, {"now": now}).first() is None:
                return 0
        async with database.request_transaction(write=True) as session:
            return apply_due(session, provisioning=provisioning, now=now)

    await worker_loop.run("provisioning", cycle, poll_seconds=poll_seconds, stop=stop)
