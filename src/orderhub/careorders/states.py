"""Care-order statuses and the subscriber statuses care orders move lines through.

Every move is checked against a table here (a Lifecycle: 409 `invalid_transition`
otherwise); anything else is a bug or a refused change.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from orderhub.lifecycle import Lifecycle


class ChangeStatus(StrEnum):
    RECEIVED = "received"  # accepted, not yet on the worker's schedule
    SCHEDULED = "scheduled"  # waiting for its effective time
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"  # withdrawn by its client before it was applied


class CareOrderStatus(StrEnum):
    """A care order's status: derived from its change requests' (`order_status`)."""

    RECEIVED = "received"
    SCHEDULED = "scheduled"
    COMPLETED = "completed"
    PARTIALLY_COMPLETED = "partiallyCompleted"
    FAILED = "failed"
    CANCELLED = "cancelled"


C, CO = ChangeStatus, CareOrderStatus
# A change request: received → scheduled → completed or failed; one not applied yet may
# also be withdrawn by its client → cancelled.
CHANGE_TRANSITIONS: dict[ChangeStatus, frozenset[ChangeStatus]] = {
    C.RECEIVED: frozenset({C.SCHEDULED, C.FAILED, C.CANCELLED}),
    C.SCHEDULED: frozenset({C.COMPLETED, C.FAILED, C.CANCELLED}),
    C.COMPLETED: frozenset(),
    C.FAILED: frozenset(),
    C.CANCELLED: frozenset(),
}
CHANGE_LIFECYCLE = Lifecycle(ChangeStatus, CHANGE_TRANSITIONS, subject="A change request")
FINAL = CHANGE_LIFECYCLE.final
PENDING = frozenset({C.RECEIVED, C.SCHEDULED})
# The new status, or 409 `invalid_transition` naming the refused move.
check_change = CHANGE_LIFECYCLE.check

# Changes only move forward, so the order derived from them does too: received while
# any change is, scheduled while any is, then final.
_ENDS = frozenset({CO.COMPLETED, CO.PARTIALLY_COMPLETED, CO.FAILED, CO.CANCELLED})
ORDER_TRANSITIONS: dict[CareOrderStatus, frozenset[CareOrderStatus]] = {
    CO.RECEIVED: _ENDS | {CO.SCHEDULED},
    CO.SCHEDULED: _ENDS,
    CO.COMPLETED: frozenset(),
    CO.PARTIALLY_COMPLETED: frozenset(),
    CO.FAILED: frozenset(),
    CO.CANCELLED: frozenset(),
}
ORDER_LIFECYCLE = Lifecycle(CareOrderStatus, ORDER_TRANSITIONS, subject="A care order")

# What each change type does to a line's status, and from which statuses it may.
SUBSCRIBER_MOVES: dict[str, tuple[frozenset[str], str | None]] = {
    "updateSubscriber": (frozenset({"preActive", "active", "suspended"}), None),
    "suspendSubscriber": (frozenset({"active"}), "suspended"),
    "resumeSubscriber": (frozenset({"suspended"}), "active"),
    "cancelSubscriber": (frozenset({"preActive", "active", "suspended"}), "cancelled"),
}


def order_status(change_statuses: Iterable[str]) -> CareOrderStatus:
    """An order's status, derived from its change requests'."""
    statuses = set(change_statuses)
    if C.RECEIVED in statuses:
        return CO.RECEIVED
    if C.SCHEDULED in statuses:
        return CO.SCHEDULED
    if statuses == {C.COMPLETED}:
        return CO.COMPLETED
    if statuses == {C.FAILED}:
        return CO.FAILED
    if statuses == {C.CANCELLED}:
        return CO.CANCELLED
    return CO.PARTIALLY_COMPLETED


def line_refusal(change_type: str, line_status: str, *, has_items: bool) -> str | None:
    """Why this change cannot act on a line in this status, or None if it may."""
    allowed, _ = SUBSCRIBER_MOVES[change_type]
    if line_status == "cancelled":
        return "The line is cancelled: it takes no more changes."
    if line_status == "suspended" and change_type == "updateSubscriber" and has_items:
        return "The line is suspended: resume it before changing its features."
    if line_status not in allowed:
        return f"A {change_type} needs a line that is {' or '.join(sorted(allowed))}."
    return None
