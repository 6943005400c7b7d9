"""The operator API's view of the order ledger: every channel's orders in one shape."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import Field

from orderhub.surfaces.schemas import WireModel


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
