"""Submission problems, discounts and totals of an order."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest

from orderhub.orders.rules import (
    CreditView,
    FulfillmentView,
    LineItem,
    Problem,
    Reservation,
    SubmissionFacts,
    monthly_discount,
    order_totals,
    submission_problems,
)

NOW = datetime(2025, 1, 1, 12, 0, tzinfo=UTC)
TERMS = "2025-01"


def fulfillment(**overrides: object) -> FulfillmentView:
    values: dict[str, object] = {
        "method": "shipping",
        "address_valid": True,
        "has_contact": True,
        "terms_version": TERMS,
        "terms_accepted": True,
    }
    values.update(overrides)
    return FulfillmentView(**values)  # type: ignore[arg-type]


def reservation(item_id: str = "itm_1", number: str = "2145550101", **overrides: object):
    values: dict[str, object] = {
        "item_id": item_id,
        "number": number,
        "reserved_until": NOW + timedelta(minutes=15),
        "status": "reserved",
    }
    values.update(overrides)
    return Reservation(**values)  # type: ignore[arg-type]


def facts(**overrides: object) -> SubmissionFacts:
    """A draft with one one-line plan, approved credit, shipping set up and a live number."""
    values: dict[str, object] = {
        "status": "draft",
        "items": [LineItem("itm_1", "Unlimited", 1), LineItem("itm_2", "Case", 0)],
        "credit": CreditView("approved", 5),
        "fulfillment": fulfillment(),
        "reservations": [reservation()],
        "terms_version": TERMS,
        "now": NOW,
    }
    values.update(overrides)
    return SubmissionFacts(**values)  # type: ignore[arg-type]


def codes(found: list[Problem]) -> list[str]:
    return [p.code for p in found]


def test_fully_valid_order_has_no_problems() -> None:
    assert submission_problems(facts()) == []


@pytest.mark.parametrize("method", ["pickup", "storePickup"])
def test_non_shipping_fulfillment_needs_no_validated_address(method: str) -> None:
    given = facts(fulfillment=fulfillment(method=method, address_valid=None))

    assert submission_problems(given) == []


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"status": "submitted"}, "order_not_draft"),
        ({"credit": None}, "credit_missing"),
        ({"credit": CreditView("declined", 0)}, "credit_declined"),
        ({"credit": CreditView("manualReview", 0)}, "credit_under_review"),
        ({"credit": CreditView("approved", 0)}, "too_many_lines"),
        ({"fulfillment": None}, "fulfillment_missing"),
        ({"fulfillment": fulfillment(address_valid=False)}, "address_not_validated"),
        ({"fulfillment": fulfillment(address_valid=None)}, "address_not_validated"),
        ({"fulfillment": fulfillment(has_contact=False)}, "contact_missing"),
        ({"fulfillment": fulfillment(terms_accepted=False)}, "terms_not_accepted"),
        ({"fulfillment": fulfillment(terms_version="2024-06")}, "terms_outdated"),
        ({"reservations": []}, "number_missing"),
        ({"reservations": [reservation(item_id="itm_2")]}, "number_missing"),
    ],
    ids=[
        "not-draft",
        "no-credit",
        "declined",
        "under-review",
        "too-many-lines",
        "no-fulfillment",
        "address-invalid",
        "address-unchecked",
        "no-contact",
        "terms-not-accepted",
        "terms-outdated",
        "no-reservation",
        "reservation-for-other-item",
    ],
)
def test_each_problem_is_reported_alone(overrides: dict[str, object], expected: str) -> None:
    assert codes(submission_problems(facts(**overrides))) == [expected]


def test_not_draft_problem_names_the_status() -> None:
    (problem,) = submission_problems(facts(status="completed"))

    assert problem.to_dict() == {
        "code": "order_not_draft",
        "message": "The order is already 'completed'.",
    }


def test_too_many_lines_counts_every_item_and_reports_numbers() -> None:
    items = [LineItem("itm_1", "Plan", 2), LineItem("itm_3", "Plan", 2)]
    reservations = [
        reservation("itm_1", "1"),
        reservation("itm_1", "2"),
        reservation("itm_3", "3"),
        reservation("itm_3", "4"),
    ]

    found = submission_problems(
        facts(items=items, reservations=reservations, credit=CreditView("approved", 3))
    )

    assert [p.to_dict() for p in found] == [
        {
            "code": "too_many_lines",
            "message": "The order has 4 lines; the credit policy allows 3.",
            "field": "items",
            "lines": 4,
            "maxLines": 3,
        }
    ]


def test_lines_at_the_credit_limit_are_allowed() -> None:
    assert submission_problems(facts(credit=CreditView("approved", 1))) == []


def test_terms_not_accepted_hides_terms_outdated() -> None:
    given = facts(fulfillment=fulfillment(terms_accepted=False, terms_version=None))

    assert codes(submission_problems(given)) == ["terms_not_accepted"]


def test_all_fulfillment_problems_are_reported_together() -> None:
    given = facts(
        fulfillment=fulfillment(address_valid=False, has_contact=False, terms_accepted=False)
    )

    assert codes(submission_problems(given)) == [
        "address_not_validated",
        "contact_missing",
        "terms_not_accepted",
    ]


@pytest.mark.parametrize("until", [NOW, NOW - timedelta(seconds=1)], ids=["at-now", "before"])
def test_expired_reservation_is_reported_and_the_number_is_missing(until: datetime) -> None:
    found = submission_problems(facts(reservations=[reservation(reserved_until=until)]))

    assert [p.to_dict() for p in found] == [
        {
            "code": "reservation_expired",
            "message": "The reservation of 2145550101 expired; reserve it again.",
            "field": "numbers",
            "itemId": "itm_1",
            "number": "2145550101",
        },
        {
            "code": "number_missing",
            "message": "Item 'Unlimited' needs 1 reserved number(s) and has 0.",
            "field": "numbers",
            "itemId": "itm_1",
            "needed": 1,
            "reserved": 0,
        },
    ]


def test_reservation_without_expiry_counts_as_live() -> None:
    assert submission_problems(facts(reservations=[reservation(reserved_until=None)])) == []


def test_partly_reserved_item_reports_how_many_it_has() -> None:
    items = [LineItem("itm_1", "Family", 3)]

    (problem,) = submission_problems(facts(items=items))

    assert problem.code == "number_missing"
    assert problem.details == {"itemId": "itm_1", "needed": 3, "reserved": 1}


def test_every_independent_problem_is_collected() -> None:
    given = facts(status="submitted", credit=None, fulfillment=None, reservations=[])

    assert codes(submission_problems(given)) == [
        "order_not_draft",
        "credit_missing",
        "fulfillment_missing",
        "number_missing",
    ]


def test_problem_to_dict_omits_missing_field() -> None:
    assert Problem("x", "y").to_dict() == {"code": "x", "message": "y"}
    assert dataclasses.replace(Problem("x", "y"), field="f").to_dict()["field"] == "f"


@pytest.mark.parametrize(
    ("monthly_cents", "promotion", "discount"),
    [
        (5000, None, 0),
        (5000, {}, 0),
        (5000, {"name": "no discount key"}, 0),
        (5000, {"monthlyDiscountCents": 1000}, 1000),
        (5000, {"monthlyDiscountCents": 5000}, 5000),
        (5000, {"monthlyDiscountCents": 9000}, 5000),
        (0, {"monthlyDiscountCents": 1000}, 0),
    ],
    ids=["none", "empty", "no-key", "partial", "whole-price", "capped", "free-item"],
)
def test_monthly_discount_is_capped_at_the_price(
    monthly_cents: int, promotion: dict[str, object] | None, discount: int
) -> None:
    assert monthly_discount(monthly_cents=monthly_cents, promotion=promotion) == discount


@pytest.mark.parametrize(
    ("items", "totals"),
    [
        ([], (0, 0)),
        ([(1, 5000, 0, 0)], (5000, 0)),
        ([(2, 5000, 1000, 0)], (8000, 0)),
        ([(1, 0, 0, 64999), (3, 1500, 500, 2999)], (3000, 64999 + 3 * 2999)),
    ],
    ids=["empty", "one-plan", "discounted-pair", "device-and-addons"],
)
def test_order_totals(items: list[tuple[int, int, int, int]], totals: tuple[int, int]) -> None:
    assert order_totals(items) == totals


@pytest.mark.parametrize(
    ("method", "zip_code", "expected"),
    [
        ("shipping", "75039", ["not_sold_at_address"]),
        ("shipping", "75201", []),
        ("shipping", None, []),
        ("storePickup", "75039", []),
    ],
)
def test_zip_limited_offers_must_ship_inside_their_zips(
    method: str, zip_code: str | None, expected: list[str]
) -> None:
    home_internet = LineItem("itm_9", "5G Home Internet", 0, {"zipPrefixes": ["752"]})
    found = submission_problems(
        facts(
            items=[LineItem("itm_1", "Unlimited", 1), home_internet],
            fulfillment=fulfillment(method=method, zip_code=zip_code),
        )
    )
    assert codes(found) == expected
