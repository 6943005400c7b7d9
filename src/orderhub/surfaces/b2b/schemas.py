"""The B2B partner API's vocabulary (seed 002), camelCase on the wire.

Except the OAuth token answer, whose snake_case names RFC 6749 §5.1 fixes.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from orderhub.surfaces.schemas import Phone, RequestModel, Text, WireModel, path_id

CustomerId = path_id("Customer ID")
ExceptionRequestId = path_id("Exception request ID")


# ---- OAuth 2 ---------------------------------------------------------------------------


class TokenOut(BaseModel):
    """RFC 6749 §5.1: these names are the standard's, so OAuth client libraries read them."""

    access_token: str
    token_type: Literal["Bearer"] = "Bearer"
    expires_in: int


# ---- addresses --------------------------------------------------------------------------


class AddressIn(RequestModel):
    address_line1: Annotated[str, Field(min_length=1, max_length=200)]
    address_line2: Annotated[str, Field(max_length=200)] | None = None
    city: Annotated[str, Field(min_length=1, max_length=100)]
    state: Annotated[str, Field(min_length=2, max_length=2)]
    zip_code: Annotated[str, Field(min_length=5, max_length=10)]


class AddressOut(WireModel):
    address_line1: str
    address_line2: str | None
    city: str
    state: str
    zip_code: str


class AddressProblemOut(WireModel):
    field: str
    rule: str
    message: str


class AddressValidationOut(WireModel):
    valid: bool
    standardized_address: AddressOut | None
    problems: list[AddressProblemOut]


# ---- end customers ----------------------------------------------------------------------


class CustomerLookupIn(RequestModel):
    """Every criterion given must match; at least one is required."""

    name: (
        Annotated[str, Field(min_length=1, max_length=200, examples=["Bluebonnet Bank"])] | None
    ) = None
    phone: Annotated[Phone, Field(examples=["2145550300"])] | None = None
    tax_id: Annotated[str, Field(min_length=9, max_length=12, examples=["75-2466789"])] | None = (
        None
    )
    address: AddressIn | None = None


class SubAccountOut(WireModel):
    id: str
    number: str
    name: str
    status: str


class BusinessCustomerOut(WireModel):
    id: str
    name: str
    # "alliance": you may quote; "allianceOnly": file an exception request first.
    alliance_status: Literal["alliance", "allianceOnly"]
    # True for alliance customers, and for alliance-only ones with an approved exception.
    can_quote: bool
    tax_id_last4: str
    phone: str | None
    address: AddressOut
    sub_accounts: list[SubAccountOut]


class CustomersOut(WireModel):
    customers: list[BusinessCustomerOut]


# ---- exception requests ----------------------------------------------------------------


class ExceptionRequestIn(RequestModel):
    reason: Text


class ExceptionRequestOut(WireModel):
    id: str
    customer_id: str
    reason: str
    status: Literal["pending", "approved", "rejected"]
    decision_note: str | None
    created_at: datetime
    decided_at: datetime | None


class ExceptionRequestsOut(WireModel):
    exception_requests: list[ExceptionRequestOut]
    limit: int
    offset: int


class DecisionIn(RequestModel):
    note: Text | None = None


class OperatorExceptionRequestOut(ExceptionRequestOut):
    """What operations see: also whose request it is and who decided."""

    partner_id: str
    decided_by: str | None


class OperatorExceptionRequestsOut(WireModel):
    exception_requests: list[OperatorExceptionRequestOut]
    limit: int
    offset: int
