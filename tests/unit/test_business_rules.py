"""Business customer lookup keys, alliance rules and exception request states."""

from __future__ import annotations

import pytest

from orderhub.business.rules import (
    AllianceStatus,
    address_key,
    can_quote,
    name_key,
    needs_exception,
    normalize_tax_id,
)
from orderhub.business.states import ExceptionStatus, transition
from orderhub.lifecycle import InvalidTransition


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("Bluebonnet Bank, Inc.", "bluebonnet bank"),
        ("  BLUEBONNET   bank  ", "bluebonnet bank"),
        ("Acme Logistics LLC", "acme logistics"),
        ("Smith & Sons Co", "smith and sons"),
        ("Prairie Foods Co.", "prairie foods"),
        ("Company", "company"),  # nothing but a legal form: kept
        ("Inc. Corp", "inc corp"),
        ("!!!", ""),
    ],
)
def test_name_key_ignores_case_punctuation_and_legal_form(raw, key):
    assert name_key(raw) == key


@pytest.mark.parametrize(
    ("raw", "digits"),
    [
        ("75-2466789", "752466789"),
        ("752466789", "752466789"),
        (" 75 2466789 ", "752466789"),
        ("75-246678", None),
        ("75-24667890", None),
        ("AB-2466789", None),
        ("७५२४६६७८९", None),  # digits, but not ASCII ones
    ],
)
def test_tax_id_is_nine_ascii_digits(raw, digits):
    assert normalize_tax_id(raw) == digits


def test_address_key_uses_the_five_digit_zip():
    assert address_key("1500 MAIN ST", "75201-1234") == "1500 MAIN ST|75201"


def test_alliance_customers_may_be_quoted_alliance_only_ones_after_an_approval():
    assert can_quote(AllianceStatus.ALLIANCE, exception_approved=False)
    assert not needs_exception(AllianceStatus.ALLIANCE)
    assert needs_exception(AllianceStatus.ALLIANCE_ONLY)
    assert not can_quote(AllianceStatus.ALLIANCE_ONLY, exception_approved=False)
    assert can_quote(AllianceStatus.ALLIANCE_ONLY, exception_approved=True)


@pytest.mark.parametrize("target", [ExceptionStatus.APPROVED, ExceptionStatus.REJECTED])
def test_a_pending_request_can_be_decided(target):
    assert transition("pending", target) is target


@pytest.mark.parametrize("current", ["approved", "rejected"])
@pytest.mark.parametrize(
    "target", [ExceptionStatus.APPROVED, ExceptionStatus.REJECTED, ExceptionStatus.PENDING]
)
def test_a_decision_is_final(current, target):
    with pytest.raises(InvalidTransition) as caught:
        transition(current, target)
    assert caught.value.extra == {"currentStatus": current, "requestedStatus": str(target)}
