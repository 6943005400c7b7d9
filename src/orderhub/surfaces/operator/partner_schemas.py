"""The operator API's vocabulary for a partner's onboarding settings: the modules it
subscribes to and its identifier realms (onboarding/providers.py)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StrictBool

from orderhub.surfaces.schemas import RequestModel, WireModel, path_id

PartnerId = path_id("Partner ID")
# A realm is a domain-like name; the onboarding rules check its form (realm_format).
Realm = Annotated[str, Field(max_length=100)]
_REALMS = "Domain-like names (lower-case letters, digits, dots, hyphens), at most 20."


class OnboardingSettingsOut(WireModel):
    partner_id: str
    terms_module: bool = Field(description="Orders need the terms accepted before submit.")
    payment_required: bool = Field(
        description="Submit needs a successful payment of the order's up-front amount."
    )
    identifier_realms: list[str] | None = Field(
        description="The partner's realms; null: each account's own realms apply."
    )


class OnboardingSettingsIn(RequestModel):
    """What to change; a member left out stays as it is (`identifierRealms: null` clears
    the realms)."""

    terms_module: StrictBool | None = None
    payment_required: StrictBool | None = None
    identifier_realms: list[Realm] | None = Field(default=None, max_length=20, description=_REALMS)


class RealmsOut(WireModel):
    partner_id: str
    realms: list[str] = Field(description="The realms the partner's orders' identifiers use.")
    configured: bool = Field(
        description="Set for the partner (true), or each account's own (false)."
    )


class RealmsIn(RequestModel):
    realms: list[Realm] = Field(max_length=20, description=_REALMS)
