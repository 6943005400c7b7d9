"""Moving an order along its state table after submission, and cancelling it."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import Session

from orderhub.ids import utcnow
from orderhub.numbers.models import PhoneNumber
from orderhub.orders.models import Order
from orderhub.orders.service import record_event
from orderhub.orders.states import InvalidTransition, OrderStatus, transition

# Submission has its own use case (orders/submit.py) with its checks; these are the
# moves made after it, by operations or by a customer's cancellation.
OPERATOR_TARGETS = frozenset(
    {OrderStatus.IN_FULFILLMENT, OrderStatus.COMPLETED, OrderStatus.REJECTED, OrderStatus.CANCELLED}
)
# Statuses after which the order's numbers go back to the pool.
RELEASES_NUMBERS = frozenset({OrderStatus.CANCELLED, OrderStatus.REJECTED})


def change_status(
    session: Session, *, order: Order, target: OrderStatus, actor: str, reason: str | None = None
) -> Order:
    """Apply one transition of the table (409 otherwise) and record it."""
    if target not in OPERATOR_TARGETS:
        raise InvalidTransition(
            f"'{target}' is not set directly; orders are submitted through submission.",
            extra={"currentStatus": order.status, "requestedStatus": str(target)},
        )
    previous = order.status
    order.status = transition(order.status, target)
    order.updated_at = utcnow()
    if target in RELEASES_NUMBERS:
        session.execute(
            update(PhoneNumber)
            .where(PhoneNumber.order_id == order.id)
            .values(
                status="available",
                order_id=None,
                item_id=None,
                reserved_until=None,
                updated_at=order.updated_at,
            )
            .execution_options(synchronize_session=False)
        )
    record_event(
        session,
        order_id=order.id,
        type=f"order.{target}",
        actor=actor,
        data={"from": previous, "to": str(target)} | ({"reason": reason} if reason else {}),
    )
    return order
