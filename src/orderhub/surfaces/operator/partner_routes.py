"""`/operator/v1/partners/{id}/...`: what a service provider (a partner) subscribes to in
onboarding, and the identifier realms associated with it (onboarding/providers.py)."""

from __future__ import annotations

from fastapi import APIRouter

from orderhub.onboarding import accounts, providers
from orderhub.surfaces.callers import OperatorDep
from orderhub.surfaces.deps import SessionDep
from orderhub.surfaces.operator import partner_schemas as s
from orderhub.surfaces.schemas import problem_responses

router = APIRouter()
_READ = problem_responses(401, 403, 404, 422, 500)
_WRITE = problem_responses(400, 401, 403, 404, 422, 500)


def _settings(found: providers.Settings) -> s.OnboardingSettingsOut:
    return s.OnboardingSettingsOut(
        partner_id=found.partner_id,
        terms_module=found.terms_module,
        payment_required=found.payment_required,
        identifier_realms=found.identifier_realms,
    )


def _realms(found: providers.Settings) -> s.RealmsOut:
    return s.RealmsOut(
        partner_id=found.partner_id,
        realms=found.realms_for(accounts.DEFAULT_REALMS),
        configured=found.identifier_realms is not None,
    )


@router.get(
    "/partners/{id}/onboarding-settings", response_model=s.OnboardingSettingsOut, responses=_READ
)
async def get_onboarding_settings(
    id: s.PartnerId, operator: OperatorDep, session: SessionDep
) -> s.OnboardingSettingsOut:
    """The partner's onboarding modules (terms, payment before submit) and realms."""
    return _settings(providers.get(session, partner_id=id))


@router.patch(
    "/partners/{id}/onboarding-settings", response_model=s.OnboardingSettingsOut, responses=_WRITE
)
async def change_onboarding_settings(
    id: s.PartnerId, body: s.OnboardingSettingsIn, operator: OperatorDep, session: SessionDep
) -> s.OnboardingSettingsOut:
    """Switch the terms module or the payment requirement, or set the realms; members
    left out stay as they are. Applies to the partner's open orders from now on."""
    given = body.model_fields_set
    found = providers.change(
        session,
        partner_id=id,
        terms_module=body.terms_module,
        payment_required=body.payment_required,
        **({"identifier_realms": body.identifier_realms} if "identifier_realms" in given else {}),
        realms_field="identifierRealms",
    )
    return _settings(found)


@router.get("/partners/{id}/identifier-realms", response_model=s.RealmsOut, responses=_READ)
async def get_partner_identifier_realms(
    id: s.PartnerId, operator: OperatorDep, session: SessionDep
) -> s.RealmsOut:
    """The realms the partner's orders' service identifiers may use (seed 003: "presently
    associated against the parent account")."""
    return _realms(providers.get(session, partner_id=id))


@router.put("/partners/{id}/identifier-realms", response_model=s.RealmsOut, responses=_WRITE)
async def set_partner_identifier_realms(
    id: s.PartnerId, body: s.RealmsIn, operator: OperatorDep, session: SessionDep
) -> s.RealmsOut:
    """Replace the partner's realms: every order of the partner uses them instead of its
    account's own, at the next SET of identifiers and at submit."""
    return _realms(providers.change(session, partner_id=id, identifier_realms=body.realms))


@router.delete("/partners/{id}/identifier-realms", response_model=s.RealmsOut, responses=_WRITE)
async def clear_partner_identifier_realms(
    id: s.PartnerId, operator: OperatorDep, session: SessionDep
) -> s.RealmsOut:
    """Forget the partner's realms: each account's own apply again."""
    return _realms(providers.change(session, partner_id=id, identifier_realms=None))
