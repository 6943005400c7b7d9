"""Eligibility and promotion rules of catalog offers: pure functions of values."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

CATEGORIES = ("plan", "device", "accessory", "addon", "bundle")


@dataclass(frozen=True)
class Eligibility:
    eligible: bool
    reason: str | None = None


def eligibility(
    rules: dict[str, Any],
    *,
    zip_code: str | None,
    customer_type: str | None,
    existing_lines: int | None = None,
) -> Eligibility:
    """Whether an offer with these eligibility rules may be sold here and to this customer.

    An unknown ZIP, customer type or line count is not a reason to refuse: the rule
    applies when known. `minExistingLines` / `maxExistingLines` bound the lines the
    customer already has (an add-a-line offer, a new-customer offer).
    """
    prefixes = rules.get("zipPrefixes") or []
    if zip_code and prefixes and not any(zip_code.startswith(p) for p in prefixes):
        return Eligibility(False, f"not sold in ZIP code {zip_code}")
    types = rules.get("customerTypes") or []
    if customer_type and types and customer_type not in types:
        return Eligibility(False, f"not sold to {customer_type} customers")
    if existing_lines is not None:
        least, most = rules.get("minExistingLines"), rules.get("maxExistingLines")
        if least is not None and existing_lines < least:
            return Eligibility(False, f"sold to customers with at least {least} line(s)")
        if most is not None and existing_lines > most:
            return Eligibility(False, f"sold to customers with at most {most} line(s)")
    return Eligibility(True)


def needs_existing_lines(rules: dict[str, Any]) -> bool:
    """Whether the rules ask how many lines the customer already has."""
    return "minExistingLines" in rules or "maxExistingLines" in rules


def best_promotion(promotions: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The promotion with the largest monthly discount (one promotion per item)."""
    return max(promotions, key=lambda p: p.get("monthlyDiscountCents", 0), default=None)
