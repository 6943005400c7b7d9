"""Provisioning milestones: apply what the provisioning port reports, on schedule (the
worker, partner_orders/provisioning_worker.py) or at once (`advance`, for the sandbox
route, the CLI and tests).

Each status change of a sub-order or the order writes a history row, and each batch of
changes of one order publishes one `order.status_changed` event to the outbox, all in
the transaction of the change.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Row, bindparam, select, update
from sqlalchemy.orm import Session

from orderhub.adapters.provisioning import Provisioning, SubOrderState
from orderhub.errors import Conflict
from orderhub.ids import iso_z, utcnow
from orderhub.ledger import service as ledger
from orderhub.ledger.states import Channel
from orderhub.partner_orders import rules
from orderhub.partner_orders.service import PARTNER_ORDERS, SUBS, event, record
from orderhub.partner_orders.states import FINAL, PartnerOrderStatus, derived_status, transition
from orderhub.webhooks import service as webhooks

_SET_SUB_STATUS = (
    update(SUBS).where(SUBS.c.id == bindparam("b_id")).values(status=bindparam("b_status"))
)
SET_ORDER_STATUS = (
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
        SET_ORDER_STATUS,
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
