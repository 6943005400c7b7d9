"""Seed 002, "Credit Check" and "Contract": a quote's credit check, its contract, signing."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from orderhub.contracts import service as contracts
from orderhub.quotes import credit
from orderhub.surfaces import idempotent
from orderhub.surfaces.b2b import contract_schemas as c
from orderhub.surfaces.b2b import contract_views as views
from orderhub.surfaces.b2b.quote_schemas import QuoteId
from orderhub.surfaces.callers import PartnerDep, idempotency_scope
from orderhub.surfaces.deps import IdempotencyKey, RuntimeDep, SessionDep
from orderhub.surfaces.schemas import problem_responses

router = APIRouter(tags=["credit and contracts"])


@router.post(
    "/quotes/{id}/credit-check",
    response_model=c.CreditCheckOut,
    responses=problem_responses(401, 404, 409, 422, 500),
)
async def check_credit(
    id: QuoteId, partner: PartnerDep, session: SessionDep, runtime: RuntimeDep
) -> c.CreditCheckOut:
    """Check the end customer's credit for a validated quote: a recent decision for the
    customer is reused, else the bureau decides (approved, declined, pendingReview).
    409 `quote_not_validated` naming what is missing; 409 `quote_locked` once signed."""
    quote, decision, reused = credit.check(
        session,
        partner_id=partner.partner_id,
        quote_id=id,
        bureau=runtime.adapters.credit_bureau,
    )
    return views.credit_check(quote, decision, reused=reused)


@router.get(
    "/quotes/{id}/credit-check",
    response_model=c.CreditCheckOut,
    responses=problem_responses(401, 404, 422, 500),
)
async def get_credit(id: QuoteId, partner: PartnerDep, session: SessionDep) -> c.CreditCheckOut:
    """The decision of the quote's last credit check (404 `credit_check_not_found` if none)."""
    quote, decision = credit.current(session, partner_id=partner.partner_id, quote_id=id)
    return views.credit_check(quote, decision, reused=decision.quote_id != quote.id)


@router.post(
    "/quotes/{id}/contract",
    status_code=201,
    response_model=c.ContractOut,
    responses=problem_responses(400, 401, 404, 409, 422, 500),
)
async def generate_contract(
    request: Request,
    id: QuoteId,
    body: c.ContractIn,
    partner: PartnerDep,
    session: SessionDep,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Generate the contract from a validated quote with approved credit (409
    `credit_not_approved` otherwise); an unsigned contract is generated again."""

    def produce() -> dict:
        found = contracts.generate(
            session,
            partner_id=partner.partner_id,
            quote_id=id,
            contact=views.contact_fields(body.contact),
            effective_date=body.effective_date,
            term_months=body.term_months,
        )
        return views.contract(found).model_dump(mode="json", by_alias=True)

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
    "/quotes/{id}/contract",
    response_model=c.ContractOut,
    responses=problem_responses(401, 404, 422, 500),
)
async def get_quote_contract(
    id: QuoteId, partner: PartnerDep, session: SessionDep
) -> c.ContractOut:
    """Whether the quote has a contract: the contract, or 404 `contract_not_found`."""
    return views.contract(contracts.of_quote(session, partner_id=partner.partner_id, quote_id=id))


@router.get(
    "/contracts/{id}", response_model=c.ContractOut, responses=problem_responses(401, 404, 422, 500)
)
async def get_contract(id: c.ContractId, partner: PartnerDep, session: SessionDep) -> c.ContractOut:
    """A contract."""
    return views.contract(
        contracts.get_for_partner(session, partner_id=partner.partner_id, contract_id=id)
    )


@router.post(
    "/contracts/{id}/sign",
    response_model=c.ContractOut,
    responses=problem_responses(400, 401, 404, 409, 422, 500),
)
async def sign_contract(
    id: c.ContractId, body: c.SignIn, partner: PartnerDep, session: SessionDep
) -> c.ContractOut:
    """Sign the contract: it becomes binding and its quote is locked (any change to the
    quote is then a 409 `quote_locked` naming the contract)."""
    signed = contracts.sign(
        session,
        partner_id=partner.partner_id,
        contract_id=id,
        signed_by=body.signed_by.model_dump(),
    )
    return views.contract(signed)
