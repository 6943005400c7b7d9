"""The consumer direct-fulfillment API's vocabulary (seed 000/001), camelCase on the wire."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, model_validator

from orderhub.surfaces.schemas import (
    Email,
    Id,
    JsonBool,
    JsonDate,
    JsonInt,
    Name,
    Phone,
    RequestModel,
    WireModel,
    path_id,
)

OrderId = path_id("Order ID")
BASE = "/msapi/order"  # router.py mounts the surface here


def created_answer(description: str, location: str) -> dict[str, Any]:
    """The OpenAPI answer of a create the seed declares as 200, with its `Location`."""
    return {
        "description": description,
        "headers": {"Location": {"description": location, "schema": {"type": "string"}}},
    }


# ---- authentication -------------------------------------------------------------------


class AuthMethodOut(WireModel):
    type: str
    description: str
    channels: list[str] | None = None


class AuthMethodsOut(WireModel):
    auth_methods: list[AuthMethodOut]


class GenerateOtpIn(RequestModel):
    identifier: Annotated[str, Field(min_length=3, max_length=254, examples=["2145550100"])]
    channel: Literal["sms", "email"]


class OtpOut(WireModel):
    otp_id: str
    channel: str
    expires_at: datetime


class OtpAuthIn(RequestModel):
    method: Literal["otp"]
    otp_id: Id
    code: Annotated[str, Field(max_length=6, pattern=r"^[0-9]{6}$")]


class PasswordAuthIn(RequestModel):
    method: Literal["password"]
    username: Annotated[str, Field(min_length=1, max_length=254)]
    password: Annotated[str, Field(min_length=1, max_length=200)]


AuthIn = Annotated[OtpAuthIn | PasswordAuthIn, Field(discriminator="method")]


class TokenOut(WireModel):
    access_token: str
    token_type: Literal["Bearer"] = "Bearer"
    expires_in: int


# ---- customers and offers -------------------------------------------------------------


class AccountOut(WireModel):
    id: str
    number: str
    type: str
    status: str


class AddressOut(WireModel):
    kind: str
    address_line1: str
    address_line2: str | None
    city: str
    state: str
    zip_code: str


class CustomerOut(WireModel):
    id: str
    type: str
    first_name: str
    last_name: str
    email: str | None
    phone: str | None
    accounts: list[AccountOut]
    addresses: list[AddressOut]


class CustomersOut(WireModel):
    customers: list[CustomerOut]


class PriceOut(WireModel):
    type: Literal["monthly", "oneTime"]
    amount: str
    currency: str


class PromotionOut(WireModel):
    id: str
    name: str
    monthly_discount: str
    months: int | None = None


class OfferOut(WireModel):
    id: str
    name: str
    category: str
    description: str
    prices: list[PriceOut]
    lines: int
    promotions: list[PromotionOut]
    eligibility: dict[str, Any]
    attributes: dict[str, Any]


class OffersOut(WireModel):
    offers: list[OfferOut]
    total: int
    limit: int
    offset: int


class StoreOut(WireModel):
    id: str
    name: str
    address: dict[str, Any]


class StoresOut(WireModel):
    stores: list[StoreOut]


class TermsOut(WireModel):
    version: str
    title: str
    text: str


# ---- orders ---------------------------------------------------------------------------


class NewCustomerIn(RequestModel):
    first_name: Name
    last_name: Name
    email: Email
    phone: Phone


class ItemIn(RequestModel):
    offer_id: Id
    quantity: Annotated[JsonInt, Field(ge=1, le=10)] = 1


class OrderCreateIn(RequestModel):
    customer_id: Id | None = None
    customer: NewCustomerIn | None = None
    items: Annotated[list[ItemIn], Field(min_length=1, max_length=20)]


class ItemOut(WireModel):
    id: str
    offer_id: str
    name: str
    category: str
    quantity: int
    lines: int
    monthly: str
    one_time: str
    monthly_discount: str
    promotion_id: str | None


class TotalsOut(WireModel):
    monthly: str
    one_time: str
    currency: str


class CreditSummaryOut(WireModel):
    credit_application_id: str
    decision: str
    max_lines: int


class NumberOut(WireModel):
    number: str
    item_id: str | None
    status: str
    reserved_until: datetime | None


class EventOut(WireModel):
    id: int
    type: str
    actor: str
    data: dict[str, Any]
    created_at: datetime


class AddressIn(RequestModel):
    address_line1: Annotated[str, Field(min_length=1, max_length=200)]
    address_line2: Annotated[str, Field(max_length=200)] | None = None
    city: Annotated[str, Field(min_length=1, max_length=100)]
    state: Annotated[str, Field(min_length=2, max_length=2)]
    zip_code: Annotated[str, Field(min_length=5, max_length=10)]


class AddressProblemOut(WireModel):
    field: str
    rule: str
    message: str


class AddressValidationOut(WireModel):
    valid: bool | None
    standardized_address: dict[str, Any] | None
    problems: list[AddressProblemOut]


class ContactIn(RequestModel):
    first_name: Name
    last_name: Name
    email: Email | None = None
    phone: Phone | None = None


class TermsIn(RequestModel):
    accepted: JsonBool
    version: Annotated[str, Field(min_length=1, max_length=20)]


class TermsAcceptanceOut(WireModel):
    accepted: bool
    version: str | None
    accepted_at: datetime | None


class FulfillmentCreateIn(RequestModel):
    method: Literal["shipping", "storePickup"]
    shipping_address: AddressIn | None = None
    store_id: Id | None = None
    contact: ContactIn | None = None
    requested_date: JsonDate | None = None
    terms_and_conditions: TermsIn | None = None


class FulfillmentUpdateIn(RequestModel):
    """Only the fields sent change; `null` clears an optional one."""

    method: Literal["shipping", "storePickup"] = None  # type: ignore[assignment]
    shipping_address: AddressIn | None = None
    store_id: Id | None = None
    contact: ContactIn | None = None
    requested_date: JsonDate | None = None
    terms_and_conditions: TermsIn | None = None


class FulfillmentOut(WireModel):
    order_id: str
    method: str
    shipping_address: dict[str, Any] | None
    address_validation: AddressValidationOut
    store_id: str | None
    contact: dict[str, Any] | None
    requested_date: date | None
    terms_and_conditions: TermsAcceptanceOut
    created_at: datetime
    updated_at: datetime


class OrderOut(WireModel):
    id: str
    status: str
    channel: str
    customer_id: str
    items: list[ItemOut]
    totals: TotalsOut
    confirmation_number: str | None
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None
    credit: CreditSummaryOut | None
    fulfillment: FulfillmentOut | None
    numbers: list[NumberOut]
    events: list[EventOut]


class OrderSummaryOut(WireModel):
    id: str
    status: str
    totals: TotalsOut
    confirmation_number: str | None
    created_at: datetime
    updated_at: datetime


class OrdersOut(WireModel):
    orders: list[OrderSummaryOut]
    limit: int
    offset: int


# ---- credit, numbers, validation, submission ------------------------------------------


class CreditSubmitIn(RequestModel):
    first_name: Name
    last_name: Name
    date_of_birth: JsonDate
    ssn: Annotated[
        str,
        Field(max_length=11, pattern=r"^[0-9]{3}-?[0-9]{2}-?[0-9]{4}$", examples=["123-45-6789"]),
    ]
    address: AddressIn


class CreditOut(WireModel):
    credit_application_id: str
    decision: Literal["approved", "declined", "manualReview"]
    created_at: datetime


class CreditPolicyOut(WireModel):
    credit_application_id: str
    decision: str
    max_lines: int
    deposit_required: bool
    deposit_amount: str
    currency: str
    down_payment_percent: int


class ValidationProblemOut(WireModel):
    """A problem blocking submission, in the shape of every problem (`field`, `rule`,
    `message`), with `code` kept as a deprecated copy of `rule` and the problem's details
    (`itemId`, `maxLines`...) beside them."""

    model_config = ConfigDict(extra="allow")

    field: str
    rule: str
    message: str
    code: str = Field(deprecated=True, description="Deprecated: the same as `rule`.")

    @model_validator(mode="before")
    @classmethod
    def _rule_from_code(cls, data: Any) -> Any:
        # orders.rules.Problem names its rule `code` and has no field for a problem of
        # the whole order (`order_not_draft`).
        if isinstance(data, dict):
            data = {"field": "order", "rule": data.get("code")} | data
        return data


class ValidateOut(WireModel):
    order_id: str
    valid: bool
    problems: list[ValidationProblemOut]


class SubmitIn(RequestModel):
    order_id: Id


class SubmitOut(WireModel):
    id: str
    status: str
    confirmation_number: str
    submitted_at: datetime
