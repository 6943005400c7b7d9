"""Moving an order along its state table after submission, and cancelling it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Row, bindparam, update
from sqlalchemy.orm import Session

from orderhub.ids import utcnow
from orderhub.inventory import service as inventory
from orderhub.ledger import service as ledger
from orderhub.ledger.states import STATES, Channel, common_state
from orderhub.numbers import service as numbers
from orderhub.orders.service import ORDERS
from orderhub.orders.states import LIFECYCLE, OrderStatus, transition

# Submission has its own use case (orders/submit.py) with its checks; these are the
# moves made after it, by operations or by a customer's cancellation.
OPERATOR_TARGETS = frozenset(
    {OrderStatus.IN_FULFILLMENT, OrderStatus.COMPLETED, OrderStatus.REJECTED, OrderStatus.CANCELLED}
)
# Statuses after which the order's numbers go back to the pool.
RELEASES_NUMBERS = frozenset({OrderStatus.CANCELLED, OrderStatus.REJECTED})

_SET_STATUS = (
    update(ORDERS)
    .where(ORDERS.c.id == bindparam("order_id"))
    .values(
        status=bindparam("new_status"),
        state=bindparam("new_state"),
        updated_at=bindparam("now"),
        completed_at=bindparam("b_completed"),
        fulfillment_due_at=bindparam("b_due"),
    )
    .returning(*ORDERS.c)
)


def change_status(
    session: Session,
    *,
    order: Row,
    target: OrderStatus,
    actor: str,
    reason: str | None = None,
    now: datetime | None = None,
) -> Row:
    """Apply one transition of the table (409 otherwise) and record it. A final status
    ends the order's fulfillment schedule; any other keeps it (orders/progress.py)."""
    if target not in OPERATOR_TARGETS:
        raise LIFECYCLE.refusal(
            f"'{target}' is not set directly; orders are submitted through submission.",
            current=order.status,
            target=target,
        )
    previous = order.status
    status = transition(order.status, target)
    state = common_state(Channel.DIRECT, status)
    final = STATES.is_final(state)
    now = now or utcnow()
    changed = session.execute(
        _SET_STATUS,
        {
            "order_id": order.id,
            "new_status": status,
            "new_state": state,
            "now": now,
            "b_completed": now if final else None,
            "b_due": None if final else order.fulfillment_due_at,
        },
    ).one()
    ledger.announce_move(
        session,
        order_id=order.id,
        channel=Channel.DIRECT,
        owner=order.owner,
        status=status,
        previous=previous,
        at=now,
    )
    if target == OrderStatus.COMPLETED:
        # Fulfilled: the lines the order sold go live.
        inventory.activate_lines(session, order_id=order.id, actor=actor)
    if target in RELEASES_NUMBERS:
        # The lines were never activated: they leave the inventory with their numbers.
        inventory.remove_preactive_lines(session, order_id=order.id)
        numbers.release(session, order_id=order.id)
    ledger.record(
        session,
        order_id=order.id,
        type=f"order.{target}",
        actor=actor,
        at=now,
        from_status=previous,
        to_status=status,
        data={"from": previous, "to": str(target)} | ({"reason": reason} if reason else {}),
    )
    return changed


def cancel_by_customer(session: Session, *, order: Row, actor: str) -> Row:
    """A customer cancels a draft or submitted order; once it ships, care must do it."""
    if order.status == OrderStatus.IN_FULFILLMENT:
        raise LIFECYCLE.refusal(
            "The order is being fulfilled; contact care to cancel it.", current=order.status
        )
    return change_status(
        session,
        order=order,
        target=OrderStatus.CANCELLED,
        actor=actor,
        reason="cancelled by customer",
    )
