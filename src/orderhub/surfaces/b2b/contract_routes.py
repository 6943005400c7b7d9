"""Seed 002, "Credit Check" and "Contract": a quote's credit check, its contract, signing."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import Field
from sqlalchemy import Row

from orderhub import contacts
from orderhub.contracts import service as contracts
from orderhub.quotes import credit
from orderhub.surfaces import idempotent
from orderhub.surfaces.b2b.deps import IdempotencyKey, PartnerDep, idempotency_scope
from orderhub.surfaces.b2b.quote_schemas import QuoteId
from orderhub.surfaces.b2b.schemas import AddressOut
from orderhub.surfaces.deps import RuntimeDep, SessionDep
from orderhub.surfaces.schemas import (
    Email,
    JsonDate,
    JsonInt,
    LongName,
    Name,
    Phone,
    RequestModel,
    WireModel,
    money,
    path_id,
    problem_responses,
)

router = APIRouter(tags=["credit and contracts"])

ContractId = path_id("Contract ID")


class CreditCheckOut(WireModel):
    quote_id: str
    credit_check_id: str
    customer_id: str
    decision: Literal["approved", "declined", "pendingReview"]
    deposit_required: bool
    deposit_amount: str
    currency: str
    decided_at: datetime
    expires_at: datetime
    reused: bool = Field(
        description="True when a recent decision for this customer was reused, "
        "rather than asking the bureau again."
    )


class ContactIn(RequestModel):
    name: LongName
    title: Name | None = None
    email: Email
    phone: Phone


class ContactOut(WireModel):
    name: str
    title: str | None = None
    email: str
    phone: str


class ContractIn(RequestModel):
    contact: ContactIn = Field(description="The end customer's contact for the contract.")
    effective_date: JsonDate
    term_months: Annotated[JsonInt, Field(ge=1, le=120)]


class SignatoryIn(RequestModel):
    name: LongName
    title: Name | None = None


class SignIn(RequestModel):
    signed_by: SignatoryIn = Field(description="Who signed for the end customer.")


class SignatoryOut(WireModel):
    name: str
    title: str | None = None


class CustomerDetailsOut(WireModel):
    name: str
    tax_id_last4: str
    address: AddressOut


class ContractOut(WireModel):
    id: str
    quote_id: str
    customer_id: str
    credit_check_id: str
    status: Literal["generated", "signed"]
    customer_details: CustomerDetailsOut
    contact: ContactOut
    effective_date: date
    term_months: int
    monthly: str
    one_time: str
    currency: str
    created_at: datetime
    signed_at: datetime | None
    signed_by: SignatoryOut | None


def _credit(quote: Row, decision: Row, reused: bool) -> CreditCheckOut:
    return CreditCheckOut(
        quote_id=quote.id,
        credit_check_id=decision.id,
        customer_id=decision.customer_id,
        decision=decision.decision,
        deposit_required=decision.deposit_required,
        deposit_amount=money(decision.deposit_cents),
        currency=quote.currency,
        decided_at=decision.created_at,
        expires_at=decision.expires_at,
        reused=reused,
    )


def contract_view(x: Row) -> ContractOut:
    return ContractOut(
        id=x.id,
        quote_id=x.quote_id,
        customer_id=x.customer_id,
        credit_check_id=x.credit_decision_id,
        status=x.status,
        customer_details=CustomerDetailsOut.model_validate(x.customer_details),
        contact=ContactOut.model_validate(x.contact),
        effective_date=x.effective_date,
        term_months=x.term_months,
        monthly=money(x.monthly_cents),
        one_time=money(x.one_time_cents),
        currency=x.currency,
        created_at=x.created_at,
        signed_at=x.signed_at,
        signed_by=SignatoryOut.model_validate(x.signed_by) if x.signed_by else None,
    )


def _contact(contact: ContactIn) -> dict[str, Any]:
    """Stored by wire name, e-mail and phone by the contact rule (422 naming the field)."""
    email, phone = contacts.require_valid_contact(
        email=contact.email, phone=contact.phone, at="contact", subject="The contact"
    )
    return {"name": contact.name, "title": contact.title, "email": email, "phone": phone}


@router.post(
    "/quotes/{id}/credit-check",
    response_model=CreditCheckOut,
    responses=problem_responses(401, 404, 409, 422, 500),
)
async def check_credit(
    id: QuoteId, partner: PartnerDep, session: SessionDep, runtime: RuntimeDep
) -> CreditCheckOut:
    """Check the end customer's credit for a validated quote: a recent decision for the
    customer is reused, else the bureau decides (approved, declined, pendingReview).
    409 `quote_not_validated` naming what is missing; 409 `quote_locked` once signed."""
    quote, decision, reused = credit.check(
        session,
        partner_id=partner.partner_id,
        quote_id=id,
        bureau=runtime.adapters.credit_bureau,
    )
    return _credit(quote, decision, reused)


@router.get(
    "/quotes/{id}/credit-check",
    response_model=CreditCheckOut,
    responses=problem_responses(401, 404, 422, 500),
)
async def get_credit(id: QuoteId, partner: PartnerDep, session: SessionDep) -> CreditCheckOut:
    """The decision of the quote's last credit check (404 `credit_check_not_found` if none)."""
    quote, decision = credit.current(session, partner_id=partner.partner_id, quote_id=id)
    return _credit(quote, decision, reused=decision.quote_id != quote.id)


@router.post(
    "/quotes/{id}/contract",
    status_code=201,
    response_model=ContractOut,
    responses=problem_responses(400, 401, 404, 409, 422, 500),
)
async def generate_contract(
    request: Request,
    id: QuoteId,
    body: ContractIn,
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
            contact=_contact(body.contact),
            effective_date=body.effective_date,
            term_months=body.term_months,
        )
        return contract_view(found).model_dump(mode="json", by_alias=True)

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
    response_model=ContractOut,
    responses=problem_responses(401, 404, 422, 500),
)
async def get_quote_contract(id: QuoteId, partner: PartnerDep, session: SessionDep) -> ContractOut:
    """Whether the quote has a contract: the contract, or 404 `contract_not_found`."""
    return contract_view(contracts.of_quote(session, partner_id=partner.partner_id, quote_id=id))


@router.get(
    "/contracts/{id}", response_model=ContractOut, responses=problem_responses(401, 404, 422, 500)
)
async def get_contract(id: ContractId, partner: PartnerDep, session: SessionDep) -> ContractOut:
    """A contract."""
    return contract_view(
        contracts.get_for_partner(session, partner_id=partner.partner_id, contract_id=id)
    )


@router.post(
    "/contracts/{id}/sign",
    response_model=ContractOut,
    responses=problem_responses(400, 401, 404, 409, 422, 500),
)
async def sign_contract(
    id: ContractId, body: SignIn, partner: PartnerDep, session: SessionDep
) -> ContractOut:
    """Sign the contract: it becomes binding and its quote is locked (any change to the
    quote is then a 409 `quote_locked` naming the contract)."""
    signed = contracts.sign(
        session,
        partner_id=partner.partner_id,
        contract_id=id,
        signed_by=body.signed_by.model_dump(),
    )
    return contract_view(signed)
