"""The operator API's vocabulary: the order ledger (every channel's orders in one shape),
the event stream and services. Exception requests speak the B2B API's (b2b/schemas.py)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import Query
from pydantic import Field

from orderhub.surfaces.schemas import WireModel, path_id

ServiceId = path_id("Service ID")

# ---- the order ledger -------------------------------------------------------------------


class PartyOut(WireModel):
    kind: str = Field(description="customer, business_customer, onboarding_account, fan, partner")
    id: str


class LedgerTotalsOut(WireModel):
    monthly: str
    one_time: str
    currency: str


class LedgerOrderOut(WireModel):
    """One order of any channel, as the ledger holds it."""

    id: str
    channel: str = Field(description="direct, partner, onboarding or care")
    state: str = Field(description="The common state, aligned with TMF622 (docs/architecture.md)")
    status: str = Field(description="The channel's own status")
    owner: PartyOut = Field(description="Who ordered it: a consumer customer or a partner")
    party: PartyOut = Field(description="Whom it is for")
    totals: LedgerTotalsOut
    references: dict[str, str] = Field(
        description="External references by name: confirmationNumber, quoteId, poNumber, ..."
    )
    requested_date: date | None
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None
    completed_at: datetime | None


class LedgerOrdersOut(WireModel):
    orders: list[LedgerOrderOut]
    total: int
    limit: int
    offset: int


class LedgerEventOut(WireModel):
    id: int
    type: str
    actor: str
    subject_id: str | None = Field(description="The sub-order, service or change concerned")
    from_status: str | None
    to_status: str | None
    data: dict[str, Any]
    created_at: datetime


class LedgerOrderDetailOut(LedgerOrderOut):
    detail: dict[str, Any] = Field(description="The order as its own channel's API shows it")
    history: list[LedgerEventOut]


# ---- the event stream ---------------------------------------------------------------------

StreamCursor = Annotated[
    str | None,
    Query(
        min_length=3,
        max_length=30,
        description="The last cursor you have seen (`nextAfter`); leave out to start "
        "from the oldest event kept.",
    ),
]


class StreamEventOut(WireModel):
    id: str
    cursor: str = Field(description="Opaque: pass as `after` to read the events that follow.")
    owner: str = Field(description="Whose event it is: `partner:<id>` or `customer:<id>`.")
    type: str
    subject: str
    created_at: datetime
    data: dict[str, Any]


class StreamEventsOut(WireModel):
    events: list[StreamEventOut]
    next_after: str = Field(description="`after` for the next poll.")


# ---- services -------------------------------------------------------------------------------


class ActivatedServiceOut(WireModel):
    id: str
    status: str
    account_number: str
    service_type_id: str
    updated_at: datetime
