"""The operations API under `/operator/v1`: deciding partners' exception requests,
activating onboarded services once fulfilment is done, the order ledger
(`order_routes.py`) and every owner's events (`event_routes.py`)."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from sqlalchemy.orm import Session

from orderhub.business import exceptions
from orderhub.business.states import ExceptionStatus
from orderhub.inventory import provisioned
from orderhub.surfaces.b2b import schemas as s
from orderhub.surfaces.b2b import views
from orderhub.surfaces.b2b.schemas import ExceptionRequestId
from orderhub.surfaces.deps import SessionDep
from orderhub.surfaces.operator import event_routes, order_routes
from orderhub.surfaces.operator.deps import OperatorDep
from orderhub.surfaces.schemas import Limit, Offset, WireModel, path_id, problem_responses

router = APIRouter(prefix="/operator/v1", tags=["operations"])
router.include_router(order_routes.router)
router.include_router(event_routes.router)
ServiceId = path_id("Service ID")


@router.get(
    "/exception-requests",
    response_model=s.OperatorExceptionRequestsOut,
    responses=problem_responses(401, 403, 422, 500),
)
async def list_exception_requests(
    operator: OperatorDep,
    session: SessionDep,
    status: ExceptionStatus | None = None,
    limit: Limit = 20,
    offset: Offset = 0,
) -> s.OperatorExceptionRequestsOut:
    """Every partner's exception requests, oldest first (`status=pending`: the queue)."""
    found = exceptions.list_all(session, status=status, limit=limit, offset=offset)
    return s.OperatorExceptionRequestsOut(
        exception_requests=[views.operator_exception_request(r) for r in found],
        limit=limit,
        offset=offset,
    )


@router.get(
    "/exception-requests/{id}",
    response_model=s.OperatorExceptionRequestOut,
    responses=problem_responses(401, 403, 404, 422, 500),
)
async def get_exception_request(
    id: ExceptionRequestId, operator: OperatorDep, session: SessionDep
) -> s.OperatorExceptionRequestOut:
    """One exception request, whoever filed it."""
    found = exceptions.get(session, request_id=id)
    return views.operator_exception_request(found)


def _decide(
    session: Session,
    request_id: str,
    target: ExceptionStatus,
    body: s.DecisionIn | None,
    actor: str,
) -> s.OperatorExceptionRequestOut:
    decided = exceptions.decide(
        session,
        request_id=request_id,
        target=target,
        note=body.note if body else None,
        actor=actor,
    )
    return views.operator_exception_request(decided)


@router.post(
    "/exception-requests/{id}/approve",
    response_model=s.OperatorExceptionRequestOut,
    responses=problem_responses(400, 401, 403, 404, 409, 422, 500),
)
async def approve_exception_request(
    id: ExceptionRequestId,
    operator: OperatorDep,
    session: SessionDep,
    body: s.DecisionIn | None = None,
) -> s.OperatorExceptionRequestOut:
    """Approve a pending request: the partner may then quote the customer. Decided: 409."""
    return _decide(session, id, ExceptionStatus.APPROVED, body, operator)


@router.post(
    "/exception-requests/{id}/reject",
    response_model=s.OperatorExceptionRequestOut,
    responses=problem_responses(400, 401, 403, 404, 409, 422, 500),
)
async def reject_exception_request(
    id: ExceptionRequestId,
    operator: OperatorDep,
    session: SessionDep,
    body: s.DecisionIn | None = None,
) -> s.OperatorExceptionRequestOut:
    """Reject a pending request (the partner may file a new one). Decided: 409."""
    return _decide(session, id, ExceptionStatus.REJECTED, body, operator)


class ActivatedServiceOut(WireModel):
    id: str
    status: str
    account_number: str
    service_type_id: str
    updated_at: datetime


@router.post(
    "/inventory/services/{id}/activate",
    response_model=ActivatedServiceOut,
    responses=problem_responses(401, 403, 404, 409, 422, 500),
)
async def activate_service(
    id: ServiceId,
    operator: OperatorDep,
    session: SessionDep,
) -> ActivatedServiceOut:
    """Fulfilment is done: the onboarded service goes from PreActive to active (409 from
    any other status). Consumer lines go active when their order completes."""
    row = provisioned.activate_service(session, service_id=id)
    return ActivatedServiceOut(
        id=row.id,
        status=row.status,
        account_number=row.account_number,
        service_type_id=row.service_type_id,
        updated_at=row.updated_at,
    )
