"""Opportunity statuses: open until an order is created from one of its quotes (won) or
the partner closes it as lost. Both ends are final."""

from __future__ import annotations

from enum import StrEnum

from orderhub.lifecycle import Lifecycle


class OpportunityStatus(StrEnum):
    OPEN = "open"
    WON = "won"
    LOST = "lost"


TRANSITIONS: dict[OpportunityStatus, frozenset[OpportunityStatus]] = {
    OpportunityStatus.OPEN: frozenset({OpportunityStatus.WON, OpportunityStatus.LOST}),
    OpportunityStatus.WON: frozenset(),
    OpportunityStatus.LOST: frozenset(),
}
LIFECYCLE = Lifecycle(OpportunityStatus, TRANSITIONS, subject="An opportunity")
# The new status, or 409 `invalid_transition` naming the refused move.
transition = LIFECYCLE.check
