"""What keeps a quote from being valid: pure functions of its stored sites and items."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class QuoteProblem:
    code: str
    field: str
    message: str

    def to_dict(self) -> dict[str, Any]:
        """The shape of every problem (`field`, `rule`, `message`); `code`, the rule's
        name before `rule`, is kept beside it for one release."""
        return {"field": self.field, "rule": self.code, "message": self.message, "code": self.code}


@dataclass(frozen=True)
class SiteFacts:
    name: str | None
    address_valid: bool
    items_missing: list[list[str]]  # per item: the options still to choose


def problems(*, sites: list[SiteFacts], billing: dict[str, Any]) -> list[QuoteProblem]:
    """Every problem, in field order: sites and addresses, configurations, billing."""
    found: list[QuoteProblem] = []
    if not sites:
        found.append(QuoteProblem("sites_missing", "sites", "The quote has no site."))
    for n, site in enumerate(sites):
        label = site.name or f"site {n + 1}"
        if not site.address_valid:
            found.append(
                QuoteProblem(
                    "address_not_validated",
                    f"sites.{n}.address",
                    f"The address of {label} did not pass postal validation.",
                )
            )
        if not site.items_missing:
            found.append(
                QuoteProblem("products_missing", f"sites.{n}.products", f"{label} has no product.")
            )
        for m, left in enumerate(site.items_missing):
            for option in left:
                found.append(
                    QuoteProblem(
                        "configuration_incomplete",
                        f"sites.{n}.products.{m}.{option}",
                        f"Choose the {option} of product {m + 1} at {label}.",
                    )
                )
    if billing.get("invoiceDelivery", "email") == "email" and not billing.get("billingEmail"):
        found.append(
            QuoteProblem(
                "billing_incomplete",
                "billingPreferences.billingEmail",
                "E-mailed invoices need a billing e-mail.",
            )
        )
    return found
