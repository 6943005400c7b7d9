"""Seed 002, Opportunity: "created when the SP has an opportunity to do business with an
end customer"; its quotes are alternatives, an order from one of them wins it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from orderhub.opportunities import service as opportunities
from orderhub.opportunities.service import OpportunityDetail
from orderhub.opportunities.states import OpportunityStatus
from orderhub.quotes import service as quotes
from orderhub.quotes.states import QuoteStatus
from orderhub.surfaces import idempotent
from orderhub.surfaces.b2b import opportunity_schemas as o
from orderhub.surfaces.b2b import opportunity_views as views
from orderhub.surfaces.b2b import quote_schemas as q
from orderhub.surfaces.b2b import quote_views
from orderhub.surfaces.callers import PartnerDep, idempotency_scope
from orderhub.surfaces.deps import IdempotencyKey, PageDep, SessionDep
from orderhub.surfaces.schemas import ID_PATTERN, problem_responses

router = APIRouter(tags=["opportunities"])


@router.post(
    "/opportunities",
    status_code=201,
    response_model=o.OpportunityOut,
    responses=problem_responses(400, 401, 404, 409, 422, 500),
)
async def create_opportunity(
    request: Request,
    body: o.OpportunityCreateIn,
    partner: PartnerDep,
    session: SessionDep,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Open an opportunity for a business customer you may quote (as for a quote: an
    alliance-only customer without an approved exception is a 409)."""

    def produce() -> dict:
        opened = opportunities.create(
            session,
            partner_id=partner.partner_id,
            customer_id=body.customer_id,
            name=body.name,
            description=body.description,
        )
        answer = views.opportunity(OpportunityDetail(opened, []))
        return answer.model_dump(mode="json", by_alias=True)

    return idempotent.respond(
        request,
        session,
        scope=idempotency_scope(partner),
        key=idempotency_key,
        body=body.model_dump(mode="json"),
        status_code=201,
        produce=produce,
    )


@router.get(
    "/opportunities",
    response_model=o.OpportunitiesOut,
    responses=problem_responses(401, 422, 500),
)
async def list_opportunities(
    partner: PartnerDep,
    session: SessionDep,
    page: PageDep,
    customer_id: Annotated[
        str | None, Query(alias="customerId", max_length=64, pattern=ID_PATTERN)
    ] = None,
    status: OpportunityStatus | None = None,
) -> o.OpportunitiesOut:
    """Your opportunities, newest first."""
    found = opportunities.list_for_partner(
        session,
        partner_id=partner.partner_id,
        customer_id=customer_id,
        status=status,
        limit=page.limit,
        offset=page.offset,
    )
    return o.OpportunitiesOut(
        opportunities=[views.summary(x) for x in found], limit=page.limit, offset=page.offset
    )


@router.get(
    "/opportunities/{id}",
    response_model=o.OpportunityOut,
    responses=problem_responses(401, 404, 422, 500),
)
async def get_opportunity(
    id: o.OpportunityId, partner: PartnerDep, session: SessionDep
) -> o.OpportunityOut:
    """The opportunity, its status and the id, status and name of each of its quotes."""
    found = opportunities.get_for_partner(session, partner_id=partner.partner_id, opportunity_id=id)
    return views.opportunity(opportunities.detail(session, opportunity=found))


@router.get(
    "/opportunities/{id}/quotes",
    response_model=q.QuotesOut,
    responses=problem_responses(401, 404, 422, 500),
)
async def list_opportunity_quotes(
    id: o.OpportunityId,
    partner: PartnerDep,
    session: SessionDep,
    page: PageDep,
    status: QuoteStatus | None = None,
) -> q.QuotesOut:
    """The opportunity's quotes (its alternatives), newest first."""
    found = opportunities.get_for_partner(session, partner_id=partner.partner_id, opportunity_id=id)
    listed = quotes.list_for_partner(
        session,
        partner_id=partner.partner_id,
        customer_id=None,
        opportunity_id=found.id,
        status=status,
        limit=page.limit,
        offset=page.offset,
    )
    return q.QuotesOut(
        quotes=[quote_views.summary(x) for x in listed], limit=page.limit, offset=page.offset
    )


@router.post(
    "/opportunities/{id}/close",
    response_model=o.OpportunityOut,
    responses=problem_responses(400, 401, 404, 409, 422, 500),
)
async def close_opportunity(
    id: o.OpportunityId, body: o.OpportunityCloseIn, partner: PartnerDep, session: SessionDep
) -> o.OpportunityOut:
    """Close an open opportunity as lost, with the reason. An order created from one of
    its quotes closes it as won; a closed one is a 409 `invalid_transition`."""
    closed = opportunities.close_lost(
        session, partner_id=partner.partner_id, opportunity_id=id, reason=body.reason
    )
    return views.opportunity(opportunities.detail(session, opportunity=closed))
