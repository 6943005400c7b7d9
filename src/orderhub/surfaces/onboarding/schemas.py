"""The onboarding API's vocabulary (camelCase on the wire, unknown request fields refused)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import Field, StrictBool, model_validator

from orderhub.surfaces.schemas import (
    MAX_PROPERTIES,
    CheckedEmail,
    JsonInt,
    Name,
    PhoneDigits,
    RequestModel,
    WireModel,
    path_id,
)

Id = path_id()


class ContactIn(RequestModel):
    first_name: Name
    last_name: Name
    email: CheckedEmail
    phone: PhoneDigits


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
    kind: str = Field(description="The check type: simple, GeneralPhone or address.")
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
    payment: PaymentSummaryOut = Field(description="Up-front amount, paid, due.")
    payments: list[PaymentOut] = Field(description="The order's payments, oldest first.")
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


# Which fields, features, contact fields and identifiers a service takes, and the rule of
# each value, are data (the service type's requirements, checked by onboarding.rules);
# here only the shapes and sizes.
ContactField = Annotated[str, Field(min_length=1, max_length=40)]
# A configuration value: text, a date as text, a whole number, true/false, or null (not
# set). A number with a fraction is taken so that the requirement's rule names it.
ConfigurationValue = StrictBool | JsonInt | float | Annotated[str, Field(max_length=2000)] | None
ContactValue = Annotated[str, Field(max_length=200)]


class IdentifierIn(RequestModel):
    name: str = Field(min_length=1, max_length=64)
    value: str = Field(max_length=200)
    realm: str | None = Field(default=None, max_length=100)


class RequirementsIn(RequestModel):
    """The body of `PUT .../services/{id}/{kind}`: exactly the member its kind names."""

    values: (
        Annotated[
            dict[Annotated[str, Field(min_length=1, max_length=64)], ConfigurationValue],
            Field(
                max_length=MAX_PROPERTIES,
                description="configuration: field name to value, per the requirements.",
            ),
        ]
        | None
    ) = None
    features: (
        Annotated[
            list[Annotated[str, Field(min_length=1, max_length=64)]],
            Field(max_length=50, description="features: the ids of the features chosen."),
        ]
        | None
    ) = None
    contacts: (
        Annotated[
            list[Annotated[dict[ContactField, ContactValue], Field(max_length=20)]],
            Field(max_length=20, description="contacts: each with its `role` and fields."),
        ]
        | None
    ) = None
    identifiers: (
        Annotated[list[IdentifierIn], Field(max_length=20, description="identifiers")] | None
    ) = None


# The member of RequirementsIn each kind of requirement is set with.
REQUIREMENT_MEMBERS = {
    "configuration": "values",
    "features": "features",
    "contacts": "contacts",
    "identifiers": "identifiers",
}


class TermsBlockOut(WireModel):
    id: str
    title: str
    version: str
    text: str


class TermsOut(WireModel):
    blocks: list[TermsBlockOut] = Field(
        description="Empty when the provider does not subscribe to the terms module."
    )
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
    number: str = Field(max_length=19, pattern=r"^[0-9]{12,19}$")
    expiry: str = Field(max_length=5, pattern=r"^[0-9]{2}/[0-9]{2}$", description="MM/YY")
    cvc: str = Field(max_length=4, pattern=r"^[0-9]{3,4}$")


class PaymentIn(RequestModel):
    amount: str = Field(
        max_length=9, pattern=r"^[0-9]{1,6}(\.[0-9]{2})?$", description="Decimal string, e.g. 25.00"
    )
    currency: str = Field(max_length=3, pattern=r"^[A-Z]{3}$")
    card: CardIn


class OrderPaymentIn(RequestModel):
    amount: str | None = Field(
        default=None,
        max_length=9,
        pattern=r"^[0-9]{1,6}(\.[0-9]{2})?$",
        description="Decimal string; left out: what is due of the order's up-front amount.",
    )
    currency: Literal["USD"] = Field(default="USD", description="Plans are priced in USD.")
    card: CardIn


class PaymentOut(WireModel):
    id: str
    order_id: str | None = Field(description="The order it pays for, if any.")
    amount: str
    currency: str
    status: Literal["pending", "succeeded", "declined", "failed"] = Field(
        description="pending: charged outside the request, outcome not recorded yet "
        "(a retry with the same Idempotency-Key settles it)."
    )
    decline_code: str | None
    card: dict[str, str]
    reference: str | None = Field(description="The payment provider's, once charged.")
    created_at: datetime
    settled_at: datetime | None


class PaymentsOut(WireModel):
    payments: list[PaymentOut]


class PaymentSummaryOut(WireModel):
    required: bool = Field(description="The provider needs the up-front amount paid to submit.")
    up_front: str | None = Field(
        description="The plan's one-time charge plus its first month; null before a plan."
    )
    paid: str = Field(description="What succeeded payments of the order add up to.")
    due: str | None
    currency: str


class OrderPaymentsOut(WireModel):
    payment: PaymentSummaryOut
    payments: list[PaymentOut]
