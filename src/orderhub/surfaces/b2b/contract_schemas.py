"""The credit check and contract vocabulary (seed 002, "Credit Check" and "Contract")."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import Field

from orderhub.surfaces.b2b.schemas import AddressOut
from orderhub.surfaces.schemas import (
    Email,
    JsonDate,
    JsonInt,
    LongName,
    Name,
    Phone,
    RequestModel,
    WireModel,
    path_id,
)

ContractId = path_id("Contract ID")


class CreditCheckOut(WireModel):
    quote_id: str
    credit_check_id: str
    customer_id: str
    decision: Literal["approved", "declined", "pendingReview"]
    deposit_required: bool
    deposit_amount: str
    currency: str
    decided_at: datetime
    expires_at: datetime
    reused: bool = Field(
        description="True when a recent decision for this customer was reused, "
        "rather than asking the bureau again."
    )


class ContactIn(RequestModel):
    name: LongName
    title: Name | None = None
    email: Email
    phone: Phone


class ContactOut(WireModel):
    name: str
    title: str | None = None
    email: str
    phone: str


class ContractIn(RequestModel):
    contact: ContactIn = Field(description="The end customer's contact for the contract.")
    effective_date: JsonDate
    term_months: Annotated[JsonInt, Field(ge=1, le=120)]


class SignatoryIn(RequestModel):
    name: LongName
    title: Name | None = None


class SignIn(RequestModel):
    signed_by: SignatoryIn = Field(description="Who signed for the end customer.")


class SignatoryOut(WireModel):
    name: str
    title: str | None = None


class CustomerDetailsOut(WireModel):
    name: str
    tax_id_last4: str
    address: AddressOut


class ContractOut(WireModel):
    id: str
    quote_id: str
    customer_id: str
    credit_check_id: str
    status: Literal["generated", "signed"]
    customer_details: CustomerDetailsOut
    contact: ContactOut
    effective_date: date
    term_months: int
    monthly: str
    one_time: str
    currency: str
    created_at: datetime
    signed_at: datetime | None
    signed_by: SignatoryOut | None
