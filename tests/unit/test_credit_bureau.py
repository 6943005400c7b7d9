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


def test_same_applicant_gets_same_reference_across_bureaus() -> None:
    first = SandboxCreditBureau().evaluate(applicant())
    second = SandboxCreditBureau().evaluate(applicant(first_name="Anne", zip_code="10001"))

    assert isinstance(first, BureauReport)
    assert first == second


@pytest.mark.parametrize(
    "overrides",
    [{"ssn": "123456788"}, {"date_of_birth": date(1990, 5, 18)}],
    ids=["other-ssn", "other-birth-date"],
)
def test_other_applicant_gets_other_reference(overrides: dict[str, object]) -> None:
    bureau = SandboxCreditBureau()

    assert (
        bureau.evaluate(applicant(**overrides)).reference != bureau.evaluate(applicant()).reference
    )
