"""Seed 003, "Start your order" and service qualification (simple, phone, address)."""

from __future__ import annotations

from fastapi import APIRouter

from orderhub.onboarding import orders, qualification
from orderhub.surfaces.callers import PartnerDep
from orderhub.surfaces.deps import ReadSessionDep, RuntimeDep, SessionDep
from orderhub.surfaces.onboarding import schemas as s
from orderhub.surfaces.onboarding import views
from orderhub.surfaces.schemas import problem_responses

router = APIRouter(tags=["onboarding orders"])


@router.post(
    "/accounts/{id}/orders",
    status_code=201,
    response_model=s.OrderOut,
    responses=problem_responses(401, 404, 422, 500),
)
async def start_order(id: s.Id, partner: PartnerDep, session: SessionDep) -> s.OrderOut:
    """Seed method CreateOrder: an order for the account; service qualification next."""
    order = orders.start(
        session, partner_id=partner.partner_id, account_id=id, actor=partner.client_id
    )
    return views.order(session, order)


@router.get(
    "/orders/{id}", response_model=s.OrderOut, responses=problem_responses(401, 404, 422, 500)
)
async def get_order(id: s.Id, partner: PartnerDep, session: SessionDep) -> s.OrderOut:
    """The order's status, every step's state and its event history."""
    return views.order(session, orders.get(session, partner_id=partner.partner_id, order_id=id))


@router.post(
    "/orders/{id}/sq/simple",
    response_model=s.SqOut,
    responses=problem_responses(400, 401, 404, 409, 422, 500),
)
async def simple_sq(
    id: s.Id, body: s.SimpleSqIn, partner: PartnerDep, session: SessionDep
) -> s.SqOut:
    """Seed method PerformSimpleSQ: for service types that need no check."""
    result = qualification.simple(
        session,
        partner_id=partner.partner_id,
        order_id=id,
        type_id=body.service_type_id,
        actor=partner.client_id,
    )
    return views.sq(result)


@router.post(
    "/orders/{id}/sq/general-phone",
    response_model=s.SqOut,
    responses=problem_responses(400, 401, 404, 409, 422, 500),
)
async def run_general_phone_sq(
    id: s.Id, body: s.PhoneSqIn, partner: PartnerDep, session: SessionDep, runtime: RuntimeDep
) -> s.SqOut:
    """Seed method PerformGeneralPhoneSQ, for service types of check type `GeneralPhone`.
    An unsuccessful SQ is an answer (`qualified` false, with the reason), not an error; it
    blocks packages with that service type."""
    result = qualification.phone(
        session,
        partner_id=partner.partner_id,
        order_id=id,
        type_id=body.service_type_id,
        phone_number=body.phone_number,
        qualifier=runtime.adapters.qualifier,
        actor=partner.client_id,
    )
    return views.sq(result)


@router.post(
    "/orders/{id}/sq/phone",
    response_model=s.SqOut,
    responses=problem_responses(400, 401, 404, 409, 422, 500),
)
async def phone_sq(
    id: s.Id, body: s.PhoneSqIn, partner: PartnerDep, session: SessionDep, runtime: RuntimeDep
) -> s.SqOut:
    """The General Phone SQ under its earlier path (`phone` is the alias of the seed's
    `GeneralPhone`); the same call and answer as `.../sq/general-phone`."""
    return await run_general_phone_sq(id, body, partner, session, runtime)


@router.post(
    "/orders/{id}/sq/address/find",
    response_model=s.LocationsOut,
    responses=problem_responses(400, 401, 404, 422, 500),
)
async def find_address(
    id: s.Id, body: s.AddressSearchIn, partner: PartnerDep, session: ReadSessionDep
) -> s.LocationsOut:
    """Seed method PerformNWBSQFindAddress: candidate addresses and their location ids."""
    found = qualification.find_addresses(
        session, partner_id=partner.partner_id, order_id=id, query=body.query
    )
    return s.LocationsOut(
        locations=[s.LocationOut(location_id=loc.id, address=loc.address) for loc in found]
    )


@router.post(
    "/orders/{id}/sq/address",
    response_model=s.SqOut,
    responses=problem_responses(400, 401, 404, 409, 422, 500),
)
async def address_sq(
    id: s.Id, body: s.AddressSqIn, partner: PartnerDep, session: SessionDep
) -> s.SqOut:
    """Seed method PerformNWBSQ: the technologies and speed tiers available at a location."""
    result = qualification.address(
        session,
        partner_id=partner.partner_id,
        order_id=id,
        type_id=body.service_type_id,
        location_id=body.location_id,
        actor=partner.client_id,
    )
    return views.sq(result)
