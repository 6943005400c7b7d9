"""The onboarding API's vocabulary (camelCase on the wire, unknown request fields refused)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import Path
from pydantic import Field, model_validator

from orderhub.surfaces.schemas import RequestModel, WireModel

Id = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
Name = Annotated[str, Field(min_length=1, max_length=100)]


class ContactIn(RequestModel):
    first_name: Name
    last_name: Name
    email: str = Field(max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
    phone: str = Field(pattern=r"^[0-9]{10}$")


class CustomerIn(RequestModel):
    type: Literal["residential", "business"]
    first_name: Name | None = None
    last_name: Name | None = None
    company_name: Name | None = None

    @model_validator(mode="after")
    def _named(self) -> CustomerIn:
        if self.type == "business" and not self.company_name:
            raise ValueError("a business customer needs companyName")
        if self.type == "residential" and not (self.first_name and self.last_name):
            raise ValueError("a residential customer needs firstName and lastName")
        return self


class PortalIn(RequestModel):
    username: str = Field(min_length=3, max_length=100, pattern=r"^[A-Za-z0-9._@-]+$")
    password: str = Field(min_length=10, max_length=200)


class AccountIn(RequestModel):
    customer: CustomerIn
    primary_contact: ContactIn
    billing_contact: ContactIn
    portal: PortalIn


class CredentialsIn(RequestModel):
    username: str = Field(min_length=1, max_length=100)
    password: str = Field(min_length=1, max_length=200)


class AccountOut(WireModel):
    id: str
    number: str
    customer: dict[str, Any]
    primary_contact: dict[str, Any]
    billing_contact: dict[str, Any]
    username: str
    identifier_realms: list[str]
    created_at: datetime


class SqOut(WireModel):
    id: str
    service_type_id: str
    kind: str
    qualified: bool
    reason: str | None
    details: dict[str, Any]
    created_at: datetime


class EventOut(WireModel):
    id: int
    type: str
    actor: str
    data: dict[str, Any]
    created_at: datetime


class OrderOut(WireModel):
    id: str
    account_id: str
    status: str
    package_plan_id: str | None
    qualifications: list[SqOut]
    qualified_service_types: list[str]
    created_at: datetime
    updated_at: datetime
    events: list[EventOut]


class SimpleSqIn(RequestModel):
    service_type_id: str = Field(max_length=64)


class PhoneSqIn(SimpleSqIn):
    phone_number: str = Field(max_length=20)


class AddressSearchIn(RequestModel):
    query: str = Field(min_length=3, max_length=200)


class LocationOut(WireModel):
    location_id: str
    address: str


class LocationsOut(WireModel):
    locations: list[LocationOut]


class AddressSqIn(SimpleSqIn):
    location_id: str = Field(max_length=40)


class PlanOut(WireModel):
    id: str
    name: str
    monthly: str
    one_time: str
    term_months: int


class PackageOut(WireModel):
    id: str
    name: str
    service_types: list[str]
    plans: list[PlanOut]


class PackagesOut(WireModel):
    packages: list[PackageOut]


class PlanDetailsOut(PlanOut):
    package_id: str
    package_name: str
    services: list[dict[str, str]]


class SelectPlanIn(RequestModel):
    package_plan_id: str = Field(max_length=64)


class ServiceOut(WireModel):
    id: str
    service_type_id: str
    configuration: dict[str, Any]
    features: list[str]
    contacts: list[dict[str, Any]]
    identifiers: list[dict[str, Any]]


class ServicesOut(WireModel):
    services: list[ServiceOut]


class RealmsOut(WireModel):
    realms: list[str]


class ConfigurationIn(RequestModel):
    values: dict[str, Any] = Field(description="Field name to value, per the requirements.")


class FeaturesIn(RequestModel):
    features: list[str] = Field(max_length=50)


# A service contact: its role and text fields; which fields a role takes is data
# (the service type's contact requirements), so they are checked there, not here.
ContactField = Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[A-Za-z][A-Za-z0-9]*$")]
ContactValue = Annotated[str, Field(max_length=200)]


class ContactsIn(RequestModel):
    contacts: list[dict[ContactField, ContactValue]] = Field(max_length=20)


class IdentifierIn(RequestModel):
    name: str = Field(min_length=1, max_length=64)
    value: str = Field(max_length=200)
    realm: str | None = Field(default=None, max_length=100)


class IdentifiersIn(RequestModel):
    identifiers: list[IdentifierIn] = Field(max_length=20)


class TermsBlockOut(WireModel):
    id: str
    title: str
    version: str
    text: str


class TermsOut(WireModel):
    blocks: list[TermsBlockOut]
    accepted: list[dict[str, str]] | None
    accepted_at: datetime | None


class AcceptedBlockIn(RequestModel):
    id: str = Field(min_length=1, max_length=64)
    version: str = Field(min_length=1, max_length=20)


class AcceptanceIn(RequestModel):
    accepted: list[AcceptedBlockIn] = Field(
        max_length=20, description="Every block GET /terms returned, with its version."
    )


class SubmittedOut(WireModel):
    order_id: str
    status: str
    package_subscription_id: str
    service_subscription_ids: list[str]
    service_ids: list[str]


class NoteIn(RequestModel):
    text: str = Field(min_length=1, max_length=4000)


class NoteOut(WireModel):
    id: str
    text: str
    author: str
    created_at: datetime


class NotesOut(WireModel):
    notes: list[NoteOut]


class CardIn(RequestModel):
    number: str = Field(pattern=r"^[0-9]{12,19}$")
    expiry: str = Field(pattern=r"^[0-9]{2}/[0-9]{2}$", description="MM/YY")
    cvc: str = Field(pattern=r"^[0-9]{3,4}$")


class PaymentIn(RequestModel):
    amount: str = Field(
        pattern=r"^[0-9]{1,6}(\.[0-9]{2})?$", description="Decimal string, e.g. 25.00"
    )
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    card: CardIn


class PaymentOut(WireModel):
    id: str
    amount: str
    currency: str
    status: Literal["succeeded", "declined", "failed"]
    decline_code: str | None
    card: dict[str, str]
    reference: str
    created_at: datetime


class PaymentsOut(WireModel):
    payments: list[PaymentOut]
