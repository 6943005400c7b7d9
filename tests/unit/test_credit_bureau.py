"""The sandbox credit bureau decides by the SSN's last four digits."""

from __future__ import annotations

import re
from datetime import date

import pytest

from orderhub.adapters.credit_bureau import Applicant, BureauReport, SandboxCreditBureau


def applicant(**overrides: object) -> Applicant:
    values: dict[str, object] = {
        "first_name": "Ann",
        "last_name": "Lee",
        "date_of_birth": date(1990, 5, 17),
        "ssn": "123456789",
        "zip_code": "75201",
    }
    values.update(overrides)
    return Applicant(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("ssn", "decision", "score"),
    [
        ("123450000", "declined", 520),
        ("123451111", "approved", 640),
        ("123452222", "manualReview", 600),
        ("123456789", "approved", 760),
        ("123453333", "approved", 760),
        ("000011112", "approved", 760),
    ],
    ids=["0000-declined", "1111-deposit", "2222-review", "other", "3333-other", "only-last-4"],
)
def test_decision_follows_last_four_digits(ssn: str, decision: str, score: int) -> None:
    report = SandboxCreditBureau().evaluate(applicant(ssn=ssn))

    assert (report.decision, report.score) == (decision, score)


def test_reference_looks_like_a_sandbox_file_number() -> None:
    report = SandboxCreditBureau().evaluate(applicant())

    assert re.fullmatch(r"SBX-[0-9A-F]{12}", report.reference)


def test_reference_reveals_nothing_about_the_ssn() -> None:
    # Two evaluations of the same applicant get unrelated references: a reference derived
    # from the SSN could be brute-forced back to it from the last four digits.
    bureau = SandboxCreditBureau()
    first, second = bureau.evaluate(applicant()), bureau.evaluate(applicant())

    assert isinstance(first, BureauReport)
    assert (first.decision, first.score) == (second.decision, second.score)
    assert first.reference != second.reference
    assert "6789" not in first.reference


@pytest.mark.parametrize(
    ("tax_id", "decision"),
    [
        ("751230000", "declined"),
        ("754561111", "approved"),
        ("757892222", "manualReview"),
        ("752466789", "approved"),
    ],
)
def test_business_customers_are_decided_by_the_tax_ids_last_four_digits(tax_id, decision):
    from orderhub.adapters.credit_bureau import BusinessApplicant

    report = SandboxCreditBureau().evaluate_business(
        BusinessApplicant(name="Acme", tax_id=tax_id, zip_code="75201")
    )

    assert report.decision == decision
    assert tax_id not in report.reference
