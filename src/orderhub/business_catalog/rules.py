"""Configuring and pricing a business product: pure functions of the product and a choice.

A configuration may be incomplete while a quote is drafted (`missing` lists what is left);
what is chosen must be offered (`problems`), and `price` prices what is there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from orderhub.errors import FieldProblem

FAMILIES = frozenset({"dedicatedInternet", "ethernet", "voice"})


@dataclass(frozen=True)
class Speed:
    id: str
    mbps: int
    monthly_cents: int


@dataclass(frozen=True)
class Installation:
    id: str
    name: str
    one_time_cents: int


@dataclass(frozen=True)
class Promotion:
    id: str
    name: str
    monthly_discount_cents: int = 0
    one_time_discount_cents: int = 0
    months: int | None = None
    # Offered only from this access speed up (e.g. a waiver for 1 Gbps and more).
    min_access_mbps: int = 0


@dataclass(frozen=True)
class ProductSpec:
    id: str
    name: str
    family: str
    currency: str
    access_speeds: dict[str, Speed]
    port_speeds: dict[str, Speed]
    installations: dict[str, Installation]
    discount_min_percent: int
    discount_max_percent: int
    promotions: dict[str, Promotion]

    @classmethod
    def from_data(cls, row: Any) -> ProductSpec:
        """From a BusinessProduct row (or anything with its attributes)."""
        options = row.options or {}

        def speeds(key: str) -> dict[str, Speed]:
            return {
                s["id"]: Speed(s["id"], int(s["mbps"]), int(s.get("monthlyCents", 0)))
                for s in options.get(key, [])
            }

        return cls(
            id=row.id,
            name=row.name,
            family=row.family,
            currency=row.currency,
            access_speeds=speeds("accessSpeeds"),
            port_speeds=speeds("portSpeeds"),
            installations={
                i["id"]: Installation(i["id"], i["name"], int(i.get("oneTimeCents", 0)))
                for i in options.get("installationOptions", [])
            },
            discount_min_percent=row.discount_min_percent,
            discount_max_percent=row.discount_max_percent,
            promotions={
                p["id"]: Promotion(
                    p["id"],
                    p["name"],
                    int(p.get("monthlyDiscountCents", 0)),
                    int(p.get("oneTimeDiscountCents", 0)),
                    p.get("months"),
                    int(p.get("minAccessMbps", 0)),
                )
                for p in row.promotions or []
            },
        )


@dataclass(frozen=True)
class ItemChoice:
    """What a partner chose for one product at one site."""

    product_id: str
    access_speed: str | None = None
    port_speed: str | None = None
    installation_option: str | None = None
    discount_percent: int = 0
    promotion_ids: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class ItemPrice:
    access_monthly_cents: int
    port_monthly_cents: int
    discount_monthly_cents: int
    promotion_monthly_cents: int
    installation_one_time_cents: int
    promotion_one_time_cents: int

    @property
    def list_monthly_cents(self) -> int:
        return self.access_monthly_cents + self.port_monthly_cents

    @property
    def monthly_cents(self) -> int:
        return self.list_monthly_cents - self.discount_monthly_cents - self.promotion_monthly_cents

    @property
    def one_time_cents(self) -> int:
        return self.installation_one_time_cents - self.promotion_one_time_cents


def problems(product: ProductSpec, choice: ItemChoice, *, at: str) -> list[FieldProblem]:
    """Every chosen value the product does not offer, each naming its field under `at`."""
    found: list[FieldProblem] = []

    def offered(value: str | None, options: dict[str, Any], name: str, what: str) -> None:
        if value is not None and value not in options:
            allowed = ", ".join(options) or "none"
            found.append(
                FieldProblem(
                    f"{at}.{name}",
                    "not_offered",
                    f"{product.name} offers no {what} '{value}' (offered: {allowed}).",
                )
            )

    offered(choice.access_speed, product.access_speeds, "accessSpeed", "access speed")
    offered(choice.port_speed, product.port_speeds, "portSpeed", "port speed")
    offered(choice.installation_option, product.installations, "installationOption", "installation")
    access = product.access_speeds.get(choice.access_speed or "")
    port = product.port_speeds.get(choice.port_speed or "")
    if access and port and port.mbps > access.mbps:
        found.append(
            FieldProblem(
                f"{at}.portSpeed",
                "port_exceeds_access",
                f"Port speed {port.id} is faster than access speed {access.id}.",
            )
        )
    low, high = product.discount_min_percent, product.discount_max_percent
    if not low <= choice.discount_percent <= high:
        found.append(
            FieldProblem(
                f"{at}.discountPercent",
                "discount_out_of_range",
                f"{product.name} allows a discount of {low} to {high} percent.",
            )
        )
    seen: set[str] = set()
    for n, promotion_id in enumerate(choice.promotion_ids):
        promotion = product.promotions.get(promotion_id)
        where = f"{at}.promotionIds.{n}"
        if promotion_id in seen:
            found.append(FieldProblem(where, "duplicate", f"Promotion '{promotion_id}' repeats."))
        elif promotion is None or (access and access.mbps < promotion.min_access_mbps):
            found.append(
                FieldProblem(
                    where,
                    "promotion_unavailable",
                    f"Promotion '{promotion_id}' is not available for this configuration.",
                )
            )
        seen.add(promotion_id)
    return found


def missing(product: ProductSpec, choice: ItemChoice) -> list[str]:
    """The wire names of the options still to choose before the quote is complete."""
    left = []
    if product.access_speeds and choice.access_speed is None:
        left.append("accessSpeed")
    if product.port_speeds and choice.port_speed is None:
        left.append("portSpeed")
    if product.installations and choice.installation_option is None:
        left.append("installationOption")
    return left


def price(product: ProductSpec, choice: ItemChoice) -> ItemPrice:
    """The item's prices from the catalog; options not chosen yet count zero. Call on a
    choice without `problems`."""
    access = product.access_speeds.get(choice.access_speed or "")
    port = product.port_speeds.get(choice.port_speed or "")
    installation = product.installations.get(choice.installation_option or "")
    access_cents = access.monthly_cents if access else 0
    port_cents = port.monthly_cents if port else 0
    list_monthly = access_cents + port_cents
    # Half up to the cent, in integers: 10% of 649.95 is 65.00, not 64.99.
    discount = (list_monthly * choice.discount_percent + 50) // 100
    installation_cents = installation.one_time_cents if installation else 0
    promotions = [product.promotions[p] for p in choice.promotion_ids]
    # Promotions never take a price below zero.
    promo_monthly = min(sum(p.monthly_discount_cents for p in promotions), list_monthly - discount)
    promo_one_time = min(sum(p.one_time_discount_cents for p in promotions), installation_cents)
    return ItemPrice(
        access_monthly_cents=access_cents,
        port_monthly_cents=port_cents,
        discount_monthly_cents=discount,
        promotion_monthly_cents=promo_monthly,
        installation_one_time_cents=installation_cents,
        promotion_one_time_cents=promo_one_time,
    )
