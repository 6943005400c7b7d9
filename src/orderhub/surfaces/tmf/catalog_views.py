"""The engine's three catalogs as TMF620 resources, and TMF input as the engine's offer.

* catalogs: `consumer` (the consumer offers), `business` (the business products partners
  quote), `onboarding` (the service providers' packages);
* categories: `consumer.<category>` (plan, device, accessory, addon, bundle),
  `business.<family>`, `onboarding.package`;
* product offerings: a consumer offer, a business product or an onboarding package, by
  its own id;
* product offering prices, derived from what the offering charges: `<offerId>:monthly`
  and `<offerId>:oneTime` (each present when not zero), `<productId>:accessSpeed:<id>`,
  `<productId>:portSpeed:<id>`, `<productId>:installation:<id>`,
  `<packageId>:<planId>:monthly` / `:oneTime`;
* product specifications: `consumer.<category>`, `business.<family>`,
  `onboarding.<serviceTypeId>`.

Operations see every offering; partners and customers the sold ones only (a launched
consumer offer, an active business product, every onboarding package).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from fastapi import Request

from orderhub.catalog import offerings
from orderhub.catalog import rules as catalog_rules
from orderhub.errors import FieldProblem, NotFound, ValidationFailed
from orderhub.surfaces.tmf.catalog_schemas import (
    Money,
    OfferingBody,
    PriceRefOrValue,
    ProductOfferingPriceUpdate,
)
from orderhub.surfaces.tmf.conventions import PRODUCT_CATALOG, when

LAUNCHED = str(offerings.SOLD)
CONSUMER, BUSINESS, ONBOARDING = "consumer", "business", "onboarding"
CATALOG_NAMES = {
    CONSUMER: ("Consumer catalog", "Mobile plans, devices, accessories, add-ons and bundles."),
    BUSINESS: ("Business catalog", "Business services partners quote and order."),
    ONBOARDING: ("Onboarding catalog", "Packages of services for service providers."),
}
CONSUMER_CATEGORIES = {
    "plan": "Plans",
    "device": "Devices",
    "accessory": "Accessories",
    "addon": "Add-ons",
    "bundle": "Bundles",
}
BUSINESS_FAMILIES = {
    "dedicatedInternet": "Dedicated Internet",
    "ethernet": "Ethernet",
    "voice": "Voice",
}
PACKAGE_CATEGORY = "onboarding.package"
MONTHLY, ONE_TIME = "monthly", "oneTime"


class ResourceNotFound(NotFound):
    code = "not_found"


def _money(cents: int, currency: str) -> dict[str, Any]:
    return {"unit": currency, "value": float(Decimal(cents) / 100)}


@dataclass
class Shelf:
    """Every TMF620 resource the caller sees, by kind and id (the catalogs are small)."""

    request: Request
    operator: bool
    catalogs: dict[str, dict[str, Any]] = field(default_factory=dict)
    categories: dict[str, dict[str, Any]] = field(default_factory=dict)
    offerings: dict[str, dict[str, Any]] = field(default_factory=dict)
    prices: dict[str, dict[str, Any]] = field(default_factory=dict)
    specifications: dict[str, dict[str, Any]] = field(default_factory=dict)
    # A consumer offer's prices by POP id: (monthly | oneTime, cents), for references.
    consumer_prices: dict[str, tuple[str, int]] = field(default_factory=dict)

    def href(self, resource: str, id: str) -> str:
        return PRODUCT_CATALOG.href(self.request, resource, id)

    def ref(self, resource: str, referred: str, id: str, name: str) -> dict[str, Any]:
        return {"id": id, "href": self.href(resource, id), "name": name, "@referredType": referred}

    def kind(self, name: str) -> dict[str, dict[str, Any]]:
        return {
            "catalog": self.catalogs,
            "category": self.categories,
            "productOffering": self.offerings,
            "productOfferingPrice": self.prices,
            "productSpecification": self.specifications,
        }[name]

    def one(self, kind: str, id: str) -> dict[str, Any]:
        found = self.kind(kind).get(id)
        if found is None:
            raise ResourceNotFound(f"No {kind} '{id}'.", code=f"{kind}_not_found")
        return found

    # ---- building -------------------------------------------------------------------

    def _category(self, catalog: str, id: str, name: str) -> None:
        self.categories[id] = {
            "id": id,
            "href": self.href("category", id),
            "@type": "Category",
            "name": name,
            "description": f"{name} of the {CATALOG_NAMES[catalog][0].lower()}.",
            "isRoot": True,
            "lifecycleStatus": LAUNCHED,
            "productOffering": [],
        }
        self.catalogs[catalog]["category"].append(self.ref("category", "Category", id, name))

    def _specification(self, id: str, name: str, description: str, **more: Any) -> None:
        self.specifications[id] = {
            "id": id,
            "href": self.href("productSpecification", id),
            "@type": "ProductSpecification",
            "name": name,
            "description": description,
            "isBundle": False,
            "lifecycleStatus": LAUNCHED,
            **more,
        }

    def _price(
        self,
        id: str,
        name: str,
        *,
        cents: int,
        currency: str,
        recurring: bool,
        status: str,
        updated: Any,
    ) -> dict[str, Any]:
        price = {
            "id": id,
            "href": self.href("productOfferingPrice", id),
            "@type": "ProductOfferingPrice",
            "name": name,
            "isBundle": False,
            "lifecycleStatus": status,
            "priceType": "recurring" if recurring else "oneTime",
            "price": _money(cents, currency),
        }
        if recurring:
            price |= {"recurringChargePeriodType": "month", "recurringChargePeriodLength": 1}
        if updated is not None:
            price["lastUpdate"] = when(updated)
        self.prices[id] = price
        return self.ref("productOfferingPrice", "ProductOfferingPrice", id, name)

    def _offering(
        self,
        id: str,
        name: str,
        *,
        description: str,
        status: str,
        category: str,
        specification: str | None,
        prices: list[dict[str, Any]],
        updated: Any = None,
        is_bundle: bool = False,
        **more: Any,
    ) -> None:
        category_name = self.categories[category]["name"]
        offering = {
            "id": id,
            "href": self.href("productOffering", id),
            "@type": "ProductOffering",
            "name": name,
            "description": description,
            "lifecycleStatus": status,
            "isBundle": is_bundle,
            "isSellable": status == LAUNCHED,
            "category": [self.ref("category", "Category", category, category_name)],
            "productOfferingPrice": prices,
            **more,
        }
        if updated is not None:
            offering["lastUpdate"] = when(updated)
        if specification is not None:
            spec_name = self.specifications[specification]["name"]
            offering["productSpecification"] = self.ref(
                "productSpecification", "ProductSpecification", specification, spec_name
            )
        self.offerings[id] = offering
        self.categories[category]["productOffering"].append(
            self.ref("productOffering", "ProductOffering", id, name)
        )


def shelf(request: Request, sources: offerings.Sources, *, operator: bool) -> Shelf:
    """The catalogs as TMF620 resources, as `operator` (or anybody else) sees them."""
    s = Shelf(request=request, operator=operator)
    for id, (name, description) in CATALOG_NAMES.items():
        s.catalogs[id] = {
            "id": id,
            "href": s.href("catalog", id),
            "@type": "Catalog",
            "name": name,
            "description": description,
            "catalogType": "productCatalog",
            "lifecycleStatus": LAUNCHED,
            "category": [],
        }
    for category, name in CONSUMER_CATEGORIES.items():
        s._category(CONSUMER, f"consumer.{category}", name)
        s._specification(f"consumer.{category}", name, f"Consumer {name.lower()}.")
    for family, name in BUSINESS_FAMILIES.items():
        s._category(BUSINESS, f"business.{family}", name)
        s._specification(f"business.{family}", name, f"Business {name} services.")
    s._category(ONBOARDING, PACKAGE_CATEGORY, "Service packages")
    for t in sources.service_types:
        s._specification(
            f"onboarding.{t.id}",
            t.name,
            f"A service providers' {t.name} service ({t.check_type} qualification).",
            productSpecCharacteristic=[
                {
                    "name": c["field"],
                    "valueType": c.get("type", "string"),
                    "configurable": True,
                    "minCardinality": 1 if c.get("mandatory") else 0,
                    "maxCardinality": 1,
                }
                for c in t.requirements.get("configuration", [])
                if isinstance(c, dict) and "field" in c
            ],
            lastUpdate=when(t.updated_at),
        )
    _consumer_offers(s, sources)
    _business_products(s, sources)
    _packages(s, sources)
    return s


def _consumer_offers(s: Shelf, sources: offerings.Sources) -> None:
    for o in sources.offers:
        status = o.lifecycle_status
        charges = ((MONTHLY, o.monthly_cents), (ONE_TIME, o.one_time_cents))
        for kind, cents in charges:
            if cents:
                s.consumer_prices[f"{o.id}:{kind}"] = (kind, cents)
        if not s.operator and status != LAUNCHED:
            continue
        prices = [
            s._price(
                f"{o.id}:{kind}",
                f"{o.name}, {'monthly' if kind == MONTHLY else 'one-time'} charge",
                cents=cents,
                currency=o.currency,
                recurring=kind == MONTHLY,
                status=status,
                updated=o.updated_at,
            )
            for kind, cents in charges
            if cents
        ]
        category = f"consumer.{o.category}"
        if category not in s.categories:  # a category newer than this surface
            continue
        s._offering(
            o.id,
            o.name,
            description=o.description,
            status=status,
            category=category,
            specification=category,
            prices=prices,
            updated=o.updated_at,
            is_bundle=o.category == "bundle",
            lines=o.lines,
            eligibility=o.eligibility,
        )


def _business_products(s: Shelf, sources: offerings.Sources) -> None:
    for p in sources.products:
        category = f"business.{p.family}"
        if (not s.operator and not p.active) or category not in s.categories:
            continue
        status = LAUNCHED if p.active else str(offerings.S.RETIRED)
        prices = []
        for option, recurring, label in (
            ("accessSpeeds", True, "accessSpeed"),
            ("portSpeeds", True, "portSpeed"),
            ("installationOptions", False, "installation"),
        ):
            for o in p.options.get(option, []):
                name = o.get("name") or f"{o.get('mbps')} Mbps {label.removesuffix('Speed')}"
                prices.append(
                    s._price(
                        f"{p.id}:{label}:{o['id']}",
                        f"{p.name}, {name}",
                        cents=int(o.get("monthlyCents" if recurring else "oneTimeCents", 0)),
                        currency=p.currency,
                        recurring=recurring,
                        status=status,
                        updated=p.updated_at,
                    )
                )
        s._offering(
            p.id,
            p.name,
            description=p.description,
            status=status,
            category=category,
            specification=category,
            prices=prices,
            updated=p.updated_at,
        )


def _packages(s: Shelf, sources: offerings.Sources) -> None:
    for p in sources.packages:
        prices = []
        for plan in p.plans:
            for kind, key in ((MONTHLY, "monthlyCents"), (ONE_TIME, "oneTimeCents")):
                if cents := int(plan.get(key, 0)):
                    prices.append(
                        s._price(
                            f"{p.id}:{plan['id']}:{kind}",
                            f"{plan.get('name', plan['id'])}, "
                            f"{'monthly' if kind == MONTHLY else 'one-time'} charge",
                            cents=cents,
                            currency="USD",
                            recurring=kind == MONTHLY,
                            status=LAUNCHED,
                            updated=p.updated_at,
                        )
                    )
        s._offering(
            p.id,
            p.name,
            description=f"Services: {', '.join(p.service_types)}.",
            status=LAUNCHED,
            category=PACKAGE_CATEGORY,
            specification=None,
            prices=prices,
            updated=p.updated_at,
            is_bundle=len(p.service_types) > 1,
        )


# ---- filters --------------------------------------------------------------------------

FILTERS = {
    "catalog": ("name", "lifecycleStatus", "catalogType"),
    "category": ("name", "lifecycleStatus", "isRoot"),
    "productOffering": (
        "name",
        "lifecycleStatus",
        "isBundle",
        "isSellable",
        "category.id",
        "category.name",
        "productSpecification.id",
    ),
    "productOfferingPrice": ("name", "lifecycleStatus", "priceType"),
    "productSpecification": ("name", "lifecycleStatus", "isBundle"),
}


def _values(resource: Any, path: list[str]) -> Iterable[str]:
    """The values at `a.b` of a resource as text (any element of a list)."""
    if isinstance(resource, list):
        for item in resource:
            yield from _values(item, path)
        return
    if not path:
        if isinstance(resource, bool):
            yield "true" if resource else "false"
        elif resource is not None:
            yield str(resource)
        return
    if isinstance(resource, dict) and path[0] in resource:
        yield from _values(resource[path[0]], path[1:])


def matching(resources: Iterable[dict[str, Any]], wanted: dict[str, str]) -> list[dict[str, Any]]:
    """The resources with each filter's attribute equal to one of its comma-separated
    values (`lifecycleStatus=Launched,Retired`); `name` is matched whole."""
    chosen = []
    for r in resources:
        if all(
            set(_values(r, name.split("."))) & ({raw} if name == "name" else set(raw.split(",")))
            for name, raw in wanted.items()
        ):
            chosen.append(r)
    return chosen


# ---- input ----------------------------------------------------------------------------


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
