"""The onboarding order's steps, which must happen in the seed's order."""

from __future__ import annotations

from enum import StrEnum

from orderhub.errors import Conflict


class OrderStatus(StrEnum):
    STARTED = "started"  # created; service qualification next
    QUALIFIED = "qualified"  # at least one successful SQ; package selection next
    PACKAGE_SELECTED = "packageSelected"  # services to configure, terms, submit
    SUBMITTED = "submitted"


# What each status needs done first, by the step's name as the API reports it.
STEP_BEFORE = {
    OrderStatus.QUALIFIED: "serviceQualification",
    OrderStatus.PACKAGE_SELECTED: "packageSelection",
}
ORDER = [
    OrderStatus.STARTED,
    OrderStatus.QUALIFIED,
    OrderStatus.PACKAGE_SELECTED,
    OrderStatus.SUBMITTED,
]


class StepOutOfOrder(Conflict):
    code = "step_out_of_order"
    title = "Step out of order"


class OrderSubmitted(Conflict):
    code = "order_submitted"
    title = "Order already submitted"


def require_at_least(current: str, needed: OrderStatus, step: str) -> None:
    """409 naming the missing step when the order has not reached `needed`."""
    status = OrderStatus(current)
    if status == OrderStatus.SUBMITTED:
        raise OrderSubmitted("The order is submitted; it can no longer change.")
    if ORDER.index(status) < ORDER.index(needed):
        missing = STEP_BEFORE.get(needed, str(needed))
        raise StepOutOfOrder(
            f"'{step}' needs '{missing}' first.",
            extra={"currentStatus": str(status), "missingStep": missing},
        )


def advance(current: str, target: OrderStatus) -> OrderStatus:
    """The later of the two statuses (a second SQ does not move a package-selected order back)."""
    status = OrderStatus(current)
    return target if ORDER.index(target) > ORDER.index(status) else status
