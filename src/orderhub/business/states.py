"""Exception request statuses and the only transitions allowed between them."""

from __future__ import annotations

from enum import StrEnum

from orderhub.errors import Conflict


class ExceptionStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


TRANSITIONS: dict[ExceptionStatus, frozenset[ExceptionStatus]] = {
    ExceptionStatus.PENDING: frozenset({ExceptionStatus.APPROVED, ExceptionStatus.REJECTED}),
    ExceptionStatus.APPROVED: frozenset(),
    ExceptionStatus.REJECTED: frozenset(),
}


class InvalidTransition(Conflict):
    code = "invalid_transition"
    title = "Exception request cannot change to that status"


def transition(current: str, target: ExceptionStatus) -> ExceptionStatus:
    """The new status, or a 409 naming the refused move (a decision is final)."""
    source = ExceptionStatus(current)
    if target not in TRANSITIONS[source]:
        raise InvalidTransition(
            f"An exception request that is '{source}' cannot become '{target}'.",
            extra={"currentStatus": str(source), "requestedStatus": str(target)},
        )
    return target
