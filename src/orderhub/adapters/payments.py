"""Payments port. The sandbox decides by test card number, like a payment provider's test
cards (docs/sandbox.md); a real provider plugs in here. Card numbers never leave the
adapter call: only the brand and last four digits are kept."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Charge:
    status: str  # succeeded | declined | failed
    reference: str
    decline_code: str | None = None


class PaymentProvider(Protocol):
    def charge(
        self, *, card_number: str, expiry: str, cvc: str, amount_cents: int, currency: str
    ) -> Charge: ...


# Test cards: anything else that passes the Luhn check succeeds too.
DECLINED = {
    "4000000000000002": "card_declined",
    "4000000000009995": "insufficient_funds",
    "4000000000000069": "expired_card",
}
PROCESSING_ERROR = "4000000000000119"


class SandboxPayments:
    def charge(
        self, *, card_number: str, expiry: str, cvc: str, amount_cents: int, currency: str
    ) -> Charge:
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
