"""Withdrawing a care order: its change requests not applied yet are cancelled.

Serialized with the worker by the lines' row locks, taken in the worker's lock order
(lines, then outbox, then the care order), so a change is either applied or cancelled,
never both, and the two never deadlock.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Row, bindparam, select
from sqlalchemy.orm import Session

from orderhub.careorders import states
from orderhub.careorders.changes import lock_owners, move, settle_orders
from orderhub.careorders.service import CARE_ORDERS, CHANGES, get_for_partner
from orderhub.errors import Conflict
from orderhub.inventory import line_changes

_PENDING_LINES = (
    select(CHANGES.c.ctn)
    .where(
        CHANGES.c.care_order_id == bindparam("b_id"),
        CHANGES.c.status.in_(tuple(states.PENDING)),
    )
    .distinct()
)
_PENDING = (
    select(CHANGES, CARE_ORDERS.c.partner_id)
    .join(CARE_ORDERS, CARE_ORDERS.c.id == CHANGES.c.care_order_id)
    .where(
        CHANGES.c.care_order_id == bindparam("b_id"),
        CHANGES.c.status.in_(tuple(states.PENDING)),
    )
    .order_by(CHANGES.c.position)
)


class NothingToWithdraw(Conflict):
    code = "care_order_final"
    title = "Nothing left to withdraw"


def withdraw(
    session: Session, *, partner_id: str, care_order_id: str, now: datetime
) -> tuple[Row, list[Row]]:
    """Cancel the order's changes that are not applied yet (409 if none is left)."""
    order, _ = get_for_partner(session, partner_id=partner_id, care_order_id=care_order_id)
    ctns = list(session.execute(_PENDING_LINES, {"b_id": order.id}).scalars())
    line_changes.lock_lines(session, ctns=ctns)  # waits for a worker applying them
    pending = session.execute(_PENDING, {"b_id": order.id}).all()  # as the worker left them
    if not pending:
        raise NothingToWithdraw(
            "Every change request of this care order has already been applied or ended.",
            extra={"currentStatus": order.status},
        )
    lock_owners(session, [partner_id])
    actor = f"partner:{partner_id}"
    for change in pending:
        move(session, change, "cancelled", now=now, notes=["Withdrawn by the client."], actor=actor)
    settle_orders(session, [order.id], now, actor=actor)
    return get_for_partner(session, partner_id=partner_id, care_order_id=care_order_id)
