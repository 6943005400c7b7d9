"""Seed 002, "Order Creation & Enrichment", "Order Handoff" and status: B2B orders."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from orderhub.partner_orders import enrichment
from orderhub.partner_orders import service as orders
from orderhub.partner_orders import submit as handoff
from orderhub.partner_orders.states import PartnerOrderStatus
from orderhub.surfaces import idempotent
from orderhub.surfaces.b2b import order_schemas as o
from orderhub.surfaces.b2b import order_views as views
from orderhub.surfaces.callers import PartnerDep, idempotency_scope
from orderhub.surfaces.deps import IdempotencyKey, PageDep, RuntimeDep, SessionDep
from orderhub.surfaces.schemas import ID_PATTERN, problem_responses

router = APIRouter(tags=["orders"])


@router.post(
    "/orders",
    status_code=201,
    response_model=o.OrderOut,
    responses=problem_responses(400, 401, 404, 409, 422, 500),
)
async def create_order(
    request: Request,
    body: o.OrderCreateIn,
    partner: PartnerDep,
    session: SessionDep,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Create the order of a quote whose contract is signed (409 `contract_not_signed`
    otherwise): one sub-order per site and product, a draft until handoff."""

    def produce() -> dict:
        found = orders.create(session, partner_id=partner.partner_id, quote_id=body.quote_id)
        return views.order(found).model_dump(mode="json", by_alias=True)

    return idempotent.respond(
        request,
        session,
        scope=idempotency_scope(partner),
        key=idempotency_key,
        body=body.model_dump(mode="json"),
        status_code=201,
        produce=produce,
    )


@router.get("/orders", response_model=o.OrdersOut, responses=problem_responses(401, 422, 500))
async def list_orders(
    partner: PartnerDep,
    session: SessionDep,
    page: PageDep,
    status: PartnerOrderStatus | None = None,
    cdg: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=100,
            pattern=o.GROUP_PATTERN,
            description="Customer-defined group",
        ),
    ] = None,
    customer_id: Annotated[
        str | None, Query(alias="customerId", max_length=64, pattern=ID_PATTERN)
    ] = None,
) -> o.OrdersOut:
    """Your orders, newest first; by status, customer-defined group (`cdg`) or customer."""
    found = orders.list_for_partner(
        session,
        partner_id=partner.partner_id,
        status=status,
        cdg=cdg,
        customer_id=customer_id,
        limit=page.limit,
        offset=page.offset,
    )
    return o.OrdersOut(
        orders=[views.summary(x) for x in found], limit=page.limit, offset=page.offset
    )


@router.get(
    "/orders/{id}", response_model=o.OrderOut, responses=problem_responses(401, 404, 422, 500)
)
async def get_order(id: o.OrderId, partner: PartnerDep, session: SessionDep) -> o.OrderOut:
    """The order with its sub-orders, enrichment and status."""
    found = orders.get_for_partner(session, partner_id=partner.partner_id, order_id=id)
    return views.order(orders.detail(session, order=found))


@router.patch(
    "/orders/{id}",
    response_model=o.OrderOut,
    responses=problem_responses(400, 401, 404, 409, 422, 500),
)
async def enrich_order(
    id: o.OrderId,
    body: o.OrderEnrichmentIn,
    partner: PartnerDep,
    session: SessionDep,
    runtime: RuntimeDep,
) -> o.OrderOut:
    """Enrich the order (installation, shipping, billing configuration, customer-defined
    group): each section sent replaces the order's; a sub-order's own section wins."""
    found = enrichment.enrich(
        session,
        partner_id=partner.partner_id,
        order_id=id,
        sub_order_id=None,
        sections=views.enrichment_sections(body),
        postal=runtime.adapters.postal,
    )
    return views.order(found)


@router.patch(
    "/orders/{id}/sub-orders/{sub_order_id}",
    response_model=o.OrderOut,
    responses=problem_responses(400, 401, 404, 409, 422, 500),
)
async def enrich_sub_order(
    id: o.OrderId,
    sub_order_id: o.SubOrderId,
    body: o.SubOrderEnrichmentIn,
    partner: PartnerDep,
    session: SessionDep,
    runtime: RuntimeDep,
) -> o.OrderOut:
    """Enrich one sub-order; its sections replace the order's for it (`null` clears one)."""
    found = enrichment.enrich(
        session,
        partner_id=partner.partner_id,
        order_id=id,
        sub_order_id=sub_order_id,
        sections=views.enrichment_sections(body),
        postal=runtime.adapters.postal,
    )
    return views.order(found)


@router.post(
    "/orders/{id}/submit",
    response_model=o.AcknowledgementOut,
    responses=problem_responses(400, 401, 404, 409, 422, 500),
)
async def submit_order(
    request: Request,
    id: o.OrderId,
    partner: PartnerDep,
    session: SessionDep,
    runtime: RuntimeDep,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Hand the order off: everything is checked (409 `order_incomplete` listing each
    problem), then it is submitted and acknowledged. Twice: 409 `order_not_draft`."""

    def produce() -> dict:
        ack = handoff.submit(
            session,
            partner_id=partner.partner_id,
            order_id=id,
            provisioning=runtime.adapters.provisioning,
        )
        return o.AcknowledgementOut(
            order_id=ack.order_id,
            acknowledgement_id=ack.acknowledgement_id,
            received_at=ack.received_at,
            status="submitted",
            sub_order_count=ack.sub_order_count,
        ).model_dump(mode="json", by_alias=True)

    return idempotent.respond(
        request,
        session,
        scope=idempotency_scope(partner),
        key=idempotency_key,
        body={},
        status_code=200,
        produce=produce,
    )


@router.get(
    "/orders/{id}/history",
    response_model=o.OrderHistoryOut,
    responses=problem_responses(401, 404, 422, 500),
)
async def order_history(
    id: o.OrderId, partner: PartnerDep, session: SessionDep
) -> o.OrderHistoryOut:
    """The order's history, oldest first: creation, enrichment, and every status change
    of the order and its sub-orders."""
    found = orders.get_for_partner(session, partner_id=partner.partner_id, order_id=id)
    return views.history(found, orders.history(session, order_id=found.id))
