"""The work queues (`/console/queues`): exception requests to decide, B2B orders in
jeopardy or rejected, care changes that failed and webhook deliveries that failed, each
oldest first, and the actions on them (agents): approve or reject an exception request,
redeliver a delivery. Each action goes through the operator API's domain services with
the agent as actor; when the state has moved on (another agent was quicker) the page
comes back with 409 and the reason."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from orderhub.business import exceptions
from orderhub.business.states import ExceptionStatus
from orderhub.errors import Conflict
from orderhub.ids import utcnow
from orderhub.operators.rules import Role, may
from orderhub.operators.sessions import SignedIn
from orderhub.surfaces.console import pages
from orderhub.surfaces.console import queue_views as views
from orderhub.surfaces.console.auth import AgentAction, ConsoleUserDep
from orderhub.surfaces.deps import SessionDep
from orderhub.webhooks import service as webhooks

router = APIRouter(include_in_schema=False)
QUEUES = pages.PREFIX + "/queues"
NOTE_MAX = 1000

Offset = Annotated[int, Query(ge=0, le=100_000)]
RequestId = Annotated[str, Path(min_length=1, max_length=40)]
DeliveryId = Annotated[str, Path(min_length=1, max_length=40)]


def _page(
    request: Request,
    session: Session,
    user: SignedIn,
    offsets: dict[str, int],
    *,
    status: int = 200,
    flash: str | None = None,
    flash_kind: str = "ok",
) -> Response:
    args = {f"{anchor}_offset": offset for anchor, offset in offsets.items() if offset}
    return pages.render(
        request,
        "queues.html",
        status=status,
        sections=views.sections(session, offsets),
        args=args,
        now=utcnow(),
        age=views.age,
        order_subject=views.order_subject,
        partly_rejected=views.partly_rejected,
        may_act=may(user.role, Role.AGENT),
        flash=flash,
        flash_kind=flash_kind,
    )


@router.get("/queues")
async def queues(
    request: Request,
    user: ConsoleUserDep,
    session: SessionDep,
    exceptions_offset: Offset = 0,
    jeopardy_offset: Offset = 0,
    care_offset: Offset = 0,
    webhooks_offset: Offset = 0,
    done: Annotated[str | None, Query(max_length=20)] = None,
) -> Response:
    offsets = {
        "exceptions": exceptions_offset,
        "jeopardy": jeopardy_offset,
        "care": care_offset,
        "webhooks": webhooks_offset,
    }
    return _page(request, session, user, offsets, flash=views.DONE.get(done or ""))


def _refused(request: Request, session: Session, user: SignedIn, refusal: Conflict) -> Response:
    """The queues again, saying why the action could not be done (the state moved on)."""
    return _page(request, session, user, {}, status=409, flash=refusal.detail, flash_kind="error")


def _decide(
    request: Request, acting, session: Session, request_id: str, target: ExceptionStatus
) -> Response:
    note = (acting.form.get("note") or acting.form.get("reason") or "").strip()[:NOTE_MAX]
    if target == ExceptionStatus.REJECTED and not note:
        return _page(
            request,
            session,
            acting.user,
            {},
            status=422,
            flash="Give a reason to reject an exception request: the partner is told it.",
            flash_kind="error",
        )
    try:
        exceptions.decide(
            session,
            request_id=request_id,
            target=target,
            note=note or None,
            actor=acting.user.actor,
        )
    except Conflict as refusal:
        return _refused(request, session, acting.user, refusal)
    return pages.redirect(f"{QUEUES}?done={target.value}#exceptions", request)


@router.post("/queues/exceptions/{request_id}/approve")
async def approve_exception(
    request: Request, request_id: RequestId, acting: AgentAction, session: SessionDep
) -> Response:
    return _decide(request, acting, session, request_id, ExceptionStatus.APPROVED)


@router.post("/queues/exceptions/{request_id}/reject")
async def reject_exception(
    request: Request, request_id: RequestId, acting: AgentAction, session: SessionDep
) -> Response:
    return _decide(request, acting, session, request_id, ExceptionStatus.REJECTED)


@router.post("/queues/webhooks/{delivery_id}/redeliver")
async def redeliver(
    request: Request, delivery_id: DeliveryId, acting: AgentAction, session: SessionDep
) -> Response:
    try:
        webhooks.redeliver(session, delivery_id=delivery_id, actor=acting.user.actor)
    except Conflict as refusal:
        return _refused(request, session, acting.user, refusal)
    return pages.redirect(f"{QUEUES}?done=redelivered#webhooks", request)
