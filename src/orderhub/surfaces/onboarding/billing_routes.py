"""Seed 003, "Other useful API": notes and payments against an account, and payments
for an order ("part of the order process")."""

from __future__ import annotations

import hashlib
import hmac

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import Row
from sqlalchemy.orm import Session

from orderhub.idempotency import service as idempotency
from orderhub.ids import utcnow
from orderhub.onboarding import accounts, billing, orders, payments
from orderhub.partners.tokens import PartnerPrincipal
from orderhub.runtime import Runtime
from orderhub.surfaces.callers import PartnerDep, idempotency_scope
from orderhub.surfaces.deps import IdempotencyKey, RuntimeDep, SessionDep
from orderhub.surfaces.onboarding import schemas as s
from orderhub.surfaces.onboarding import views
from orderhub.surfaces.schemas import Limit, problem_responses

router = APIRouter(tags=["onboarding notes and payments"])
_ERRORS = problem_responses(400, 401, 404, 409, 422, 500)
_PAYMENT_ERRORS = problem_responses(400, 401, 404, 409, 422, 500, 503)


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


def _keyed(
    request: Request,
    partner: PartnerPrincipal,
    runtime: Runtime,
    key: str | None,
    body: s.PaymentIn | s.OrderPaymentIn,
) -> payments.Keyed | None:
    """The request's key in the partner's scope and its fingerprint. The fingerprint
    must not let anyone recover the card number: it holds a keyed hash of it."""
    if key is None:
        return None
    card = hmac.new(runtime.key, body.card.number.encode(), hashlib.sha256).hexdigest()
    fingerprint = idempotency.fingerprint(
        request.method,
        request.url.path,
        {"amount": body.amount, "currency": body.currency, "card": card},
    )
    return payments.Keyed(f"{idempotency_scope(partner)} {key}", fingerprint)


def _cents(amount: str) -> int:
    whole, _, cents = amount.partition(".")
    return int(whole) * 100 + int(cents or 0)


def _answer(row: Row, again: bool) -> JSONResponse:
    return JSONResponse(
        views.payment(row).model_dump(mode="json", by_alias=True),
        status_code=201,
        headers={"Idempotent-Replayed": "true"} if again else None,
    )


@router.post(
    "/accounts/{id}/payments",
    status_code=201,
    response_model=s.PaymentOut,
    responses=_PAYMENT_ERRORS,
)
async def create_account_payment(
    request: Request,
    id: s.Id,
    body: s.PaymentIn,
    partner: PartnerDep,
    runtime: RuntimeDep,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Seed method CreatePayment. A declined or failed charge is recorded and answered
    with its status (201), not an error; test cards are in docs/sandbox.md. The card
    number is never stored or returned: only its brand and last four digits. The charge
    happens outside the request's transaction; repeat a request that got no answer with
    the same Idempotency-Key: it is charged at most once (so is a 503
    `payment_provider_unavailable`: the provider failed or took over 60 s)."""
    keyed = _keyed(request, partner, runtime, idempotency_key, body)
    card = payments.Card(body.card.number, body.card.expiry, body.card.cvc)

    def open_(session: Session) -> tuple[Row, bool]:
        accounts.get(session, partner_id=partner.partner_id, account_id=id)
        if (made := payments.earlier(session, keyed=keyed)) is not None:
            return made, True
        if keyed is not None:
            # A payment made before charges left the transaction (migration 0019) kept
            # its answer in the idempotency store, under the same fingerprint.
            kept = idempotency.replay(
                session,
                scope=idempotency_scope(partner),
                key=idempotency_key,
                request_hash=keyed.fingerprint,
                ttl_seconds=runtime.settings.idempotency_ttl_seconds,
            )
            if kept is not None and (made := payments.get(session, payment_id=kept.body["id"])):
                return made, True
        intent = payments.open_intent(
            session,
            account_id=id,
            order_id=None,
            amount_cents=_cents(body.amount),
            currency=body.currency,
            card=card,
            keyed=keyed,
            today=utcnow().date(),
        )
        return intent, False

    row, again = await payments.pay(
        runtime.database,
        runtime.adapters.payments,
        open_=open_,
        card=card,
        actor=partner.client_id,
    )
    return _answer(row, again)


@router.post(
    "/orders/{id}/payments",
    status_code=201,
    response_model=s.PaymentOut,
    responses=_PAYMENT_ERRORS,
)
async def create_order_payment(
    request: Request,
    id: s.Id,
    body: s.OrderPaymentIn,
    partner: PartnerDep,
    runtime: RuntimeDep,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """A payment for the order (after its package plan is chosen, before submit), by
    default of what is due of its up-front amount: the plan's one-time charge plus the
    first month. Answered like an account payment; shown on the order. While a payment of
    the order is pending, another is refused (409 `payment_pending`, naming it)."""
    keyed = _keyed(request, partner, runtime, idempotency_key, body)
    card = payments.Card(body.card.number, body.card.expiry, body.card.cvc)

    def open_(session: Session) -> tuple[Row, bool]:
        return payments.open_for_order(
            session,
            partner_id=partner.partner_id,
            order_id=id,
            amount_cents=None if body.amount is None else _cents(body.amount),
            currency=body.currency,
            card=card,
            keyed=keyed,
            today=utcnow().date(),
        )

    row, again = await payments.pay(
        runtime.database,
        runtime.adapters.payments,
        open_=open_,
        card=card,
        actor=partner.client_id,
    )
    return _answer(row, again)


@router.get("/orders/{id}/payments", response_model=s.OrderPaymentsOut, responses=_ERRORS)
async def list_order_payments(
    id: s.Id, partner: PartnerDep, session: SessionDep
) -> s.OrderPaymentsOut:
    """The order's payments, oldest first, and what its up-front amount, paid and due are."""
    order = orders.get(session, partner_id=partner.partner_id, order_id=id)
    return s.OrderPaymentsOut(
        payment=views.payment_summary(session, order),
        payments=[views.payment(p) for p in payments.of_order(session, order_id=id)],
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
