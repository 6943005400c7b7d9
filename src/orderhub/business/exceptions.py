"""Exception requests: a partner asks to quote an alliance-only customer; operations decide."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from orderhub.business import rules
from orderhub.business import service as business
from orderhub.business.models import ExceptionRequest
from orderhub.business.states import ExceptionStatus, transition
from orderhub.db import serialize_on
from orderhub.errors import Conflict, NotFound
from orderhub.ids import new_id, utcnow
from orderhub.webhooks import service as webhooks


class ExceptionRequestNotFound(NotFound):
    code = "exception_request_not_found"
    title = "No such exception request"


class ExceptionNotNeeded(Conflict):
    code = "exception_not_needed"
    title = "No exception needed"


class ExceptionRequestOpen(Conflict):
    code = "exception_request_exists"
    title = "An exception request is already open"


def create(session: Session, *, partner_id: str, customer_id: str, reason: str) -> ExceptionRequest:
    """A pending request for a customer the partner finds but may not quote yet."""
    # Check-then-insert: two concurrent requests for one customer must not both pass.
    serialize_on(session, f"exception-request:{partner_id}:{customer_id}")
    match = business.get_visible(session, partner_id=partner_id, customer_id=customer_id)
    if not rules.needs_exception(match.alliance_status):
        raise ExceptionNotNeeded(
            "The customer is in your alliance; you may quote it without an exception.",
            extra={"allianceStatus": match.alliance_status},
        )
    existing = session.execute(
        select(ExceptionRequest.id, ExceptionRequest.status)
        .where(
            ExceptionRequest.partner_id == partner_id,
            ExceptionRequest.customer_id == customer_id,
            ExceptionRequest.status.in_([ExceptionStatus.PENDING, ExceptionStatus.APPROVED]),
        )
        .limit(1)
    ).first()
    if existing is not None:
        raise ExceptionRequestOpen(
            f"Exception request '{existing.id}' for this customer is already {existing.status}.",
            extra={"exceptionRequestId": existing.id, "currentStatus": existing.status},
        )
    request = ExceptionRequest(
        id=new_id("exr"),
        partner_id=partner_id,
        customer_id=customer_id,
        reason=reason,
        status=ExceptionStatus.PENDING,
        created_at=utcnow(),
    )
    session.add(request)
    session.flush()
    return request


def get_for_partner(session: Session, *, partner_id: str, request_id: str) -> ExceptionRequest:
    """The partner's own request; another partner's is 404 like one never issued."""
    request = session.scalar(
        select(ExceptionRequest).where(
            ExceptionRequest.id == request_id, ExceptionRequest.partner_id == partner_id
        )
    )
    if request is None:
        raise ExceptionRequestNotFound(f"No exception request '{request_id}'.")
    return request


def get(session: Session, *, request_id: str) -> ExceptionRequest:
    """Any partner's request (operations)."""
    request = session.get(ExceptionRequest, request_id)
    if request is None:
        raise ExceptionRequestNotFound(f"No exception request '{request_id}'.")
    return request


def list_for_partner(
    session: Session,
    *,
    partner_id: str,
    status: ExceptionStatus | None,
    limit: int,
    offset: int,
) -> list[ExceptionRequest]:
    """The partner's requests, newest first."""
    stmt = select(ExceptionRequest).where(ExceptionRequest.partner_id == partner_id)
    if status is not None:
        stmt = stmt.where(ExceptionRequest.status == status)
    stmt = stmt.order_by(ExceptionRequest.created_at.desc(), ExceptionRequest.id.desc())
    return list(session.scalars(stmt.limit(limit).offset(offset)))


def list_all(
    session: Session, *, status: ExceptionStatus | None, limit: int, offset: int
) -> list[ExceptionRequest]:
    """Every partner's requests for operations, oldest first (the queue order)."""
    stmt = select(ExceptionRequest)
    if status is not None:
        stmt = stmt.where(ExceptionRequest.status == status)
    stmt = stmt.order_by(ExceptionRequest.created_at, ExceptionRequest.id)
    return list(session.scalars(stmt.limit(limit).offset(offset)))


def decide(
    session: Session,
    *,
    request_id: str,
    target: ExceptionStatus,
    note: str | None,
    actor: str,
) -> ExceptionRequest:
    """Approve or reject a pending request (a decision is final: 409 otherwise)."""
    request = session.scalar(
        select(ExceptionRequest).where(ExceptionRequest.id == request_id).with_for_update()
    )
    if request is None:
        raise ExceptionRequestNotFound(f"No exception request '{request_id}'.")
    request.status = transition(request.status, target)
    request.decision_note = note
    request.decided_by = actor
    request.decided_at = utcnow()
    session.flush()
    # The partner hears of the decision (webhook or polling) in the same transaction.
    webhooks.publish(
        session,
        owner=f"partner:{request.partner_id}",
        type=f"exception_request.{request.status}",
        subject=request.id,
        data={
            "exceptionRequestId": request.id,
            "customerId": request.customer_id,
            "status": str(request.status),
            "decisionNote": note,
        },
    )
    return request
