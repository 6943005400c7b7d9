"""Quote statuses. A quote is drafted, then validated; any change makes it a draft again.

A signed contract locks the quote (`service.require_unlocked`): a lock, not a status.
"""

from __future__ import annotations

from enum import StrEnum

from orderhub.lifecycle import Lifecycle


class QuoteStatus(StrEnum):
    DRAFT = "draft"
    VALIDATED = "validated"


TRANSITIONS: dict[QuoteStatus, frozenset[QuoteStatus]] = {
    QuoteStatus.DRAFT: frozenset({QuoteStatus.VALIDATED}),
    QuoteStatus.VALIDATED: frozenset({QuoteStatus.DRAFT}),
}
LIFECYCLE = Lifecycle(QuoteStatus, TRANSITIONS, subject="A quote")
# The new status, or 409 `invalid_transition` naming the refused move.
transition = LIFECYCLE.check
