"""Shaping opportunities into the B2B API's answers."""

from __future__ import annotations

from typing import Any

from orderhub.opportunities.service import OpportunityDetail
from orderhub.surfaces.b2b import opportunity_schemas as o


def _fields(x: Any) -> dict[str, Any]:
    return {
        "id": x.id,
        "customer_id": x.customer_id,
        "name": x.name,
        "description": x.description,
        "status": x.status,
        "lost_reason": x.lost_reason,
        "won_quote_id": x.won_quote_id,
        "won_order_id": x.won_order_id,
        "created_at": x.created_at,
        "updated_at": x.updated_at,
        "closed_at": x.closed_at,
    }


def summary(x: Any) -> o.OpportunitySummaryOut:
    return o.OpportunitySummaryOut(**_fields(x))


def opportunity(found: OpportunityDetail) -> o.OpportunityOut:
    return o.OpportunityOut(
        **_fields(found.opportunity),
        quotes=[o.OpportunityQuoteOut(id=q.id, status=q.status, name=q.name) for q in found.quotes],
    )
