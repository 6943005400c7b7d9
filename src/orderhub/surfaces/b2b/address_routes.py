"""Seed 002, AVPS: postal validation of an address, on its own."""

from __future__ import annotations

from fastapi import APIRouter

from orderhub.surfaces.b2b import schemas as s
from orderhub.surfaces.b2b import views
from orderhub.surfaces.callers import PartnerDep
from orderhub.surfaces.deps import RuntimeDep
from orderhub.surfaces.schemas import problem_responses

router = APIRouter(tags=["addresses"])


@router.post(
    "/addresses/validate",
    response_model=s.AddressValidationOut,
    responses=problem_responses(400, 401, 422, 500),
)
async def validate_address(
    body: s.AddressIn, partner: PartnerDep, runtime: RuntimeDep
) -> s.AddressValidationOut:
    """Check an address with the postal rules: valid or not, the standardized address, and
    each problem (`field`, `rule`). An invalid address is an answer (200), not an error."""
    return views.address_validation(runtime.adapters.postal.validate(views.postal_address(body)))
