"""Normalizing the phone numbers and e-mails customers sign in with."""

from __future__ import annotations

import pytest

from orderhub.customers.rules import normalize_email, normalize_identifier, normalize_phone


def shifted(digits: str, zero: int) -> str:
    """ASCII digits rewritten in another script whose zero is at code point `zero`."""
    return digits.translate({ord("0") + i: zero + i for i in range(10)})


@pytest.mark.parametrize(
    "raw",
    [
        "2145550123",
        "214-555-0123",
        "(214) 555-0123",
        "214.555.0123",
        " 214 555 0123 ",
        "+1 214 555 0123",
        "1-214-555-0123",
        "12145550123",
        "+1 (214) 555-0123",
    ],
)
def test_phone_punctuation_and_country_code_are_dropped(raw: str) -> None:
    assert normalize_phone(raw) == "2145550123"


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "214555012",  # nine digits
        "214555012345",  # twelve digits
        "22145550123",  # eleven digits not starting with 1
        "0145550123",  # area code starts with 0
        "1145550123",  # ten digits, area code starts with 1
        "2140550123",  # exchange starts with 0
        "2141550123",  # exchange starts with 1
        "1-014-555-0123",  # area starts with 0 after the country code
        "214-555-O123",  # letter O
        "214/555/0123",
        "ext 2145550123",
        "+44 20 7946 0958",
    ],
)
def test_not_a_nanp_number_is_refused(raw: str) -> None:
    assert normalize_phone(raw) is None


@pytest.mark.parametrize(
    "raw",
    [shifted("2145550123", 0xFF10), shifted("2145550123", 0x0660)],
    ids=["fullwidth", "arabic"],
)
def test_non_ascii_digits_are_not_a_phone(raw: str) -> None:
    assert normalize_phone(raw) is None


@pytest.mark.parametrize(
    ("raw", "email"),
    [
        ("ann@example.com", "ann@example.com"),
        ("  Ann.Lee@Example.COM ", "ann.lee@example.com"),
        ("a+tag@sub.example.co", "a+tag@sub.example.co"),
    ],
)
def test_email_is_trimmed_and_lower_cased(raw: str, email: str) -> None:
    assert normalize_email(raw) == email


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "ann",
        "ann@",
        "@example.com",
        "ann@example",
        "ann@@example.com",
        "a nn@example.com",
        "ann@exa mple.com",
        "ann@example.com@x.com",
    ],
)
def test_malformed_email_is_refused(raw: str) -> None:
    assert normalize_email(raw) is None


def test_email_longer_than_254_characters_is_refused() -> None:
    at_limit = "a" * 242 + "@example.com"  # 254 characters
    too_long = "a" + at_limit

    assert normalize_email(at_limit) == at_limit
    assert normalize_email(too_long) is None


@pytest.mark.parametrize(
    ("raw", "parsed"),
    [
        ("Ann@Example.com", ("email", "ann@example.com")),
        ("(214) 555-0123", ("phone", "2145550123")),
        ("+12145550123", ("phone", "2145550123")),
        ("ann@example", None),
        ("214555012", None),
        ("", None),
        ("hello", None),
    ],
)
def test_identifier_is_an_email_or_a_phone(raw: str, parsed: tuple[str, str] | None) -> None:
    assert normalize_identifier(raw) == parsed
