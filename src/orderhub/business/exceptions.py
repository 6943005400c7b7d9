"""Exception requests: a partner asks to quote an alliance-only customer; operations decide."""

from __future__ import annotations

from sqlalchemy import Row, bindparam, func, select
from sqlalchemy.orm import Session

from orderhub.business import rules
from orderhub.business import service as business
from orderhub.business.models import BusinessCustomer, ExceptionRequest
from orderhub.business.states import LIFECYCLE, ExceptionStatus, transition
from orderhub.db import serialize_on
from orderhub.errors import Conflict, NotFound
from orderhub.ids import iso_z, new_id, utcnow
from orderhub.partners.models import Partner
from orderhub.webhooks import service as webhooks

REQUESTS = ExceptionRequest.__table__
_PENDING = ExceptionStatus.PENDING.value
# Operations' queue: the pending requests, oldest first, with the partner and customer named.
_QUEUE = (
    select(
        REQUESTS.c.id,
        REQUESTS.c.partner_id,
        REQUESTS.c.customer_id,
        REQUESTS.c.reason,
        REQUESTS.c.created_at,
        Partner.__table__.c.name.label("partner_name"),
        BusinessCustomer.__table__.c.name.label("customer_name"),
    )
    .join(Partner.__table__, Partner.__table__.c.id == REQUESTS.c.partner_id)
    .join(BusinessCustomer.__table__, BusinessCustomer.__table__.c.id == REQUESTS.c.customer_id)
    .where(REQUESTS.c.status == _PENDING)
    .order_by(REQUESTS.c.created_at, REQUESTS.c.id)
    .limit(bindparam("b_limit"))
    .offset(bindparam("b_offset"))
)
_QUEUE_SUMMARY = select(
    func.count().label("count"), func.min(REQUESTS.c.created_at).label("oldest")
).where(REQUESTS.c.status == _PENDING)


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


def pending_queue(session: Session, *, limit: int, offset: int) -> list[Row]:
    """Pending requests of every partner, oldest first, with partner and customer names."""
    return list(session.execute(_QUEUE, {"b_limit": limit, "b_offset": offset}))


def pending_summary(session: Session) -> Row:
    """How many requests wait (`count`) and since when the oldest (`oldest`)."""
    return session.execute(_QUEUE_SUMMARY).one()


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
    if request.status != ExceptionStatus.PENDING:
        # Decided already (by another agent, perhaps a moment ago): say by whom and when.
        decided = f" by {request.decided_by}" if request.decided_by else ""
        when = f" at {iso_z(request.decided_at)}" if request.decided_at else ""
        raise LIFECYCLE.refusal(
            f"Exception request '{request.id}' was already {request.status}{decided}{when}; "
            "a decision is final.",
            current=request.status,
            target=target,
        )
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
