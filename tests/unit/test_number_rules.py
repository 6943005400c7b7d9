"""What a requested number's state means to the order asking, and the line count a
reservation leads to: pure rules, no database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from orderhub.numbers.rules import Availability, availability, in_area, lines_after_reserving

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
LATER = NOW + timedelta(minutes=10)
EARLIER = NOW - timedelta(minutes=10)


def _state(number="2145551000", status="available", holder=None, until=None, zip_code="75201"):
    return availability(
        number=number,
        status=status,
        holder=holder,
        reserved_until=until,
        order_id="ord_me",
        zip_code=zip_code,
        now=NOW,
    )


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({}, Availability.AVAILABLE),
        ({"status": "reserved", "holder": "ord_me", "until": LATER}, "reservedByThisOrder"),
        ({"status": "reserved", "holder": "ord_other", "until": LATER}, "reserved"),
        ({"status": "reserved", "holder": "ord_other", "until": EARLIER}, "available"),
        ({"status": "reserved", "holder": "ord_me", "until": EARLIER}, "available"),
        ({"status": "assigned", "holder": "ord_other"}, "taken"),
        ({"status": None}, "unknown"),
        ({"number": "7135551000"}, "notInArea"),
        ({"number": "7135551000", "status": "assigned"}, "notInArea"),
        ({"number": "7135551000", "zip_code": "77002"}, "available"),
        ({"number": "7135551000", "zip_code": None}, "available"),
        ({"number": "3125551000", "status": None}, "unknown"),
    ],
)
def test_availability(kwargs, expected):
    assert _state(**kwargs) == expected


def test_only_free_numbers_and_the_orders_own_are_available():
    assert [a for a in Availability if a.available] == ["available", "reservedByThisOrder"]


@pytest.mark.parametrize(
    ("number", "zip_code", "expected"),
    [
        ("2145551000", "75201", True),
        ("4695551000", "75024", True),
        ("9725551000", "75039", True),
        ("7135551000", "75201", False),
        ("2145551000", "77002", False),
        ("5555551000", "75201", True),  # an area code of no known region
        ("7135551000", None, True),  # a customer without an address
    ],
)
def test_in_area(number, zip_code, expected):
    assert in_area(number, zip_code) is expected


@pytest.mark.parametrize(
    ("held", "held_for_item", "item_lines", "expected"),
    [
        (0, 0, 1, 1),  # the first number
        (1, 1, 1, 1),  # a one-line item's number replaced: its old one is released
        (1, 0, 1, 2),  # a second item's number
        (3, 3, 4, 4),  # a bundle's fourth line
        (4, 4, 4, 4),  # a bundle's fifth number replaces its oldest
    ],
)
def test_lines_after_reserving(held, held_for_item, item_lines, expected):
    assert lines_after_reserving(held=held, held_for_item=held_for_item, item_lines=item_lines) == (
        expected
    )
