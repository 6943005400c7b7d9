"""TMF620 bodies read as the engine's offer (a catalog file's offer, camelCase keys) and
as a price change; checked here for what TMF names, then by catalog/offerings.py as a
catalog file's offer is."""

from __future__ import annotations

from typing import Any

from orderhub.catalog import rules as catalog_rules
from orderhub.errors import FieldProblem, ValidationFailed
from orderhub.surfaces.tmf.catalog_schemas import (
    Money,
    OfferingBody,
    PriceRefOrValue,
    ProductOfferingPriceUpdate,
)
from orderhub.surfaces.tmf.catalog_views import MONTHLY, ONE_TIME


def _category_of(body: OfferingBody) -> str | None:
    """The consumer category named by `category` (or `productSpecification`)."""
    named = []
    if body.category:
        named.append(("category.0.id", body.category[0].id))
    if body.product_specification is not None:
        named.append(("productSpecification.id", body.product_specification.id))
    found: str | None = None
    for where, id in named:
        category = id.removeprefix("consumer.")
        if not id.startswith("consumer.") or category not in catalog_rules.CATEGORIES:
            known = ", ".join(f"consumer.{c}" for c in catalog_rules.CATEGORIES)
            raise ValidationFailed.one(
                where,
                "unknown_category",
                f"'{id[:80]}' is not a category offerings are created in; use one of {known}.",
            )
        if found is not None and found != category:
            raise ValidationFailed.one(
                where, "category_mismatch", "category and productSpecification disagree."
            )
        found = category
    return found


def _price(
    index: int, price: PriceRefOrValue, known: dict[str, tuple[str, int]]
) -> tuple[str, int]:
    at = f"productOfferingPrice.{index}"
    # A price given by value is one of the offer's two charges, named after the offering;
    # a reference's name is ignored (a reference is its id).
    for name, given in (("description", price.description), ("name", price.name)):
        if given is not None and (name == "description" or price.price is not None):
            raise ValidationFailed.one(
                f"{at}.{name}",
                "not_supported",
                f"A price's {name} is not kept: an offering's prices are its monthly and "
                "one-time charges, named after it.",
            )
    if price.price is None:
        if price.id is None or price.id not in known:
            raise ValidationFailed.one(
                f"{at}.id",
                "unknown_price",
                "Give a price either as a value (priceType and price) or as the id of a "
                "consumer offering's price ('<offeringId>:monthly' or ':oneTime').",
            )
        return known[price.id]
    if price.price_type not in ("recurring", "oneTime"):
        raise ValidationFailed.one(
            f"{at}.priceType", "price_type", "priceType is 'recurring' (monthly) or 'oneTime'."
        )
    if price.price_type == "recurring" and price.recurring_charge_period_type not in (
        None,
        "month",
        "monthly",
    ):
        raise ValidationFailed.one(
            f"{at}.recurringChargePeriodType", "charge_period", "Recurring prices are monthly."
        )
    return (
        MONTHLY if price.price_type == "recurring" else ONE_TIME,
        _cents(price.price, f"{at}.price"),
    )


def _cents(money: Money, at: str) -> int:
    if money.unit not in (None, "USD"):
        raise ValidationFailed.one(
            f"{at}.unit", "currency", "Offerings are priced in USD ('unit': 'USD')."
        )
    return int(money.value * 100)


def price_change(
    id: str, body: ProductOfferingPriceUpdate, *, known_prices: dict[str, tuple[str, int]]
) -> tuple[str, dict[str, Any]]:
    """The offering a consumer price belongs to, and its offer's new charge."""
    kind, _ = known_prices[id]
    wanted = "recurring" if kind == MONTHLY else "oneTime"
    if body.price_type not in (None, wanted):
        raise ValidationFailed.one(
            "priceType",
            "price_type",
            f"This price is '{wanted}'; a price's type does not change (give the offering "
            "its prices instead: PATCH /productOffering).",
        )
    if kind == MONTHLY and body.recurring_charge_period_type not in (None, "month", "monthly"):
        raise ValidationFailed.one(
            "recurringChargePeriodType", "charge_period", "Recurring prices are monthly."
        )
    cents = _cents(body.price, "price")
    if cents == 0:
        raise ValidationFailed.one(
            "price.value",
            "zero_price",
            "A price is a charge above zero; to drop it, PATCH the offering's "
            "productOfferingPrice without it.",
        )
    return id.rsplit(":", 1)[0], {"monthlyCents" if kind == MONTHLY else "oneTimeCents": cents}


def offer_input(body: OfferingBody, *, known_prices: dict[str, tuple[str, int]]) -> dict[str, Any]:
    """What the body sets, as a catalog file's offer (only the attributes it names)."""
    given = body.model_fields_set
    offer: dict[str, Any] = {}
    if "name" in given and getattr(body, "name", None) is not None:
        offer["name"] = body.name  # type: ignore[attr-defined]
    if "description" in given:
        offer["description"] = body.description or ""
    category = _category_of(body)
    if category is not None:
        offer["category"] = category
    if "lines" in given and body.lines is not None:
        offer["lines"] = body.lines
    if "eligibility" in given:
        offer["eligibility"] = body.eligibility or {}
    if "product_offering_price" in given:
        charges = {MONTHLY: 0, ONE_TIME: 0}
        seen: set[str] = set()
        for index, price in enumerate(body.product_offering_price or []):
            kind, cents = _price(index, price, known_prices)
            if kind in seen:
                raise ValidationFailed(
                    "An offering has one monthly and one one-time price at most.",
                    errors=[
                        FieldProblem(
                            f"productOfferingPrice.{index}",
                            "price_twice",
                            f"A second {kind} price.",
                        )
                    ],
                )
            seen.add(kind)
            charges[kind] = cents
        offer["monthlyCents"], offer["oneTimeCents"] = charges[MONTHLY], charges[ONE_TIME]
    return offer


def new_offer(body: OfferingBody, *, known_prices: dict[str, tuple[str, int]]) -> dict[str, Any]:
    """A new offering's offer: a consumer category is required."""
    offer = offer_input(body, known_prices=known_prices)
    if "category" not in offer:
        known = ", ".join(f"consumer.{c}" for c in catalog_rules.CATEGORIES)
        raise ValidationFailed.one(
            "category", "category_required", f"Name the offering's category: one of {known}."
        )
    return offer
