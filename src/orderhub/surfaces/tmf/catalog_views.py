"""The engine's three catalogs as TMF620 resources (bodies are read in catalog_input.py).

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
from orderhub.errors import NotFound
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
