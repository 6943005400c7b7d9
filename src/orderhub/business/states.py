"""Exception request statuses and the only transitions allowed between them."""

from __future__ import annotations

from enum import StrEnum

from orderhub.lifecycle import Lifecycle


class ExceptionStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


TRANSITIONS: dict[ExceptionStatus, frozenset[ExceptionStatus]] = {
    ExceptionStatus.PENDING: frozenset({ExceptionStatus.APPROVED, ExceptionStatus.REJECTED}),
    ExceptionStatus.APPROVED: frozenset(),
    ExceptionStatus.REJECTED: frozenset(),
}
LIFECYCLE = Lifecycle(ExceptionStatus, TRANSITIONS, subject="An exception request")
# The new status, or 409 `invalid_transition` naming the refused move (a decision is final).
transition = LIFECYCLE.check
