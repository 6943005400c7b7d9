"""Credit policy from a bureau decision, and applicant checks: pure functions of values."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import date

NO_DEPOSIT_SCORE = 700
DEPOSIT_PER_LINE_CENTS = 15_000
MAX_LINES_PRIME = 5
MAX_LINES_WITH_DEPOSIT = 3


@dataclass(frozen=True)
class CreditPolicy:
    max_lines: int
    deposit_required: bool
    deposit_cents: int
    down_payment_percent: int


def policy_for(*, decision: str, score: int, lines: int) -> CreditPolicy:
    """What the decision allows: lines, deposit (per line ordered) and device down payment."""
    if decision == "approved" and score >= NO_DEPOSIT_SCORE:
        return CreditPolicy(MAX_LINES_PRIME, False, 0, 0)
    if decision == "approved":
        return CreditPolicy(
            MAX_LINES_WITH_DEPOSIT,
            True,
            # Deposit per line, for no more lines than the policy allows.
            DEPOSIT_PER_LINE_CENTS * min(max(lines, 1), MAX_LINES_WITH_DEPOSIT),
            30,
        )
    # Declined, or waiting for a person to review: nothing may be sold yet.
    return CreditPolicy(0, False, 0, 0)


def ssn_problem(ssn: str) -> str | None:
    """Why a nine-digit SSN cannot be real (area 000, 666 or 9xx; group 00), or None."""
    if len(ssn) != 9 or not (ssn.isascii() and ssn.isdigit()):
        return "must be 9 digits"
    area, group = ssn[:3], ssn[3:5]
    if area in ("000", "666") or area.startswith("9"):
        return "has an area number that is never issued"
    if group == "00":
        return "has a group number that is never issued"
    return None


def age_on(birth: date, today: date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def keyed_hash(key: bytes, purpose: str, value: str) -> str:
    """Recognise a repeated SSN or birth date without being able to recover it."""
    return hmac.new(key, f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()
