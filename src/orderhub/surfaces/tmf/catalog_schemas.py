"""TMF620 request bodies: a product offering to create or change (docs/tmf.md).

Only what the engine stores is accepted; any other attribute of the published
`ProductOffering_Create` / `_Update` (agreement, channel, place, validFor, ...) is refused
(400 `extra_forbidden`), never silently dropped; a price's `description`, and a priced
value's `name`, are refused by name (catalog_views._price). A reference is its id: its
`name`, `href`, `@referredType` and `version` are accepted and ignored. `lines` and
`eligibility` are this API's extensions: a consumer offer's phone lines per unit and its
eligibility rules, shaped as in a catalog file.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from pydantic import Field

from orderhub.surfaces.tmf.conventions import TmfBody

Text = Annotated[str, Field(max_length=200)]
Id = Annotated[str, Field(min_length=1, max_length=200)]


class TypedBody(TmfBody):
    type: Text | None = Field(default=None, alias="@type")
    base_type: Text | None = Field(default=None, alias="@baseType")
    schema_location: Annotated[str, Field(max_length=2000)] | None = Field(
        default=None, alias="@schemaLocation"
    )


class Ref(TypedBody):
    """A reference to another resource: its `id` is what counts."""

    id: Id
    href: Annotated[str, Field(max_length=2000)] | None = None
    name: Text | None = None
    referred_type: Text | None = Field(default=None, alias="@referredType")


class VersionedRef(Ref):
    version: Text | None = None


class Money(TmfBody):
    unit: Annotated[str, Field(min_length=3, max_length=3)] | None = None
    # In the offer's currency, to the cent.
    value: Annotated[Decimal, Field(ge=0, le=10_000_000, decimal_places=2, allow_inf_nan=False)]


class PriceRefOrValue(Ref):
    """A price of the offering: a reference to an existing price (its amount is copied),
    or, with `price`, a value: `priceType` "recurring" (monthly) or "oneTime"."""

    id: Id | None = None  # type: ignore[assignment]
    description: Annotated[str, Field(max_length=1000)] | None = None
    price_type: Text | None = Field(default=None, alias="priceType")
    recurring_charge_period_type: Text | None = Field(
        default=None, alias="recurringChargePeriodType"
    )
    recurring_charge_period_length: Annotated[int, Field(ge=1, le=1)] | None = Field(
        default=None, alias="recurringChargePeriodLength"
    )
    price: Money | None = None


class OfferingBody(TypedBody):
    description: Annotated[str, Field(max_length=1000)] | None = None
    lifecycle_status: Text | None = Field(default=None, alias="lifecycleStatus")
    category: Annotated[list[VersionedRef], Field(max_length=1)] | None = None
    product_offering_price: Annotated[list[PriceRefOrValue], Field(max_length=2)] | None = Field(
        default=None, alias="productOfferingPrice"
    )
    product_specification: VersionedRef | None = Field(default=None, alias="productSpecification")
    lines: Annotated[int, Field(ge=0, le=100)] | None = None
    eligibility: dict[str, Any] | None = None


class ProductOfferingCreate(OfferingBody):
    name: Annotated[str, Field(min_length=1, max_length=200)]


class ProductOfferingUpdate(OfferingBody):
    name: Annotated[str, Field(min_length=1, max_length=200)] | None = None


class ProductOfferingPriceUpdate(TypedBody):
    """A consumer offering's price changed: its amount (its type stays what it is)."""

    price: Money
    price_type: Text | None = Field(default=None, alias="priceType")
    recurring_charge_period_type: Text | None = Field(
        default=None, alias="recurringChargePeriodType"
    )
    recurring_charge_period_length: Annotated[int, Field(ge=1, le=1)] | None = Field(
        default=None, alias="recurringChargePeriodLength"
    )
