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
    rules: dict[str, Any], *, zip_code: str | None, customer_type: str | None
) -> Eligibility:
    """Whether an offer with these eligibility rules may be sold here and to this customer.

    An unknown ZIP or customer type is not a reason to refuse: the rule applies when known.
    """
    prefixes = rules.get("zipPrefixes") or []
    if zip_code and prefixes and not any(zip_code.startswith(p) for p in prefixes):
        return Eligibility(False, f"not sold in ZIP code {zip_code}")
    types = rules.get("customerTypes") or []
    if customer_type and types and customer_type not in types:
        return Eligibility(False, f"not sold to {customer_type} customers")
    return Eligibility(True)


def best_promotion(promotions: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The promotion with the largest monthly discount (one promotion per item)."""
    return max(promotions, key=lambda p: p.get("monthlyDiscountCents", 0), default=None)
