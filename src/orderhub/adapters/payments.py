"""Payments port. The sandbox decides by test card number, like a payment provider's test
cards (docs/sandbox.md); a real provider plugs in here. Card numbers never leave the
adapter call: only the brand and last four digits are kept.

Every charge carries an idempotency key, as payment providers' APIs take one: a second
charge with a key already used returns the first charge's result and charges nothing,
and `lookup` answers what became of a key. That is what lets the caller charge outside
its database transaction and still never charge twice or lose a charge
(onboarding/payments.py).
"""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from sqlalchemy import Index, Integer, Row, String, bindparam, insert, select
from sqlalchemy.orm import Mapped, mapped_column

from orderhub.db import Base, Database, UTCDateTime, serialize_on
from orderhub.ids import utcnow


@dataclass(frozen=True)
class Charge:
    status: str  # succeeded | declined | failed
    reference: str | None  # None: never charged (payment_recovery.py)
    decline_code: str | None = None


class PaymentProvider(Protocol):
    def charge(
        self,
        *,
        idempotency_key: str,
        card_number: str,
        expiry: str,
        cvc: str,
        amount_cents: int,
        currency: str,
    ) -> Charge:
        """Charge once per key: a repeated key returns the first result."""
        ...

    def lookup(self, idempotency_key: str) -> Charge | None:
        """The charge made under this key, None if the provider never saw it."""
        ...


# Test cards: anything else that passes the Luhn check succeeds too.
DECLINED = {
    "4000000000000002": "card_declined",
    "4000000000009995": "insufficient_funds",
    "4000000000000069": "expired_card",
}
PROCESSING_ERROR = "4000000000000119"


class SandboxCharge(Base):
    """A charge the sandbox made, by idempotency key: kept in the database so every process
    (`orderhub serve`, `orderhub worker`'s recovery pass) sees the same charges."""

    __tablename__ = "sandbox_payment_charges"
    __table_args__ = (Index("ix_sandbox_payment_charges_created_at", "created_at"),)

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    amount_cents: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(20))
    decline_code: Mapped[str | None] = mapped_column(String(40))
    reference: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


_CHARGES = SandboxCharge.__table__
_BY_KEY = select(_CHARGES).where(_CHARGES.c.key == bindparam("b_key"))
_ALL = select(_CHARGES).order_by(_CHARGES.c.created_at, _CHARGES.c.key)


def _charge_of(row: Row) -> Charge:
    return Charge(row.status, row.reference, row.decline_code)


@dataclass(frozen=True)
class Ledgered:
    """One charge the sandbox made: what a provider's dashboard would list."""

    idempotency_key: str
    amount_cents: int
    currency: str
    charge: Charge


class SandboxPayments:
    """Charges remembered by idempotency key, like a provider's (which keeps them for a
    day or more): in the database's `sandbox_payment_charges` when given a database (the
    server and worker: each charge in its own short transaction, called outside any
    request transaction), else in memory for the life of the object (unit tests, CLI
    commands that charge nothing). `ledger` lists each charge made, once."""

    def __init__(self, database: Database | None = None) -> None:
        self._database = database
        self._by_key: dict[str, Charge] = {}
        self._ledger: list[Ledgered] = []
        self._lock = threading.Lock()

    @property
    def ledger(self) -> list[Ledgered]:
        if self._database is None:
            return list(self._ledger)
        with self._database.transaction(write=False) as session:
            rows = session.execute(_ALL).all()
        return [Ledgered(r.key, r.amount_cents, r.currency, _charge_of(r)) for r in rows]

    def charge(
        self,
        *,
        idempotency_key: str,
        card_number: str,
        expiry: str,
        cvc: str,
        amount_cents: int,
        currency: str,
    ) -> Charge:
        if self._database is not None:
            return self._charge_in_database(idempotency_key, card_number, amount_cents, currency)
        with self._lock:
            if (first := self._by_key.get(idempotency_key)) is not None:
                return first
            made = _decide(card_number)
            self._by_key[idempotency_key] = made
            self._ledger.append(Ledgered(idempotency_key, amount_cents, currency, made))
            return made

    def _charge_in_database(
        self, key: str, card_number: str, amount_cents: int, currency: str
    ) -> Charge:
        assert self._database is not None
        with self._database.transaction() as session:
            # Tries of one key (in any process) take turns: the first inserts, the others
            # read its charge.
            serialize_on(session, f"sandbox-charge:{key}")
            if (first := session.execute(_BY_KEY, {"b_key": key}).first()) is not None:
                return _charge_of(first)
            made = _decide(card_number)
            session.execute(
                insert(_CHARGES),
                {
                    "key": key,
                    "amount_cents": amount_cents,
                    "currency": currency,
                    "status": made.status,
                    "decline_code": made.decline_code,
                    "reference": made.reference,
                    "created_at": utcnow(),
                },
            )
            return made

    def lookup(self, idempotency_key: str) -> Charge | None:
        if self._database is not None:
            with self._database.transaction(write=False) as session:
                row = session.execute(_BY_KEY, {"b_key": idempotency_key}).first()
            return None if row is None else _charge_of(row)
        with self._lock:
            return self._by_key.get(idempotency_key)


def _decide(card_number: str) -> Charge:
    """The sandbox's rule: by test card number (docs/sandbox.md)."""
    reference = "pay_ref_" + secrets.token_hex(8)
    if card_number == PROCESSING_ERROR:
        return Charge("failed", reference, "processing_error")
    if card_number in DECLINED:
        return Charge("declined", reference, DECLINED[card_number])
    return Charge("succeeded", reference)


def luhn_valid(number: str) -> bool:
    digits = [int(d) for d in number]
    odd = digits[-1::-2]
    even = [sum(divmod(2 * d, 10)) for d in digits[-2::-2]]
    return (sum(odd) + sum(even)) % 10 == 0


def brand(number: str) -> str:
    if number.startswith("4"):
        return "visa"
    if number[:2] in {"51", "52", "53", "54", "55"} or "2221" <= number[:4] <= "2720":
        return "mastercard"
    if number[:2] in {"34", "37"}:
        return "amex"
    return "other"
