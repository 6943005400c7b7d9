"""The data files `orderhub ... load` reads (cli/data.py), checked before anything is written.

JSON with no key twice in an object; exact JSON types (a price of "12" or 12.5 is no
integer); no unknown keys (a misspelt `monthlyCent` would load a price of 0); lengths
within the columns; ids the API can address, none twice. The areas' own rules (categories,
families, check types, e-mail and phone, what another customer holds) stay in their `load`.
A problem names the record by position and id, never by a value, so personal data is not
echoed. Imported only by the load commands: Pydantic would slow every other command.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic.alias_generators import to_camel

ID_PATTERN = r"^[A-Za-z0-9_-]+$"  # the ids the API's paths accept (surfaces/schemas.py)
_SHOWN_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")  # a record's id, shown in its problems


class BadFile(Exception):
    """A file that cannot be loaded: which file, and what is wrong, in one line."""

    def __init__(self, path: Path, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


def read(path: Path, shape: type[Shape]) -> dict[str, Any]:
    """The file's JSON object, once it has the shape; else BadFile."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"), object_pairs_hook=_unique_keys)
    except UnicodeDecodeError:
        raise BadFile(path, "is not UTF-8 text") from None
    except OSError as exc:
        raise BadFile(path, f"cannot be read ({exc.strerror})") from None
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}"
        raise BadFile(path, f"is not JSON: {exc.msg} at {where}") from None
    except _KeyTwice as exc:
        raise BadFile(path, str(exc)) from None
    if not isinstance(data, dict):
        raise BadFile(path, "must hold one JSON object")
    try:
        shape.model_validate(data)
    except ValidationError as exc:
        raise BadFile(path, _first_problem(exc, data)) from None
    return data


def read_onboarding(directory: Path) -> dict[str, int]:
    """Check every file of an onboarding catalog directory; count what it holds."""
    type_files = sorted((directory / "service_types").glob("*.json"))
    if not type_files:
        raise BadFile(directory / "service_types", "holds no service type file (*.json)")
    first_seen: dict[str, Path] = {}
    for path in type_files:
        type_id = read(path, ServiceType)["id"]
        if type_id in first_seen:
            raise BadFile(path, f"service type '{type_id}' is also in {first_seen[type_id].name}")
        first_seen[type_id] = path
    bundle = read(directory / "packages.json", PackagesFile)
    locations = read(directory / "locations.json", LocationsFile)
    return {
        "service types": len(type_files),
        "packages": len(bundle["packages"]),
        "terms": len(bundle.get("terms", [])),
        "SQ locations": len(locations["locations"]),
    }


class _KeyTwice(ValueError):
    pass


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    counts = Counter(key for key, _ in pairs)
    if twice := [key for key, n in counts.items() if n > 1]:
        raise _KeyTwice(f"has the key '{twice[0]}' twice in one object")
    return dict(pairs)


def _first_problem(exc: ValidationError, data: Any) -> str:
    """`offers[2] (id 'plan-x').monthlyCents: Input should be a valid integer`, and how
    many more problems there are. Pydantic's messages never include the input."""
    problems = exc.errors(include_url=False, include_input=False, include_context=False)
    first = problems[0]
    where, node = "", data
    for part in first["loc"]:
        if isinstance(part, int):
            node = node[part] if isinstance(node, list) and part < len(node) else None
            record_id = node.get("id") if isinstance(node, dict) else None
            named = isinstance(record_id, str) and _SHOWN_ID.fullmatch(record_id)
            where += f"[{part}] (id '{record_id}')" if named else f"[{part}]"
        else:
            node = node.get(part) if isinstance(node, dict) else None
            where += f".{part}" if where else str(part)
    message = _PLAIN.get(first["type"]) or first["msg"].removeprefix("Value error, ")
    if more := len(problems) - 1:
        message += f" (and {more} more problem{'s' if more > 1 else ''})"
    return f"{where}: {message}" if where else message


_PLAIN = {"missing": "missing", "extra_forbidden": "unknown key"}


def _no_twice(what: str, ids: Iterable[str]) -> None:
    counts = Counter(ids)
    if twice := [i for i, n in counts.items() if n > 1]:
        raise ValueError(f"{what} '{twice[0]}' appears twice")


def _text(max_length: int, min_length: int = 1) -> Any:
    return Field(min_length=min_length, max_length=max_length)


