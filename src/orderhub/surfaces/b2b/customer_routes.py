"""Seed 002, end-customer lookup: find a customer, and ask for an exception to quote it."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from orderhub import contacts
from orderhub.business import exceptions
from orderhub.business import rules as business_rules
from orderhub.business import service as business
from orderhub.business.states import ExceptionStatus
from orderhub.errors import FieldProblem, ValidationFailed
from orderhub.surfaces import idempotent
from orderhub.surfaces.b2b import schemas as s
from orderhub.surfaces.b2b import views
from orderhub.surfaces.callers import PartnerDep, idempotency_scope
from orderhub.surfaces.deps import IdempotencyKey, PageDep, ReadSessionDep, RuntimeDep, SessionDep
from orderhub.surfaces.schemas import problem_responses

router = APIRouter(tags=["end customers"])


def _lookup_keys(body: s.CustomerLookupIn) -> dict[str, str | None]:
    """The body's criteria as lookup keys, or a 422 naming each one that cannot match."""
    keys: dict[str, str | None] = {"name_key": None, "phone": None, "tax_id": None}
    problems = []
    if body.name is not None:
        keys["name_key"] = business_rules.name_key(body.name) or None
        if keys["name_key"] is None:
            problems.append(
                FieldProblem("name", "name_format", "The name has no letters or digits.")
            )
    if body.phone is not None:
        keys["phone"] = contacts.normalize_phone(body.phone)
        if keys["phone"] is None:
            problems.append(contacts.phone_problem("phone"))
    if body.tax_id is not None:
        keys["tax_id"] = business_rules.normalize_tax_id(body.tax_id)
        if keys["tax_id"] is None:
            problems.append(
                FieldProblem("taxId", "tax_id_format", "A tax id is 9 digits (e.g. 75-2466789).")
            )
    if problems:
        raise ValidationFailed("Some lookup criteria are not valid.", errors=problems)
    return keys


@router.post(
    "/customers/lookup",
    response_model=s.CustomersOut,
    responses=problem_responses(400, 401, 404, 422, 500),
)
async def lookup_customers(
    body: s.CustomerLookupIn,
    partner: PartnerDep,
    session: ReadSessionDep,
    runtime: RuntimeDep,
) -> s.CustomersOut:
    """Find end customers you may sell to by business name, phone, tax id or service
    address (every criterion given must match). None: 404 "No customer found"."""
    keys = _lookup_keys(body)
    address_key = None
    if body.address is not None:
        address_key = business.address_key_for(
            runtime.adapters.postal, views.postal_address(body.address), prefix="address"
        )
    found = business.lookup(session, partner_id=partner.partner_id, address_key=address_key, **keys)
    return s.CustomersOut(customers=[views.customer(m) for m in found])


@router.post(
    "/customers/{id}/exception-requests",
    status_code=201,
    response_model=s.ExceptionRequestOut,
    responses=problem_responses(400, 401, 404, 409, 422, 500),
)
async def create_exception_request(
    request: Request,
    id: s.CustomerId,
    body: s.ExceptionRequestIn,
    partner: PartnerDep,
    session: SessionDep,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Ask operations to let you quote an alliance-only customer. Starts `pending`;
    operations approve or reject it. An alliance customer needs none (409)."""

    def produce() -> dict:
        created = exceptions.create(
            session, partner_id=partner.partner_id, customer_id=id, reason=body.reason
        )
        return views.exception_request(created).model_dump(mode="json", by_alias=True)

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
    "/exception-requests",
    response_model=s.ExceptionRequestsOut,
    responses=problem_responses(401, 422, 500),
)
async def list_exception_requests(
    partner: PartnerDep,
    session: SessionDep,
    page: PageDep,
    status: ExceptionStatus | None = None,
) -> s.ExceptionRequestsOut:
    """Your exception requests, newest first."""
    found = exceptions.list_for_partner(
        session, partner_id=partner.partner_id, status=status, limit=page.limit, offset=page.offset
    )
    return s.ExceptionRequestsOut(
        exception_requests=[views.exception_request(r) for r in found],
        limit=page.limit,
        offset=page.offset,
    )


@router.get(
    "/exception-requests/{id}",
    response_model=s.ExceptionRequestOut,
    responses=problem_responses(401, 404, 422, 500),
)
async def get_exception_request(
    id: s.ExceptionRequestId, partner: PartnerDep, session: SessionDep
) -> s.ExceptionRequestOut:
    """One of your exception requests and its decision."""
    found = exceptions.get_for_partner(session, partner_id=partner.partner_id, request_id=id)
    return views.exception_request(found)
