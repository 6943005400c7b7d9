"""Order statuses and the only transitions allowed between them."""

from __future__ import annotations

from enum import StrEnum

from orderhub.errors import Conflict


class OrderStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    IN_FULFILLMENT = "inFulfillment"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    REJECTED = "rejected"


TRANSITIONS: dict[OrderStatus, frozenset[OrderStatus]] = {
    OrderStatus.DRAFT: frozenset({OrderStatus.SUBMITTED, OrderStatus.CANCELLED}),
    OrderStatus.SUBMITTED: frozenset(
        {OrderStatus.IN_FULFILLMENT, OrderStatus.REJECTED, OrderStatus.CANCELLED}
    ),
    OrderStatus.IN_FULFILLMENT: frozenset({OrderStatus.COMPLETED, OrderStatus.CANCELLED}),
    OrderStatus.COMPLETED: frozenset(),
    OrderStatus.CANCELLED: frozenset(),
    OrderStatus.REJECTED: frozenset(),
}


class InvalidTransition(Conflict):
    code = "invalid_transition"
    title = "Order cannot change to that status"


class OrderNotDraft(Conflict):
    code = "order_not_draft"
    title = "Order is no longer a draft"


def transition(current: str, target: OrderStatus) -> OrderStatus:
    """The new status, or a 409 naming the refused move."""
    source = OrderStatus(current)
    if target not in TRANSITIONS[source]:
        raise InvalidTransition(
            f"An order in status '{source}' cannot become '{target}'.",
            extra={"currentStatus": str(source), "requestedStatus": str(target)},
        )
    return target


def require_draft(current: str) -> None:
    """Cart, credit, fulfillment and numbers change only while the order is a draft."""
    if current != OrderStatus.DRAFT:
        raise OrderNotDraft(
            f"The order is '{current}'; only draft orders can be changed.",
            extra={"currentStatus": current},
        )
