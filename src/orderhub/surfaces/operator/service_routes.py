"""`/operator/v1/inventory/services/{id}/activate`: fulfilment is done for an onboarded
service."""

from __future__ import annotations

from fastapi import APIRouter

from orderhub.inventory import provisioned
from orderhub.surfaces.callers import OperatorDep
from orderhub.surfaces.deps import SessionDep
from orderhub.surfaces.operator import schemas as s
from orderhub.surfaces.operator import views
from orderhub.surfaces.schemas import problem_responses

router = APIRouter()


@router.post(
    "/inventory/services/{id}/activate",
    response_model=s.ActivatedServiceOut,
    responses=problem_responses(401, 403, 404, 409, 422, 500),
)
async def activate_service(
    id: s.ServiceId,
    operator: OperatorDep,
    session: SessionDep,
) -> s.ActivatedServiceOut:
    """Fulfilment is done: the onboarded service goes from PreActive to active (409 from
    any other status). Consumer lines go active when their order completes."""
    row = provisioned.activate_service(session, service_id=id)
    return views.activated_service(row)
