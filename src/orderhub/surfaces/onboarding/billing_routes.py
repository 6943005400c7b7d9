"""Seed 003, "Other useful API": notes and payments against an account."""

from __future__ import annotations

import hashlib
import hmac

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from orderhub.ids import utcnow
from orderhub.onboarding import accounts, billing
from orderhub.surfaces import idempotent
from orderhub.surfaces.callers import PartnerDep, idempotency_scope
from orderhub.surfaces.deps import IdempotencyKey, RuntimeDep, SessionDep
from orderhub.surfaces.onboarding import schemas as s
from orderhub.surfaces.onboarding import views
from orderhub.surfaces.schemas import Limit, problem_responses

router = APIRouter(tags=["onboarding notes and payments"])
_ERRORS = problem_responses(400, 401, 404, 409, 422, 500)


@router.post("/accounts/{id}/notes", status_code=201, response_model=s.NoteOut, responses=_ERRORS)
async def create_note(
    id: s.Id, body: s.NoteIn, partner: PartnerDep, session: SessionDep
) -> s.NoteOut:
    """Seed method CreateNote."""
    accounts.get(session, partner_id=partner.partner_id, account_id=id)
    row = billing.add_note(session, account_id=id, text=body.text, author=partner.client_id)
    return views.note(row)


@router.get("/accounts/{id}/notes", response_model=s.NotesOut, responses=_ERRORS)
async def list_notes(
    id: s.Id, partner: PartnerDep, session: SessionDep, limit: Limit = 50
) -> s.NotesOut:
    """The account's notes, newest first."""
    accounts.get(session, partner_id=partner.partner_id, account_id=id)
    return s.NotesOut(
        notes=[views.note(n) for n in billing.notes_of(session, account_id=id, limit=limit)]
    )


@router.post(
    "/accounts/{id}/payments", status_code=201, response_model=s.PaymentOut, responses=_ERRORS
)
async def create_payment(
    request: Request,
    id: s.Id,
    body: s.PaymentIn,
    partner: PartnerDep,
    session: SessionDep,
    runtime: RuntimeDep,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Seed method CreatePayment. A declined or failed charge is recorded and answered
    with its status (201), not an error; test cards are in docs/sandbox.md. The card
    number is never stored or returned: only its brand and last four digits."""

    def produce() -> dict:
        accounts.get(session, partner_id=partner.partner_id, account_id=id)
        whole, _, cents = body.amount.partition(".")
        row = billing.pay(
            session,
            account_id=id,
            amount_cents=int(whole) * 100 + int(cents or 0),
            currency=body.currency,
            card_number=body.card.number,
            expiry=body.card.expiry,
            cvc=body.card.cvc,
            provider=runtime.adapters.payments,
            today=utcnow().date(),
        )
        return views.payment(row).model_dump(mode="json", by_alias=True)

    # The kept fingerprint of the request must not let anyone recover the card number.
    card = hmac.new(runtime.key, body.card.number.encode(), hashlib.sha256).hexdigest()
    fingerprint = {"amount": body.amount, "currency": body.currency, "card": card}
    return idempotent.respond(
        request,
        session,
        scope=idempotency_scope(partner),
        key=idempotency_key,
        body=fingerprint,
        status_code=201,
        produce=produce,
    )


@router.get("/accounts/{id}/payments", response_model=s.PaymentsOut, responses=_ERRORS)
async def list_payments(
    id: s.Id, partner: PartnerDep, session: SessionDep, limit: Limit = 50
) -> s.PaymentsOut:
    """The account's payments, newest first."""
    accounts.get(session, partner_id=partner.partner_id, account_id=id)
    return s.PaymentsOut(
        payments=[
            views.payment(p) for p in billing.payments_of(session, account_id=id, limit=limit)
        ]
    )
