"""`/operator/v1/exception-requests`: deciding the partners' requests to quote an
alliance-only customer (their vocabulary is the B2B API's, b2b/schemas.py)."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy.orm import Session

from orderhub.business import exceptions
from orderhub.business.states import ExceptionStatus
from orderhub.surfaces.b2b import schemas as s
from orderhub.surfaces.b2b import views
from orderhub.surfaces.b2b.schemas import ExceptionRequestId
from orderhub.surfaces.callers import OperatorDep
from orderhub.surfaces.deps import PageDep, SessionDep
from orderhub.surfaces.schemas import problem_responses

router = APIRouter()


@router.get(
    "/exception-requests",
    response_model=s.OperatorExceptionRequestsOut,
    responses=problem_responses(401, 403, 422, 500),
)
async def list_exception_requests(
    operator: OperatorDep,
    session: SessionDep,
    page: PageDep,
    status: ExceptionStatus | None = None,
) -> s.OperatorExceptionRequestsOut:
    """Every partner's exception requests, oldest first (`status=pending`: the queue)."""
    found = exceptions.list_all(session, status=status, limit=page.limit, offset=page.offset)
    return s.OperatorExceptionRequestsOut(
        exception_requests=[views.operator_exception_request(r) for r in found],
        limit=page.limit,
        offset=page.offset,
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
