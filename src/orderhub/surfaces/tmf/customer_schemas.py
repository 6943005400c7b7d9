"""TMF629 request bodies: `Customer_Create` and `Customer_Update` as published, every
attribute declared (an unknown one is refused, 400 `extra_forbidden`). Attributes the
engine does not take from a caller (accounts, agreements, credit profiles, payment
methods...) are declared so that they are refused by name (customer_routes.py)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from orderhub.surfaces.tmf.conventions import TmfBody

Text = Annotated[str | None, Field(max_length=200)]


class Typed(TmfBody):
    base_type: str | None = Field(default=None, alias="@baseType", max_length=100)
    schema_location: str | None = Field(default=None, alias="@schemaLocation", max_length=500)
    type: str | None = Field(default=None, alias="@type", max_length=100)


class TimePeriodIn(Typed):
    startDateTime: str | None = Field(default=None, max_length=40)
    endDateTime: str | None = Field(default=None, max_length=40)


class RelatedPartyIn(Typed):
    id: str | None = Field(default=None, max_length=64)
    href: str | None = Field(default=None, max_length=500)
    name: Text = None
    role: Text = None
    referred_type: str = Field(alias="@referredType", max_length=100)


class MediumCharacteristicIn(Typed):
    """Each length is at most its column's (customers/models.Address, business/models.
    BusinessCustomer: street lines 200, city 100, state 2, ZIP 10; customers.email 254)."""

    city: str | None = Field(default=None, max_length=100)
    contactType: Text = None
    country: Text = None
    emailAddress: str | None = Field(default=None, max_length=254)
    faxNumber: Text = None
    phoneNumber: str | None = Field(default=None, max_length=40)  # stored as 10 digits
    postCode: str | None = Field(default=None, max_length=10)
    socialNetworkId: Text = None
    stateOrProvince: str | None = Field(default=None, max_length=2)
    street1: str | None = Field(default=None, max_length=200)
    street2: str | None = Field(default=None, max_length=200)


class ContactMediumIn(Typed):
    mediumType: str = Field(max_length=40)
    preferred: bool | None = None
    characteristic: MediumCharacteristicIn
    validFor: TimePeriodIn | None = None


class CharacteristicIn(Typed):
    id: str | None = Field(default=None, max_length=64)
    name: str = Field(max_length=100)
    valueType: str | None = Field(default=None, max_length=100)
    characteristicRelationship: list[dict[str, Any]] | None = None
    value: Any = None


class CustomerChange(Typed):
    """What Customer_Update holds; Customer_Create is the same with a required name."""

    # A business customer's name column is 200; an individual's is split into a given
    # and a family name of at most 100 each (customer_views.split_name).
    name: str | None = Field(default=None, min_length=1, max_length=200)
    status: str | None = Field(default=None, max_length=40)
    statusReason: str | None = Field(default=None, max_length=500)
    engagedParty: RelatedPartyIn | None = None
    contactMedium: list[ContactMediumIn] | None = Field(default=None, max_length=10)
    characteristic: list[CharacteristicIn] | None = Field(default=None, max_length=20)
    # Not taken from callers (refused by name when given):
    account: list[dict[str, Any]] | None = None
    agreement: list[dict[str, Any]] | None = None
    creditProfile: list[dict[str, Any]] | None = None
    paymentMethod: list[dict[str, Any]] | None = None
    relatedParty: list[dict[str, Any]] | None = None
    validFor: TimePeriodIn | None = None


class CustomerCreate(CustomerChange):
    name: str = Field(min_length=1, max_length=200)  # type: ignore[assignment]
    engagedParty: RelatedPartyIn  # type: ignore[assignment]
