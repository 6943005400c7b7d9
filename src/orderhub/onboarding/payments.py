"""Payments against an onboarding account, and for one of its orders, charged outside any
database transaction.

A charge is three steps: (1) the payment is recorded `pending` with the idempotency key
it will be charged under (`port_key`) and committed; (2) the payments port is called with
that key, no transaction open; (3) the outcome is recorded in a new transaction. A crash
between them leaves a pending row, never an unrecorded charge: a retry of the same
request (same Idempotency-Key) finds the row and calls the port again with the same key,
which returns the first charge instead of charging again; without a retry, the recovery
pass (payment_recovery.py) asks the port what became of the key.

Seed 003: "The Create Payment function can collect a payment for you if you wish that to
be part of the order process". An order's up-front amount is its plan's one-time charge
plus the first month; a provider that asks for it (providers.py) has submit refuse an
order whose succeeded payments do not cover it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Row, bindparam, func, insert, or_, select, update
from sqlalchemy.orm import Session

from orderhub.adapters import payments as cards
from orderhub.db import Database, serialize_on
from orderhub.errors import Conflict, FieldProblem, ValidationFailed
from orderhub.ids import new_id, utcnow
from orderhub.ledger import service as ledger
from orderhub.onboarding import packages, providers
from orderhub.onboarding.models import Payment

PAYMENTS = Payment.__table__
PENDING = "pending"
SUCCEEDED = "succeeded"
# What the recovery pass records for an intent the port never saw: nothing was charged.
NOT_CHARGED = "not_charged"
CURRENCIES = ("USD", "AUD", "CAD", "EUR", "GBP")
ORDER_CURRENCY = "USD"  # the currency plan prices are in
MAX_AMOUNT_CENTS = 10_000_000  # 100,000.00 per payment

_GET = select(PAYMENTS).where(PAYMENTS.c.id == bindparam("b_id"))
_BY_REQUEST = select(PAYMENTS).where(PAYMENTS.c.request_key == bindparam("b_key"))
_OF_ORDER = (
    select(PAYMENTS)
    .where(PAYMENTS.c.order_id == bindparam("b_order"))
    .order_by(PAYMENTS.c.created_at, PAYMENTS.c.id)
)
_PAID = select(func.coalesce(func.sum(PAYMENTS.c.amount_cents), 0)).where(
    PAYMENTS.c.order_id == bindparam("b_order"), PAYMENTS.c.status == SUCCEEDED
)
# Pending, or closed by the recovery pass as never charged: a charge that turns up after
# all (a request slower than the recovery's wait) is still recorded, never lost.
_SETTLE = (
    update(PAYMENTS)
    .where(
        PAYMENTS.c.id == bindparam("b_id"),
        or_(PAYMENTS.c.status == PENDING, PAYMENTS.c.decline_code == NOT_CHARGED),
    )
    .values(
        status=bindparam("b_status"),
        decline_code=bindparam("b_code"),
        reference=bindparam("b_reference"),
        settled_at=bindparam("b_now"),
    )
    .returning(*PAYMENTS.c)
)


@dataclass(frozen=True)
class Card:
    number: str
    expiry: str  # MM/YY
    cvc: str


@dataclass(frozen=True)
class Keyed:
    """The request's Idempotency-Key in its scope, and the request's fingerprint."""

    key: str
    fingerprint: str


class NothingDue(Conflict):
    code = "nothing_due"
    title = "Nothing to pay"


def problems(*, amount_cents: int, currency: str, card: Card, today: date) -> list[FieldProblem]:
    """What is wrong with a payment before anything is charged."""
    found = []
    if not 0 < amount_cents <= MAX_AMOUNT_CENTS:
        found.append(FieldProblem("amount", "amount_range", "Between 0.01 and 100000.00."))
    if currency not in CURRENCIES:
        found.append(FieldProblem("currency", "currency", f"One of {', '.join(CURRENCIES)}."))
    if not cards.luhn_valid(card.number):
        found.append(FieldProblem("card.number", "luhn", "Not a valid card number."))
    month, year = int(card.expiry[:2]), 2000 + int(card.expiry[3:])
    if not 1 <= month <= 12 or (year, month) < (today.year, today.month):
        found.append(FieldProblem("card.expiry", "expiry", "The card has expired (MM/YY)."))
    return found


def get(session: Session, *, payment_id: str) -> Row | None:
    return session.execute(_GET, {"b_id": payment_id}).first()


def earlier(session: Session, *, keyed: Keyed | None) -> Row | None:
    """The payment an earlier try of this request made (in any status), None for a new
    request; 422 `key_reused` when the key came with another request."""
    if keyed is None:
        return None
    serialize_on(session, f"payment:{keyed.key}")
    row = session.execute(_BY_REQUEST, {"b_key": keyed.key}).first()
    if row is not None and row.request_hash != keyed.fingerprint:
        raise ValidationFailed.one(
            "Idempotency-Key",
            "key_reused",
            "This Idempotency-Key was already used with a different request.",
        )
    return row


def open_intent(
    session: Session,
    *,
    account_id: str,
    order_id: str | None,
    amount_cents: int,
    currency: str,
    card: Card,
    keyed: Keyed | None,
    today: date,
) -> Row:
    """Step 1: the payment, pending, with the key it will be charged under."""
    found = problems(amount_cents=amount_cents, currency=currency, card=card, today=today)
    if found:
        raise ValidationFailed("The payment is not valid.", errors=found)
    return session.execute(
        insert(PAYMENTS).returning(*PAYMENTS.c),
        {
            "id": new_id("pmt"),
            "account_id": account_id,
            "order_id": order_id,
            "amount_cents": amount_cents,
            "currency": currency,
            "status": PENDING,
            "decline_code": None,
            "card_brand": cards.brand(card.number),
            "card_last4": card.number[-4:],
            "reference": None,
            "port_key": new_id("pik"),
            "request_key": keyed.key if keyed else None,
            "request_hash": keyed.fingerprint if keyed else None,
            "created_at": utcnow(),
            "settled_at": None,
        },
    ).one()


def settle(session: Session, *, payment: Row, charge: cards.Charge, actor: str) -> Row:
    """Step 3: the port's outcome recorded (once: a payment another try or the recovery
    pass settled first is answered as it stands), in the order's history if it has one."""
    row = session.execute(
        _SETTLE,
        {
            "b_id": payment.id,
            "b_status": charge.status,
            "b_code": charge.decline_code,
            "b_reference": charge.reference,
            "b_now": utcnow(),
        },
    ).first()
    if row is None:
        return session.execute(_GET, {"b_id": payment.id}).one()
    if row.order_id is not None:
        ledger.record(
            session,
            order_id=row.order_id,
            type=f"payment.{row.status}",
            actor=actor,
            data={"paymentId": row.id, "amountCents": row.amount_cents}
            | ({"declineCode": row.decline_code} if row.decline_code else {}),
        )
    return row


