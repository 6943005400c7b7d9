"""Notes and payments against an onboarding account."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Row, bindparam, insert, select
from sqlalchemy.orm import Session

from orderhub.adapters import payments as cards
from orderhub.errors import FieldProblem, ValidationFailed
from orderhub.ids import new_id, utcnow
from orderhub.onboarding.models import AccountNote, Payment

NOTES = AccountNote.__table__
PAYMENTS = Payment.__table__
CURRENCIES = ("USD", "AUD", "CAD", "EUR", "GBP")
MAX_AMOUNT_CENTS = 10_000_000  # 100,000.00 per payment
_NOTES_OF = (
    select(NOTES)
    .where(NOTES.c.account_id == bindparam("b_id"))
    .order_by(NOTES.c.created_at.desc(), NOTES.c.id)
    .limit(bindparam("b_limit"))
)
_PAYMENTS_OF = (
    select(PAYMENTS)
    .where(PAYMENTS.c.account_id == bindparam("b_id"))
    .order_by(PAYMENTS.c.created_at.desc(), PAYMENTS.c.id)
    .limit(bindparam("b_limit"))
)


def add_note(session: Session, *, account_id: str, text: str, author: str) -> Row:
    return session.execute(
        insert(NOTES).returning(*NOTES.c),
        {
            "id": new_id("nte"),
            "account_id": account_id,
            "text": text,
            "author": author,
            "created_at": utcnow(),
        },
    ).one()


def notes_of(session: Session, *, account_id: str, limit: int) -> list[Row]:
    return list(session.execute(_NOTES_OF, {"b_id": account_id, "b_limit": limit}))


def payments_of(session: Session, *, account_id: str, limit: int) -> list[Row]:
    return list(session.execute(_PAYMENTS_OF, {"b_id": account_id, "b_limit": limit}))


def pay(
    session: Session,
    *,
    account_id: str,
    amount_cents: int,
    currency: str,
    card_number: str,
    expiry: str,
    cvc: str,
    provider: cards.PaymentProvider,
    today: date,
) -> Row:
    """Charge the card and record the outcome; a decline is an answer, not an error."""
    problems = []
    if not 0 < amount_cents <= MAX_AMOUNT_CENTS:
        problems.append(FieldProblem("amount", "amount_range", "Between 0.01 and 100000.00."))
    if currency not in CURRENCIES:
        problems.append(FieldProblem("currency", "currency", f"One of {', '.join(CURRENCIES)}."))
    if not cards.luhn_valid(card_number):
        problems.append(FieldProblem("card.number", "luhn", "Not a valid card number."))
    month, year = int(expiry[:2]), 2000 + int(expiry[3:])
    if not 1 <= month <= 12 or (year, month) < (today.year, today.month):
        problems.append(FieldProblem("card.expiry", "expiry", "The card has expired (MM/YY)."))
    if problems:
        raise ValidationFailed("The payment is not valid.", errors=problems)
    charge = provider.charge(
        card_number=card_number,
        expiry=expiry,
        cvc=cvc,
        amount_cents=amount_cents,
        currency=currency,
    )
    return session.execute(
        insert(PAYMENTS).returning(*PAYMENTS.c),
        {
            "id": new_id("pmt"),
            "account_id": account_id,
            "amount_cents": amount_cents,
            "currency": currency,
            "status": charge.status,
            "decline_code": charge.decline_code,
            "card_brand": cards.brand(card_number),
            "card_last4": card_number[-4:],
            "reference": charge.reference,
            "created_at": utcnow(),
        },
    ).one()
