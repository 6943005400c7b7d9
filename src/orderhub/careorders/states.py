"""Care-order statuses and the subscriber statuses care orders move lines through.

Every move is checked against a table here; anything else is a bug or a refused change.
"""

from __future__ import annotations

from collections.abc import Iterable

# A change request: received (accepted, not yet on the worker's schedule) → scheduled
# (waiting for its effective time) → completed or failed.
# A change not applied yet may also be withdrawn by its client → cancelled.
CHANGE_TRANSITIONS: dict[str, frozenset[str]] = {
    "received": frozenset({"scheduled", "failed", "cancelled"}),
    "scheduled": frozenset({"completed", "failed", "cancelled"}),
    "completed": frozenset(),
    "failed": frozenset(),
    "cancelled": frozenset(),
}
FINAL = frozenset({"completed", "failed", "cancelled"})
PENDING = frozenset({"received", "scheduled"})

# What each change type does to a line's status, and from which statuses it may.
SUBSCRIBER_MOVES: dict[str, tuple[frozenset[str], str | None]] = {
    "updateSubscriber": (frozenset({"preActive", "active", "suspended"}), None),
    "suspendSubscriber": (frozenset({"active"}), "suspended"),
    "resumeSubscriber": (frozenset({"suspended"}), "active"),
    "cancelSubscriber": (frozenset({"preActive", "active", "suspended"}), "cancelled"),
}


def check_change(current: str, target: str) -> str:
    if target not in CHANGE_TRANSITIONS[current]:
        raise AssertionError(f"care change cannot move from {current} to {target}")
    return target


def order_status(change_statuses: Iterable[str]) -> str:
    """An order's status, derived from its change requests'."""
    statuses = set(change_statuses)
    if "received" in statuses:
        return "received"
    if "scheduled" in statuses:
        return "scheduled"
    if statuses == {"completed"}:
        return "completed"
    if statuses == {"failed"}:
        return "failed"
    if statuses == {"cancelled"}:
        return "cancelled"
    return "partiallyCompleted"


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
