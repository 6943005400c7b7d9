"""What keeps a quote from being valid: pure functions of its stored sites and items."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class QuoteProblem:
    code: str
    field: str
    message: str
    # speed_not_available: the fastest of the product's access speeds the site can have
    # (None if none can), and the qualification's limit.
    max_access_speed: str | None = None
    max_mbps: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """The shape of every problem (`field`, `rule`, `message`); `code`, the rule's
        name before `rule`, is kept beside it for one release."""
        found = {"field": self.field, "rule": self.code, "message": self.message, "code": self.code}
        if self.max_mbps is not None:
            found |= {"maxAccessSpeed": self.max_access_speed, "maxMbps": self.max_mbps}
        return found


@dataclass(frozen=True)
class ServiceFacts:
    """One product at one site, as site qualification answered for it."""

    product_name: str
    access_speed: str | None
    speeds: dict[str, int]  # the product's access speeds: id -> Mbps
    serviceable: bool
    max_mbps: int | None  # None: any speed
    reason: str | None


@dataclass(frozen=True)
class SiteFacts:
    name: str | None
    address_valid: bool
    items_missing: list[list[str]]  # per item: the options still to choose
    # Per item, what qualification found; empty when the address is not postal-valid
    # (there is no standardized address to ask about).
    service: list[ServiceFacts] = field(default_factory=list)


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
        for m, service in enumerate(site.service):
            found.extend(_qualification(service, at=f"sites.{n}.products.{m}", label=label))
    if billing.get("invoiceDelivery", "email") == "email" and not billing.get("billingEmail"):
        found.append(
            QuoteProblem(
                "billing_incomplete",
                "billingPreferences.billingEmail",
                "E-mailed invoices need a billing e-mail.",
            )
        )
    return found


def _qualification(service: ServiceFacts, *, at: str, label: str) -> list[QuoteProblem]:
    """Whether the product, at its access speed, can be served at the site."""
    why = f" ({service.reason})" if service.reason else ""
    if not service.serviceable:
        return [
            QuoteProblem(
                "not_serviceable",
                at,
                f"{service.product_name} cannot be served at {label}{why}.",
            )
        ]
    limit = service.max_mbps
    wanted = service.speeds.get(service.access_speed or "")
    if limit is None or wanted is None or wanted <= limit:
        return []
    fitting = [(mbps, speed) for speed, mbps in service.speeds.items() if mbps <= limit]
    fastest = max(fitting)[1] if fitting else None
    offer = f"choose {fastest} or slower" if fastest else "none of its speeds fits"
    return [
        QuoteProblem(
            "speed_not_available",
            f"{at}.accessSpeed",
            f"{service.product_name} at {label} can be served up to {limit} Mbps{why}: "
            f"{service.access_speed} is too fast; {offer}.",
            max_access_speed=fastest,
            max_mbps=limit,
        )
    ]
