"""Credit policy, applicant checks and keyed hashes."""

from __future__ import annotations

from datetime import date

import pytest

from orderhub.credit.rules import (
    DEPOSIT_PER_LINE_CENTS,
    NO_DEPOSIT_SCORE,
    CreditPolicy,
    age_on,
    keyed_hash,
    policy_for,
    ssn_problem,
)


def fullwidth(digits: str) -> str:
    """The same digits as FULLWIDTH DIGIT characters, which str.isdigit() also accepts."""
    return digits.translate({ord("0") + i: 0xFF10 + i for i in range(10)})


NOTHING_MAY_BE_SOLD = CreditPolicy(
    max_lines=0, deposit_required=False, deposit_cents=0, down_payment_percent=0
)


def test_thresholds_are_the_documented_ones() -> None:
    assert NO_DEPOSIT_SCORE == 700
    assert DEPOSIT_PER_LINE_CENTS == 15_000


@pytest.mark.parametrize("score", [700, 760, 850])
def test_approved_at_or_above_700_needs_no_deposit(score: int) -> None:
    policy = policy_for(decision="approved", score=score, lines=4)

    assert policy == CreditPolicy(
        max_lines=5, deposit_required=False, deposit_cents=0, down_payment_percent=0
    )


@pytest.mark.parametrize(
    ("lines", "deposit_cents"),
    [(0, 15_000), (1, 15_000), (2, 30_000), (3, 45_000), (4, 45_000), (9, 45_000)],
)
def test_approved_below_700_pays_150_per_line(lines: int, deposit_cents: int) -> None:
    policy = policy_for(decision="approved", score=699, lines=lines)

    assert policy == CreditPolicy(
        max_lines=3, deposit_required=True, deposit_cents=deposit_cents, down_payment_percent=30
    )


@pytest.mark.parametrize("decision", ["manualReview", "declined"])
@pytest.mark.parametrize("score", [520, 760])
def test_not_approved_allows_nothing_whatever_the_score(decision: str, score: int) -> None:
    assert policy_for(decision=decision, score=score, lines=2) == NOTHING_MAY_BE_SOLD


@pytest.mark.parametrize("ssn", ["123456789", "001010001", "665999999", "899990000"])
def test_plausible_ssn_has_no_problem(ssn: str) -> None:
    assert ssn_problem(ssn) is None


@pytest.mark.parametrize(
    ("ssn", "problem"),
    [
        ("", "must be 9 digits"),
        ("12345678", "must be 9 digits"),
        ("1234567890", "must be 9 digits"),
        ("123-45-6789", "must be 9 digits"),
        ("12345678a", "must be 9 digits"),
        ("000123456", "has an area number that is never issued"),
        ("666123456", "has an area number that is never issued"),
        ("900123456", "has an area number that is never issued"),
        ("999123456", "has an area number that is never issued"),
        ("123001234", "has a group number that is never issued"),
    ],
)
def test_impossible_ssn_says_why(ssn: str, problem: str) -> None:
    assert ssn_problem(ssn) == problem


@pytest.mark.parametrize(
    "ssn", [fullwidth("123456789"), "\u00b2" * 9], ids=["fullwidth", "superscript"]
)
def test_non_ascii_digits_are_not_an_ssn(ssn: str) -> None:
    assert ssn_problem(ssn) == "must be 9 digits"


@pytest.mark.parametrize(
    ("birth", "today", "age"),
    [
        (date(2000, 6, 15), date(2018, 6, 14), 17),
        (date(2000, 6, 15), date(2018, 6, 15), 18),
        (date(2000, 6, 15), date(2018, 6, 16), 18),
        (date(2000, 12, 31), date(2019, 1, 1), 18),
        (date(2000, 2, 29), date(2018, 2, 28), 17),
        (date(2000, 2, 29), date(2018, 3, 1), 18),
        (date(2000, 2, 29), date(2020, 2, 29), 20),
    ],
    ids=["day-before", "birthday", "day-after", "new-year", "leap-feb28", "leap-mar1", "leap-day"],
)
def test_age_counts_whole_years(birth: date, today: date, age: int) -> None:
    assert age_on(birth, today) == age


def test_keyed_hash_is_stable_and_hides_the_value() -> None:
    digest = keyed_hash(b"k", "ssn", "123456789")

    assert digest == keyed_hash(b"k", "ssn", "123456789")
    assert len(digest) == 64
    assert "123456789" not in digest


@pytest.mark.parametrize(
    ("key", "purpose", "value"),
    [
        (b"other", "ssn", "123456789"),
        (b"k", "dob", "123456789"),
        (b"k", "ssn", "123456780"),
    ],
    ids=["other-key", "other-purpose", "other-value"],
)
def test_keyed_hash_differs_by_key_purpose_and_value(key: bytes, purpose: str, value: str) -> None:
    assert keyed_hash(key, purpose, value) != keyed_hash(b"k", "ssn", "123456789")