Id = Annotated[str, Field(min_length=1, max_length=64, pattern=ID_PATTERN)]
ShortId = Annotated[str, Field(min_length=1, max_length=40, pattern=ID_PATTERN)]
Name = Annotated[str, _text(200)]
Description = Annotated[str, _text(1000, 0)]
Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
Cents = Annotated[int, Field(ge=0, le=1_000_000_000)]
SortOrder = Annotated[int, Field(ge=-1_000_000, le=1_000_000)]
Months = Annotated[int, Field(ge=0, le=600)]
Percent = Annotated[int, Field(ge=0, le=100)]
CustomerType = Literal["consumer", "business"]


class Shape(BaseModel):
    """A record of a data file: camelCase keys, exact JSON types, no unknown keys."""

    model_config = ConfigDict(extra="forbid", strict=True, alias_generator=to_camel)


class OpenShape(Shape):
    """A requirement entry: the keys rules.py needs, and any of its optional ones."""

    model_config = ConfigDict(extra="allow")


# ---- catalog.json ----------------------------------------------------------------------


class Address(Shape):
    address_line1: Annotated[str, _text(200)]
    address_line2: Annotated[str, _text(200)] | None = None
    city: Annotated[str, _text(100)]
    state: Annotated[str, Field(pattern=r"^[A-Z]{2}$")]
    zip_code: Annotated[str, Field(pattern=r"^[0-9]{5}(-[0-9]{4})?$")]


class OfferPromotion(Shape):
    id: Id
    name: Name
    monthly_discount_cents: Cents = 0
    months: Months | None = None


class Eligibility(Shape):
    zip_prefixes: list[Annotated[str, Field(pattern=r"^[0-9]{1,5}$")]] = []
    customer_types: list[CustomerType] = []
    min_existing_lines: Annotated[int, Field(ge=0, le=1000)] | None = None
    max_existing_lines: Annotated[int, Field(ge=0, le=1000)] | None = None


class Offer(Shape):
    id: Id
    name: Name
    category: Annotated[str, _text(20)]  # which ones: catalog/rules.py, checked on load
    description: Description = ""
    currency: Currency = "USD"
    monthly_cents: Cents = 0
    one_time_cents: Cents = 0
    lines: Annotated[int, Field(ge=0, le=100)] = 0  # absent: 1 for a plan, else 0
    eligibility: Eligibility = Eligibility()
    promotions: list[OfferPromotion] = []
    attributes: dict[str, Any] = {}
    active: bool = True
    sort_order: SortOrder = 0


class Store(Shape):
    id: ShortId
    name: Name
    address: Address


class CatalogFile(Shape):
    offers: list[Offer] = []
    stores: list[Store] = []

    @model_validator(mode="after")
    def _ids_once(self) -> CatalogFile:
        _no_twice("offer", (o.id for o in self.offers))
        _no_twice("store", (s.id for s in self.stores))
        return self


# ---- business_catalog.json -------------------------------------------------------------


class Speed(Shape):
    id: Id
    mbps: Annotated[int, Field(ge=1, le=10_000_000)]
    monthly_cents: Cents = 0


class Installation(Shape):
    id: Id
    name: Name
    one_time_cents: Cents = 0


class DiscountRange(Shape):
    min_percent: Percent = 0
    max_percent: Percent = 0

    @model_validator(mode="after")
    def _ordered(self) -> DiscountRange:
        if self.min_percent > self.max_percent:
            raise ValueError("minPercent is above maxPercent")
        return self


class ProductPromotion(Shape):
    id: Id
    name: Name
    monthly_discount_cents: Cents = 0
    one_time_discount_cents: Cents = 0
    months: Months | None = None
    min_access_mbps: Annotated[int, Field(ge=0)] = 0


class Product(Shape):
    id: Id
    name: Name
    family: Annotated[str, _text(30)]  # which ones: business_catalog/rules.py, on load
    description: Description = ""
    currency: Currency = "USD"
    access_speeds: list[Speed] = []
    port_speeds: list[Speed] = []
    installation_options: list[Installation] = []
    discount_range: DiscountRange = DiscountRange()
    promotions: list[ProductPromotion] = []
    active: bool = True
    sort_order: SortOrder = 0


class BusinessCatalogFile(Shape):
    products: list[Product] = []

    @model_validator(mode="after")
    def _ids_once(self) -> BusinessCatalogFile:
        _no_twice("product", (p.id for p in self.products))
        return self


