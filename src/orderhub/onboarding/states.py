"""The onboarding order's steps, which must happen in the seed's order.

The order moves one step at a time along its Lifecycle (started → qualified →
packageSelected → submitted); a step asked for before its turn is 409
`step_out_of_order` naming the missing step, any step after submission 409
`order_submitted` (`require_at_least`), and a status written out of turn 409
`invalid_transition`.
"""

from __future__ import annotations

from enum import StrEnum

from orderhub.errors import Conflict
from orderhub.lifecycle import Lifecycle


class OrderStatus(StrEnum):
    STARTED = "started"  # created; service qualification next
    QUALIFIED = "qualified"  # at least one successful SQ; package selection next
    PACKAGE_SELECTED = "packageSelected"  # services to configure, terms, submit
    SUBMITTED = "submitted"


ORDER = [
    OrderStatus.STARTED,
    OrderStatus.QUALIFIED,
    OrderStatus.PACKAGE_SELECTED,
    OrderStatus.SUBMITTED,
]
LIFECYCLE = Lifecycle(
    OrderStatus, {step: ORDER[i + 1 : i + 2] for i, step in enumerate(ORDER)}, subject="An order"
)
# What each status needs done first, by the step's name as the API reports it.
STEP_BEFORE = {
    OrderStatus.QUALIFIED: "serviceQualification",
    OrderStatus.PACKAGE_SELECTED: "packageSelection",
}


class StepOutOfOrder(Conflict):
    code = "step_out_of_order"
    title = "Step out of order"


class OrderSubmitted(Conflict):
    code = "order_submitted"
    title = "Order already submitted"


def require_at_least(current: str, needed: OrderStatus, step: str) -> None:
    """409 naming the missing step when the order has not reached `needed`."""
    status = OrderStatus(current)
    if LIFECYCLE.is_final(status):
        raise OrderSubmitted("The order is submitted; it can no longer change.")
    if ORDER.index(status) < ORDER.index(needed):
        missing = STEP_BEFORE.get(needed, str(needed))
        raise StepOutOfOrder(
            f"'{step}' needs '{missing}' first.",
            extra={"currentStatus": str(status), "missingStep": missing},
        )


def advance(current: str, target: OrderStatus) -> OrderStatus:
    """The later of the two statuses (a second SQ does not move a package-selected order
    back); a move forward goes through the Lifecycle."""
    status = OrderStatus(current)
    return LIFECYCLE.check(status, target) if ORDER.index(target) > ORDER.index(status) else status