async def pay(
    database: Database,
    provider: cards.PaymentProvider,
    *,
    open_: Callable[[Session], tuple[Row, bool]],
    card: Card,
    actor: str,
) -> tuple[Row, bool]:
    """The three steps. `open_(session)` checks the request and returns the payment to
    charge and whether an earlier try made it. Returns the payment and whether this
    answer repeats an earlier try's."""
    async with database.request_transaction(write=True) as session:
        payment, again = open_(session)
    if payment.status != PENDING:
        return payment, again
    # The port is called with no transaction open (a provider may take seconds), off
    # the event loop.
    charge = await asyncio.to_thread(
        provider.charge,
        idempotency_key=payment.port_key,
        card_number=card.number,
        expiry=card.expiry,
        cvc=card.cvc,
        amount_cents=payment.amount_cents,
        currency=payment.currency,
    )
    async with database.request_transaction(write=True) as session:
        return settle(session, payment=payment, charge=charge, actor=actor), again


# ---- an order's payments -----------------------------------------------------------------


def of_order(session: Session, *, order_id: str) -> list[Row]:
    return list(session.execute(_OF_ORDER, {"b_order": order_id}))


def up_front_cents(session: Session, *, order: Row) -> int | None:
    """The plan's one-time charge plus its first month; None before a plan is chosen."""
    if order.package_plan_id is None:
        return None
    plan = packages.plan(session, order.package_plan_id).plan
    return plan["oneTimeCents"] + plan["monthlyCents"]


def paid_cents(session: Session, *, order_id: str) -> int:
    return int(session.execute(_PAID, {"b_order": order_id}).scalar_one())


def summary(session: Session, *, order: Row) -> dict[str, Any]:
    """What the order's provider asks to be paid before submit, and what was paid."""
    up_front = up_front_cents(session, order=order)
    paid = paid_cents(session, order_id=order.id)
    return {
        "required": providers.of(session, partner_id=order.partner_id).payment_required,
        "up_front_cents": up_front,
        "paid_cents": paid,
        "due_cents": None if up_front is None else max(up_front - paid, 0),
        "currency": ORDER_CURRENCY,
    }


def missing_payment(session: Session, *, order: Row) -> dict[str, Any] | None:
    """The submit problem of an order whose provider needs the up-front amount paid and
    whose succeeded payments do not cover it yet."""
    if not providers.of(session, partner_id=order.partner_id).payment_required:
        return None
    up_front = up_front_cents(session, order=order) or 0
    due = up_front - paid_cents(session, order_id=order.id)
    if due <= 0:
        return None
    amount = f"{due // 100}.{due % 100:02d}"
    return {
        "field": "payment",
        "rule": "payment_required",
        "message": f"Pay the order's up-front amount first: {amount} {ORDER_CURRENCY} is due.",
        "amount": amount,
        "currency": ORDER_CURRENCY,
    }


def order_amount(session: Session, *, order: Row, amount_cents: int | None) -> int:
    """The amount an order payment charges: as given, or what is due (409 `nothing_due`
    when the up-front amount is paid already)."""
    if amount_cents is not None:
        return amount_cents
    due = summary(session, order=order)["due_cents"]
    if not due:
        raise NothingDue("The order's up-front amount is paid; name an amount to pay more.")
    return due
