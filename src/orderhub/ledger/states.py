"""The order ledger's common lifecycle: one state for an order of any channel, aligned
with TM Forum's product-order states (TMF622), and how each channel's own status maps to it.

The common state is never set by hand: it is a pure function of the channel and the
channel's detailed status (`common_state`), recomputed whenever the status moves. The
subset of TMF622 states used (channel statuses in brackets):

* `pending`: being put together, waiting for the buyer (direct and partner `draft`;
  onboarding `started`, `qualified`, `packageSelected`).
* `acknowledged`: received and accepted, nothing done yet (direct and partner
  `submitted`; care `received`).
* `inProgress`: being fulfilled (direct `inFulfillment`; partner `accepted`, `design`,
  `installationScheduled`, `installed`; care `scheduled`).
* `held`: stopped by a problem someone must solve (partner `jeopardy`).
* `partial`: finished, part done and part not (care `partiallyCompleted`).
* `completed`: done (direct, partner and care `completed`; onboarding `submitted`: its
  services exist, PreActive, when it is submitted).
* `failed`: could not be done (care `failed`).
* `rejected`: refused (direct and partner `rejected`).
* `cancelled`: withdrawn by the buyer or operations (direct and care `cancelled`).

TMF's `assessingCancellation` and `pendingCancellation` are not used: no channel cancels
in steps today.
"""

from __future__ import annotations

from enum import StrEnum

from orderhub.lifecycle import Lifecycle


class Channel(StrEnum):
    DIRECT = "direct"
    PARTNER = "partner"
    ONBOARDING = "onboarding"
    CARE = "care"


class OrderState(StrEnum):
    PENDING = "pending"
    ACKNOWLEDGED = "acknowledged"
    IN_PROGRESS = "inProgress"
    HELD = "held"
    PARTIAL = "partial"
    COMPLETED = "completed"
    FAILED = "failed"
    REJECTED = "rejected"
    CANCELLED = "cancelled"


S = OrderState
# Moves of the common state. A channel's own table is the one that guards its moves; this
# one checks that what a channel does still reads as a sensible order life for everyone
# else (a completed order is never pending again).
STATES = Lifecycle(
    OrderState,
    {
        S.PENDING: {S.ACKNOWLEDGED, S.IN_PROGRESS, S.COMPLETED, S.CANCELLED, S.REJECTED},
        S.ACKNOWLEDGED: {
            S.IN_PROGRESS,
            S.HELD,
            S.COMPLETED,
            S.PARTIAL,
            S.FAILED,
            S.REJECTED,
            S.CANCELLED,
        },
        S.IN_PROGRESS: {S.HELD, S.COMPLETED, S.PARTIAL, S.FAILED, S.REJECTED, S.CANCELLED},
        S.HELD: {S.ACKNOWLEDGED, S.IN_PROGRESS, S.COMPLETED, S.REJECTED, S.CANCELLED},
    },
    subject="An order",
)

_MAPPING: dict[Channel, dict[str, OrderState]] = {
    Channel.DIRECT: {
        "draft": S.PENDING,
        "submitted": S.ACKNOWLEDGED,
        "inFulfillment": S.IN_PROGRESS,
        "completed": S.COMPLETED,
        "cancelled": S.CANCELLED,
        "rejected": S.REJECTED,
    },
    Channel.PARTNER: {
        "draft": S.PENDING,
        "submitted": S.ACKNOWLEDGED,
        "accepted": S.IN_PROGRESS,
        "design": S.IN_PROGRESS,
        "installationScheduled": S.IN_PROGRESS,
        "installed": S.IN_PROGRESS,
        "jeopardy": S.HELD,
        "completed": S.COMPLETED,
        "rejected": S.REJECTED,
    },
    Channel.ONBOARDING: {
        "started": S.PENDING,
        "qualified": S.PENDING,
        "packageSelected": S.PENDING,
        "submitted": S.COMPLETED,
    },
    Channel.CARE: {
        "received": S.ACKNOWLEDGED,
        "scheduled": S.IN_PROGRESS,
        "completed": S.COMPLETED,
        "partiallyCompleted": S.PARTIAL,
        "failed": S.FAILED,
        "cancelled": S.CANCELLED,
    },
}


def common_state(channel: str, status: str) -> OrderState:
    """The ledger state of an order of `channel` whose own status is `status`."""
    try:
        return _MAPPING[Channel(channel)][status]
    except KeyError:
        raise ValueError(f"no common state for a {channel} order that is {status!r}") from None


def statuses_in(channel: str, state: str) -> list[str]:
    """The channel's statuses that read as `state` (for filtering by common state)."""
    return [s for s, common in _MAPPING[Channel(channel)].items() if common == state]
