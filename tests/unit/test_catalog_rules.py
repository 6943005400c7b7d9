"""Offer eligibility and the choice of promotion."""

from __future__ import annotations

from typing import Any

import pytest

from orderhub.catalog.rules import Eligibility, best_promotion, eligibility, needs_existing_lines

TEXAS_CONSUMERS = {"zipPrefixes": ["75", "760"], "customerTypes": ["consumer"]}


def check(rules: dict[str, Any] | None = None, **overrides: str | None) -> Eligibility:
    values: dict[str, str | None] = {"zip_code": "75201", "customer_type": "consumer"}
    values.update(overrides)
    return eligibility(TEXAS_CONSUMERS if rules is None else rules, **values)


@pytest.mark.parametrize(
    "rules",
    [{}, {"zipPrefixes": [], "customerTypes": []}, {"zipPrefixes": None, "customerTypes": None}],
)
def test_offer_without_rules_is_sold_everywhere(rules: dict[str, Any]) -> None:
    assert check(rules, zip_code="10001", customer_type="business") == Eligibility(True)


@pytest.mark.parametrize("zip_code", ["75201", "76012", "75"])
def test_zip_matching_a_prefix_is_eligible(zip_code: str) -> None:
    assert check(zip_code=zip_code) == Eligibility(True)


@pytest.mark.parametrize("zip_code", ["10001", "76112", "07520"])
def test_zip_outside_every_prefix_is_refused_with_reason(zip_code: str) -> None:
    assert check(zip_code=zip_code) == Eligibility(False, f"not sold in ZIP code {zip_code}")


def test_customer_type_not_listed_is_refused_with_reason() -> None:
    assert check(customer_type="business") == Eligibility(False, "not sold to business customers")


def test_zip_is_checked_before_customer_type() -> None:
    got = check(zip_code="10001", customer_type="business")

    assert got == Eligibility(False, "not sold in ZIP code 10001")


@pytest.mark.parametrize(
    "overrides",
    [
        {"zip_code": None},
        {"zip_code": ""},
        {"customer_type": None},
        {"customer_type": ""},
        {"zip_code": None, "customer_type": None},
    ],
    ids=["no-zip", "empty-zip", "no-type", "empty-type", "nothing-known"],
)
def test_unknown_zip_or_type_is_not_a_reason_to_refuse(overrides: dict[str, str | None]) -> None:
    assert check(**overrides) == Eligibility(True)


def test_unknown_zip_still_checks_a_known_type() -> None:
    assert check(zip_code=None, customer_type="business").eligible is False


def test_best_promotion_of_none_is_none() -> None:
    assert best_promotion([]) is None


def test_best_promotion_has_the_largest_monthly_discount() -> None:
    small = {"code": "S", "monthlyDiscountCents": 500}
    large = {"code": "L", "monthlyDiscountCents": 1500}
    nothing = {"code": "N"}

    assert best_promotion([small, large, nothing]) is large
    assert best_promotion([nothing, small]) is small


def test_best_promotion_tie_keeps_the_first() -> None:
    first = {"code": "A", "monthlyDiscountCents": 1000}
    second = {"code": "B", "monthlyDiscountCents": 1000}

    assert best_promotion([first, second]) is first


@pytest.mark.parametrize(
    ("lines", "eligible"), [(None, True), (0, False), (1, True), (3, True), (4, False)]
)
def test_existing_lines_bound_who_may_buy(lines: int | None, eligible: bool) -> None:
    rules = {"minExistingLines": 1, "maxExistingLines": 3}
    verdict = eligibility(rules, zip_code=None, customer_type=None, existing_lines=lines)
    assert verdict.eligible is eligible
    assert (verdict.reason is None) is eligible


def test_only_line_rules_ask_for_the_line_count() -> None:
    assert needs_existing_lines({"minExistingLines": 1})
    assert needs_existing_lines({"maxExistingLines": 0})
    assert not needs_existing_lines({"customerTypes": ["consumer"], "zipPrefixes": ["752"]})
