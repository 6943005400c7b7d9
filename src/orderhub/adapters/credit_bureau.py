"""Credit bureau port and its deterministic sandbox.

Sandbox test values (docs/sandbox.md), by the SSN's last four digits:
0000 declined, 1111 approved with a deposit, 2222 manual review, anything else approved.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date
from typing import Protocol


@dataclass(frozen=True)
class Applicant:
    first_name: str
    last_name: str
    date_of_birth: date
    ssn: str  # nine digits; never logged
    zip_code: str


@dataclass(frozen=True)
class BureauReport:
    decision: str  # approved | declined | manualReview
    score: int
    reference: str


class CreditBureau(Protocol):
    def evaluate(self, applicant: Applicant) -> BureauReport: ...


class SandboxCreditBureau:
    """Decides by the SSN's last four digits, like a card processor's test numbers."""

    RULES = {
        "0000": ("declined", 520),
        "1111": ("approved", 640),  # approved, but below the no-deposit threshold
        "2222": ("manualReview", 600),
    }

    def evaluate(self, applicant: Applicant) -> BureauReport:
        decision, score = self.RULES.get(applicant.ssn[-4:], ("approved", 760))
        # Random, never derived from the SSN: a hash of nine digits is one brute force away.
        return BureauReport(
            decision=decision, score=score, reference="SBX-" + secrets.token_hex(6).upper()
        )
