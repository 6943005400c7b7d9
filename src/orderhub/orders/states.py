"""Order statuses and the only transitions allowed between them."""

from __future__ import annotations

from enum import StrEnum

from orderhub.errors import Conflict
from orderhub.lifecycle import Lifecycle


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
    # Rejected: fulfillment failed after it began (the carrier could not deliver).
    OrderStatus.IN_FULFILLMENT: frozenset(
        {OrderStatus.COMPLETED, OrderStatus.REJECTED, OrderStatus.CANCELLED}
    ),
    OrderStatus.COMPLETED: frozenset(),
    OrderStatus.CANCELLED: frozenset(),
    OrderStatus.REJECTED: frozenset(),
}

LIFECYCLE = Lifecycle(
    OrderStatus,
    TRANSITIONS,
    subject="An order",
    detail="{subject} in status '{current}' cannot become '{target}'.",
)
# The new status, or 409 `invalid_transition` naming the refused move.
transition = LIFECYCLE.check


class OrderNotDraft(Conflict):
    code = "order_not_draft"
    title = "Order is no longer a draft"


def require_draft(current: str) -> None:
    """Cart, credit, fulfillment and numbers change only while the order is a draft."""
    if current != OrderStatus.DRAFT:
        raise OrderNotDraft(
            f"The order is '{current}'; only draft orders can be changed.",
            extra={"currentStatus": current},
        )
