"""Payments against an onboarding account, and for one of its orders, charged outside any
database transaction.

A charge is three steps: (1) the payment is recorded `pending` with the idempotency key
it will be charged under (`port_key`) and committed; (2) the payments port is called with
that key, no transaction open; (3) the outcome is recorded in a new transaction. A crash
between them leaves a pending row, never an unrecorded charge: a retry of the same
request (same Idempotency-Key) finds the row and calls the port again with the same key,
which returns the first charge instead of charging again; without a retry, the recovery
pass (payment_recovery.py) asks the port what became of the key. The port call is bounded
by PORT_TIMEOUT, well inside the recovery's wait, so the pass does not ask about a key
while a request is still waiting for it; a port that fails or times out is answered 503
`payment_provider_unavailable` and the payment stays pending.

An order has at most one pending payment: while one is on its way, another (which could
not know whether the first will cover what is due) is refused 409 `payment_pending`.

Seed 003: "The Create Payment function can collect a payment for you if you wish that to
be part of the order process". An order's up-front amount is its plan's one-time charge
plus the first month; a provider that asks for it (providers.py) has submit refuse an
order whose succeeded payments do not cover it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Row, bindparam, func, insert, or_, select, update
from sqlalchemy.orm import Session

from orderhub.adapters import payments as cards
from orderhub.db import Database, serialize_on
from orderhub.errors import Conflict, FieldProblem, OrderHubError, ValidationFailed
from orderhub.ids import new_id, utcnow
from orderhub.ledger import service as ledger
from orderhub.onboarding import orders, packages, providers
from orderhub.onboarding.models import Payment
from orderhub.onboarding.states import OrderStatus, require_at_least

log = logging.getLogger(__name__)
PAYMENTS = Payment.__table__
PENDING = "pending"
SUCCEEDED = "succeeded"
# What the recovery pass records for an intent the port never saw: nothing was charged.
NOT_CHARGED = "not_charged"
CURRENCIES = ("USD", "AUD", "CAD", "EUR", "GBP")
ORDER_CURRENCY = "USD"  # the currency plan prices are in
MAX_AMOUNT_CENTS = 10_000_000  # 100,000.00 per payment
# How long a request waits for the port: far below payment_recovery.STALE_AFTER (15 min).
PORT_TIMEOUT_SECONDS = 60.0

_GET = select(PAYMENTS).where(PAYMENTS.c.id == bindparam("b_id"))
_BY_REQUEST = select(PAYMENTS).where(PAYMENTS.c.request_key == bindparam("b_key"))
_OF_ORDER = (
    select(PAYMENTS)
    .where(PAYMENTS.c.order_id == bindparam("b_order"))
    .order_by(PAYMENTS.c.created_at, PAYMENTS.c.id)
)
_PENDING_OF_ORDER = (
    select(PAYMENTS.c.id)
    .where(PAYMENTS.c.order_id == bindparam("b_order"), PAYMENTS.c.status == PENDING)
    .order_by(PAYMENTS.c.created_at, PAYMENTS.c.id)
    .limit(1)
)
_PAID = select(func.coalesce(func.sum(PAYMENTS.c.amount_cents), 0)).where(
    PAYMENTS.c.order_id == bindparam("b_order"), PAYMENTS.c.status == SUCCEEDED
)
_SETTLED = dict(
    status=bindparam("b_status"),
    decline_code=bindparam("b_code"),
    reference=bindparam("b_reference"),
    settled_at=bindparam("b_now"),
)
# Conditional updates: whichever try (request, retry, a recovery pass in any process)
# changes the row writes the history event; the others change nothing and write none.
# A pending payment takes any outcome.
_SETTLE_PENDING = (
    update(PAYMENTS)
    .where(PAYMENTS.c.id == bindparam("b_id"), PAYMENTS.c.status == PENDING)
    .values(**_SETTLED)
    .returning(*PAYMENTS.c)
)
# A payment the recovery pass closed as never charged takes only a real charge (one with
# a reference) that turns up after all, so that charge is recorded, never lost; another
# "never charged" answer (a second recovery pass) changes nothing.
_SETTLE_CHARGED = (
    update(PAYMENTS)
    .where(
        PAYMENTS.c.id == bindparam("b_id"),
        or_(PAYMENTS.c.status == PENDING, PAYMENTS.c.decline_code == NOT_CHARGED),
    )
    .values(**_SETTLED)
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


class PaymentPending(Conflict):
    code = "payment_pending"
    title = "A payment of the order is pending"


class PaymentProviderUnavailable(OrderHubError):
    status = 503
    code = "payment_provider_unavailable"
    title = "Payment provider unavailable"


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
        _SETTLE_PENDING if charge.reference is None else _SETTLE_CHARGED,
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
    # A payment the recovery pass closed as never charged may have been charged since by
    # the slow try it gave up on: asked again under the same key, the port answers that
    # charge (recorded by settle) or, if there is none, charges now.
    if payment.status != PENDING and payment.decline_code != NOT_CHARGED:
        return payment, again
    try:
        # The port is called with no transaction open (a provider may take seconds), off
        # the event loop, for at most PORT_TIMEOUT_SECONDS. (The thread itself cannot be
        # stopped: a real provider's client needs its own, shorter, network timeout.)
        charge = await asyncio.wait_for(
            asyncio.to_thread(
                provider.charge,
                idempotency_key=payment.port_key,
                card_number=card.number,
                expiry=card.expiry,
                cvc=card.cvc,
                amount_cents=payment.amount_cents,
                currency=payment.currency,
            ),
            PORT_TIMEOUT_SECONDS,
        )
    except Exception as exc:  # whatever the provider's client raises, and the timeout
        log.warning("payment %s: the payments port failed (%s)", payment.id, type(exc).__name__)
        raise PaymentProviderUnavailable(
            f"The payments provider did not answer; payment '{payment.id}' stays pending. "
            "Retry with the same Idempotency-Key: it is charged at most once.",
            extra={"paymentId": payment.id},
        ) from exc
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


def open_for_order(
    session: Session,
    *,
    partner_id: str,
    order_id: str,
    amount_cents: int | None,
    currency: str,
    card: Card,
    keyed: Keyed | None,
    today: date,
) -> tuple[Row, bool]:
    """Step 1 of an order payment: the earlier try's payment, or a new pending one.

    The order row is claimed first, so tries of one order (in any process) take turns
    between here and their commit; a new payment is refused while another is pending
    (409 `payment_pending`): what is due depends on how that one ends."""
    order = orders.claim(session, partner_id=partner_id, order_id=order_id)
    if (made := earlier(session, keyed=keyed)) is not None:
        return made, True
    require_at_least(order.status, OrderStatus.PACKAGE_SELECTED, "payment")
    pending = session.execute(_PENDING_OF_ORDER, {"b_order": order.id}).scalar()
    if pending is not None:
        raise PaymentPending(
            f"Payment '{pending}' of this order is still pending. Retry that request with "
            "its Idempotency-Key, or wait until it is settled (at the latest by the "
            "recovery pass, 15 minutes after it was made).",
            extra={"paymentId": pending},
        )
    intent = open_intent(
        session,
        account_id=order.account_id,
        order_id=order.id,
        amount_cents=order_amount(session, order=order, amount_cents=amount_cents),
        currency=currency,
        card=card,
        keyed=keyed,
        today=today,
    )
    return intent, False


def order_amount(session: Session, *, order: Row, amount_cents: int | None) -> int:
    """The amount an order payment charges: as given, or what is due (409 `nothing_due`
    when the up-front amount is paid already)."""
    if amount_cents is not None:
        return amount_cents
    due = summary(session, order=order)["due_cents"]
    if not due:
        raise NothingDue("The order's up-front amount is paid; name an amount to pay more.")
    return due
