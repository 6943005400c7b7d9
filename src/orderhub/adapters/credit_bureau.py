"""Credit bureau port and its deterministic sandbox.

Sandbox test values (docs/sandbox.md), by the last four digits of the SSN (consumers) or
the tax id (business customers): 0000 declined, 1111 approved with a deposit, 2222
manual review, anything else approved.
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


@dataclass(frozen=True)
class BusinessApplicant:
    name: str
    tax_id: str  # nine digits (EIN); never logged
    zip_code: str


class CreditBureau(Protocol):
    def evaluate(self, applicant: Applicant) -> BureauReport: ...

    def evaluate_business(self, applicant: BusinessApplicant) -> BureauReport: ...


class SandboxCreditBureau:
    """Decides by the SSN's last four digits, like a card processor's test numbers."""

    RULES = {
        "0000": ("declined", 520),
        "1111": ("approved", 640),  # approved, but below the no-deposit threshold
        "2222": ("manualReview", 600),
    }

    def evaluate(self, applicant: Applicant) -> BureauReport:
        return self._decide(applicant.ssn[-4:])

    def evaluate_business(self, applicant: BusinessApplicant) -> BureauReport:
        """The same test values, by the tax id's last four digits."""
        return self._decide(applicant.tax_id[-4:])

    def _decide(self, last4: str) -> BureauReport:
        decision, score = self.RULES.get(last4, ("approved", 760))
        # Random, never derived from the id: a hash of nine digits is one brute force away.
        return BureauReport(
            decision=decision, score=score, reference="SBX-" + secrets.token_hex(6).upper()
        )
