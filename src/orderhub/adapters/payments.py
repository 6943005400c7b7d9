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
from typing import Protocol


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


@dataclass(frozen=True)
class Ledgered:
    """One charge the sandbox made: what a provider's dashboard would list."""

    idempotency_key: str
    amount_cents: int
    currency: str
    charge: Charge


class SandboxPayments:
    """Charges remembered by idempotency key for the life of the process (a provider
    keeps them for a day or more); `ledger` lists each charge made, once."""

    def __init__(self) -> None:
        self._by_key: dict[str, Charge] = {}
        self.ledger: list[Ledgered] = []
        self._lock = threading.Lock()

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
        with self._lock:
            if (first := self._by_key.get(idempotency_key)) is not None:
                return first
            reference = "pay_ref_" + secrets.token_hex(8)
            if card_number == PROCESSING_ERROR:
                made = Charge("failed", reference, "processing_error")
            elif card_number in DECLINED:
                made = Charge("declined", reference, DECLINED[card_number])
            else:
                made = Charge("succeeded", reference)
            self._by_key[idempotency_key] = made
            self.ledger.append(Ledgered(idempotency_key, amount_cents, currency, made))
            return made

    def lookup(self, idempotency_key: str) -> Charge | None:
        with self._lock:
            return self._by_key.get(idempotency_key)


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
