"""Amounts on the wire are decimal strings of cents."""

from __future__ import annotations

import pytest

from orderhub.surfaces.schemas import money


@pytest.mark.parametrize(
    ("cents", "text"),
    [
        (0, "0.00"),
        (5, "0.05"),
        (50, "0.50"),
        (100, "1.00"),
        (4500, "45.00"),
        (64999, "649.99"),
        (123456789, "1234567.89"),
        (-5, "-0.05"),
        (-100, "-1.00"),
        (-64999, "-649.99"),
    ],
)
def test_money_formats_cents_as_two_decimal_string(cents: int, text: str) -> None:
    assert money(cents) == text
