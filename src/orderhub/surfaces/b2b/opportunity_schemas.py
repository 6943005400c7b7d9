"""The B2B API's opportunity vocabulary, camelCase on the wire."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field

from orderhub.surfaces.schemas import Id, RequestModel, WireModel, path_id

OpportunityId = path_id("Opportunity ID")
OpportunityStatusOut = Literal["open", "won", "lost"]


class OpportunityCreateIn(RequestModel):
    customer_id: Id
    name: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    description: Annotated[str, Field(min_length=1, max_length=1000)] | None = None


class OpportunityCloseIn(RequestModel):
    """`won` is never sent: an order created from one of its quotes wins it."""

    outcome: Literal["lost"]
    reason: Annotated[str, Field(min_length=1, max_length=1000)]


class OpportunityQuoteOut(WireModel):
    id: str
    status: Literal["draft", "validated"]
    name: str | None


class OpportunitySummaryOut(WireModel):
    id: str
    customer_id: str
    name: str | None
    description: str | None
    status: OpportunityStatusOut
    # Set once lost (the reason given) or won (the quote and the order created from it).
    lost_reason: str | None
    won_quote_id: str | None
    won_order_id: str | None
    created_at: datetime
    updated_at: datetime
    closed_at: datetime | None


class OpportunityOut(OpportunitySummaryOut):
    quotes: list[OpportunityQuoteOut]


class OpportunitiesOut(WireModel):
    opportunities: list[OpportunitySummaryOut]
    limit: int
    offset: int
