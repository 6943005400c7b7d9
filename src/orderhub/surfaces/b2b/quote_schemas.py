"""The B2B API's business catalog and quote vocabulary, camelCase on the wire."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field

from orderhub.surfaces.b2b.schemas import AddressIn, AddressOut, AddressValidationOut
from orderhub.surfaces.schemas import Email, Id, JsonInt, RequestModel, WireModel, path_id

QuoteId = path_id("Quote ID")
Option = Annotated[str, Field(min_length=1, max_length=40)]
Text = Annotated[str, Field(min_length=1, max_length=200)]


# ---- business catalog -------------------------------------------------------------------


class SpeedOut(WireModel):
    id: str
    mbps: int
    monthly: str


class InstallationOut(WireModel):
    id: str
    name: str
    one_time: str


class DiscountRangeOut(WireModel):
    min_percent: int
    max_percent: int


class ProductPromotionOut(WireModel):
    id: str
    name: str
    monthly_discount: str
    one_time_discount: str
    months: int | None
    min_access_mbps: int


class ProductOut(WireModel):
    id: str
    name: str
    family: Literal["dedicatedInternet", "ethernet", "voice"]
    description: str
    currency: str
    access_speeds: list[SpeedOut]
    port_speeds: list[SpeedOut]
    installation_options: list[InstallationOut]
    discount_range: DiscountRangeOut
    promotions: list[ProductPromotionOut]


class ProductsOut(WireModel):
    products: list[ProductOut]


# ---- quotes: requests -------------------------------------------------------------------


class ProductChoiceIn(RequestModel):
    """Options may be left out while drafting; validate lists what is still missing."""

    product_id: Id
    access_speed: Option | None = None
    port_speed: Option | None = None
    installation_option: Option | None = None
    discount_percent: Annotated[JsonInt, Field(ge=0, le=100)] = 0
    promotion_ids: Annotated[list[Id], Field(max_length=5)] = []


class SiteIn(RequestModel):
    name: Text | None = None
    sub_account_id: Id | None = None
    address: AddressIn
    products: Annotated[list[ProductChoiceIn], Field(max_length=10)] = []


class BillingPreferencesIn(RequestModel):
    sub_account_id: Id | None = None
    invoice_delivery: Literal["email", "paper"] = "email"
    billing_email: Email | None = None
    purchase_order_number: Annotated[str, Field(min_length=1, max_length=40)] | None = None


class QuoteCreateIn(RequestModel):
    """Under an open opportunity (`opportunityId`; its customer is the quote's), or for a
    customer (`customerId`), under a new opportunity opened for the quote."""

    opportunity_id: Id | None = None
    customer_id: Id | None = None
    name: Text | None = None
    billing_preferences: BillingPreferencesIn = Field(default_factory=BillingPreferencesIn)
    sites: Annotated[list[SiteIn], Field(min_length=1, max_length=50)]


class QuoteUpdateIn(RequestModel):
    """Only the fields sent change; `sites` replaces every site; `name: null` clears it."""

    name: Text | None = None
    billing_preferences: BillingPreferencesIn | None = None
    sites: Annotated[list[SiteIn], Field(min_length=1, max_length=50)] | None = None


# ---- quotes: answers --------------------------------------------------------------------


class TotalsOut(WireModel):
    monthly: str
    one_time: str
    currency: str


class PricesOut(WireModel):
    """Monthly: access + port = list, less discount and promotions. One-time: installation
    less promotions."""

    access_monthly: str
    port_monthly: str
    list_monthly: str
    discount_monthly: str
    promotion_monthly: str
    monthly: str
    installation_one_time: str
    promotion_one_time: str
    one_time: str


class QuoteProductOut(WireModel):
    id: str
    product_id: str
    product_name: str
    access_speed: str | None
    port_speed: str | None
    installation_option: str | None
    discount_percent: int
    promotion_ids: list[str]
    missing: list[str]
    prices: PricesOut


class QuoteSiteOut(WireModel):
    id: str
    name: str | None
    sub_account_id: str | None
    address: AddressOut
    address_validation: AddressValidationOut
    products: list[QuoteProductOut]
    totals: TotalsOut


class BillingPreferencesOut(WireModel):
    sub_account_id: str | None = None
    invoice_delivery: str = "email"
    billing_email: str | None = None
    purchase_order_number: str | None = None


class QuoteOut(WireModel):
    id: str
    opportunity_id: str
    status: Literal["draft", "validated"]
    customer_id: str
    name: str | None
    billing_preferences: BillingPreferencesOut
    sites: list[QuoteSiteOut]
    totals: TotalsOut
    validated_at: datetime | None
    # The credit check's decision (GET /quotes/{id}/credit-check), and the signed
    # contract that locks the quote against any change.
    credit_check_id: str | None = None
    locked_by_contract_id: str | None = None
    created_at: datetime
    updated_at: datetime


class QuoteSummaryOut(WireModel):
    id: str
    opportunity_id: str
    status: Literal["draft", "validated"]
    customer_id: str
    name: str | None
    totals: TotalsOut
    created_at: datetime
    updated_at: datetime


class QuotesOut(WireModel):
    quotes: list[QuoteSummaryOut]
    limit: int
    offset: int


class QuoteProblemOut(WireModel):
    field: str
    rule: str
    message: str
    code: str = Field(deprecated=True, description="Deprecated: the same as `rule`.")
    # Only on `speed_not_available`: the fastest access speed of the product the site can
    # have (absent if none), and the site's limit in Mbps.
    max_access_speed: str | None = None
    max_mbps: int | None = None


class QuoteValidationOut(WireModel):
    quote_id: str
    valid: bool
    status: Literal["draft", "validated"]
    problems: list[QuoteProblemOut]