# ---- customers.json --------------------------------------------------------------------


class Account(Shape):
    id: ShortId
    number: Annotated[str, Field(pattern=r"^[A-Za-z0-9-]{1,20}$")]


class CreditProfile(Shape):
    """The customer's credit on file (credit/profiles.py): what a bureau decided, loaded
    as decided now."""

    decision: Literal["approved", "declined", "manualReview"]
    score: Annotated[int, Field(ge=300, le=850)]


class Customer(Shape):
    id: ShortId
    type: CustomerType
    first_name: Annotated[str, _text(100)]
    last_name: Annotated[str, _text(100)]
    email: Annotated[str, _text(254)] | None = None  # normalized (or refused) on load
    phone: Annotated[str, _text(20)] | None = None
    password: Annotated[str, _text(200, 8)] | None = None  # sign-in takes up to 200
    account: Account
    address: Address
    credit_profile: CreditProfile | None = None


class NumberPool(Shape):
    area_code: Annotated[str, Field(pattern=r"^[2-9][0-9]{2}$")]
    exchange: Annotated[str, Field(pattern=r"^[2-9][0-9]{2}$")]
    first: Annotated[int, Field(ge=0, le=9999)]
    count: Annotated[int, Field(ge=1, le=10_000)]

    @model_validator(mode="after")
    def _within_the_exchange(self) -> NumberPool:
        if self.first + self.count > 10_000:
            raise ValueError("first + count goes past line 9999 of the exchange")
        return self


class CustomersFile(Shape):
    customers: list[Customer]
    number_pools: Any = None  # the same file may hold them; `numbers load` reads them

    @model_validator(mode="after")
    def _ids_once(self) -> CustomersFile:
        _no_twice("customer", (c.id for c in self.customers))
        _no_twice("account", (c.account.id for c in self.customers))
        return self


class NumbersFile(Shape):
    number_pools: list[NumberPool]
    customers: Any = None


# ---- onboarding/ -----------------------------------------------------------------------


class ConfigurationField(OpenShape):
    field: str
    type: str
    mandatory: bool


class Feature(OpenShape):
    id: str
    mandatory: bool


class ContactRequirement(OpenShape):
    role: str
    min: Annotated[int, Field(ge=0)]
    max: Annotated[int, Field(ge=0)]
    fields: list[str]
    mandatory_fields: list[str]


class IdentifierRequirement(OpenShape):
    name: str
    type: str
    mandatory: bool


class ServiceType(Shape):
    id: Id
    name: Name
    check_type: Annotated[str, _text(20)]  # simple, phone or address: checked on load
    configuration: list[ConfigurationField] = []
    features: list[Feature] = []
    feature_conflicts: list[list[str]] = []
    contacts: list[ContactRequirement] = []
    identifiers: list[IdentifierRequirement] = []


class Plan(Shape):
    id: Id
    name: Name
    monthly_cents: Cents
    one_time_cents: Cents
    term_months: Annotated[int, Field(ge=0, le=120)]


class Package(Shape):
    id: Id
    name: Name
    service_types: Annotated[list[Id], Field(min_length=1)]
    plans: Annotated[list[Plan], Field(min_length=1)]


class Terms(Shape):
    id: Id
    title: Name
    version: Annotated[str, _text(20)]
    applies_to: Annotated[str, _text(64)]  # *, fixedTerm or a service type id
    text: Annotated[str, _text(4000)]


class PackagesFile(Shape):
    packages: Annotated[list[Package], Field(min_length=1)]
    terms: list[Terms] = []

    @model_validator(mode="after")
    def _ids_once(self) -> PackagesFile:
        _no_twice("package", (p.id for p in self.packages))
        _no_twice("plan", (plan.id for p in self.packages for plan in p.plans))
        _no_twice("terms", (t.id for t in self.terms))
        return self


class Technology(Shape):
    technology: Annotated[str, _text(40)]
    speed_tiers: list[Annotated[str, _text(40)]]


class Location(Shape):
    id: ShortId
    address: Annotated[str, _text(300)]
    technologies: list[Technology]
    reason: Annotated[str, _text(200)] | None = None


class LocationsFile(Shape):
    locations: list[Location]

    @model_validator(mode="after")
    def _ids_once(self) -> LocationsFile:
        _no_twice("location", (loc.id for loc in self.locations))
        return self
