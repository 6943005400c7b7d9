"""B2B order and sub-order statuses: one provisioning path, and the only moves allowed.

Orders and sub-orders share the table: an order's status is derived from its
sub-orders' (`derived_status`), and both move through `transition()`.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from orderhub.errors import Conflict
from orderhub.lifecycle import Lifecycle


class PartnerOrderStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    DESIGN = "design"
    INSTALLATION_SCHEDULED = "installationScheduled"
    INSTALLED = "installed"
    COMPLETED = "completed"
    JEOPARDY = "jeopardy"
    REJECTED = "rejected"


S = PartnerOrderStatus
# The milestones in order; jeopardy and rejected step off this path.
MILESTONES = (
    S.SUBMITTED,
    S.ACCEPTED,
    S.DESIGN,
    S.INSTALLATION_SCHEDULED,
    S.INSTALLED,
    S.COMPLETED,
)

TRANSITIONS: dict[PartnerOrderStatus, frozenset[PartnerOrderStatus]] = {
    S.DRAFT: frozenset({S.SUBMITTED}),
    S.SUBMITTED: frozenset({S.ACCEPTED, S.JEOPARDY, S.REJECTED}),
    S.ACCEPTED: frozenset({S.DESIGN, S.JEOPARDY, S.REJECTED}),
    S.DESIGN: frozenset({S.INSTALLATION_SCHEDULED, S.JEOPARDY, S.REJECTED}),
    S.INSTALLATION_SCHEDULED: frozenset({S.INSTALLED, S.JEOPARDY, S.REJECTED}),
    # Installed equipment is not rejected any more; it can still run into trouble.
    S.INSTALLED: frozenset({S.COMPLETED, S.JEOPARDY}),
    # Out of jeopardy: back on the path where the provisioning system says, or rejected.
    S.JEOPARDY: frozenset(
        {S.ACCEPTED, S.DESIGN, S.INSTALLATION_SCHEDULED, S.INSTALLED, S.COMPLETED, S.REJECTED}
    ),
    S.COMPLETED: frozenset(),
    S.REJECTED: frozenset(),
}
LIFECYCLE = Lifecycle(
    PartnerOrderStatus,
    TRANSITIONS,
    subject="An order",
    detail="{subject} in status '{current}' cannot become '{target}'.",
)
FINAL = LIFECYCLE.final  # completed, rejected
# The new status, or 409 `invalid_transition` naming the refused move.
transition = LIFECYCLE.check


class OrderNotDraft(Conflict):
    code = "order_not_draft"
    title = "Order is no longer a draft"


def require_draft(current: str) -> None:
    """Enrichment and handoff only while the order is a draft."""
    if current != S.DRAFT:
        raise OrderNotDraft(
            f"The order is '{current}'; it was handed off and can no longer be changed.",
            extra={"currentStatus": current},
        )


def derived_status(sub_statuses: Iterable[str]) -> PartnerOrderStatus:
    """The order's status from its sub-orders': rejected when all are, in jeopardy when
    any is, else the least advanced milestone of those not rejected."""
    statuses = [PartnerOrderStatus(s) for s in sub_statuses]
    live = [s for s in statuses if s != S.REJECTED]
    if not live:
        return S.REJECTED
    if S.JEOPARDY in live:
        return S.JEOPARDY
    if S.DRAFT in live:
        return S.DRAFT
    return min(live, key=MILESTONES.index)
