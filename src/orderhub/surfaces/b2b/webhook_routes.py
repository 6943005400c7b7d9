"""Seed 002, status updates: a partner's webhooks, their deliveries, and event polling.

Every event a partner may hear about is in the outbox (webhooks/service.py); partners
either register a webhook or poll `GET /events?after=<cursor>`. The webhook routes are
built by `webhook_routes` for any kind of caller: operations mount the same ones
(surfaces/operator/event_routes.py).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import Field
from sqlalchemy import Row

from orderhub.errors import Conflict
from orderhub.surfaces import idempotent
from orderhub.surfaces.b2b.deps import IdempotencyKey, PartnerDep
from orderhub.surfaces.deps import RuntimeDep, SessionDep
from orderhub.surfaces.schemas import (
    Limit,
    RequestModel,
    WireModel,
    path_id,
    problem_responses,
    query_int,
)
from orderhub.webhooks import service as webhooks

WebhookId = path_id("Webhook ID")
# A cursor is an outbox sequence number: a 32-bit integer column (PostgreSQL refuses a
# larger value in the comparison: a 500 before this bound).
MAX_CURSOR = 2**31 - 1
Cursor = query_int(ge=0, le=MAX_CURSOR, description="The last cursor you have seen.")
EventsLimit = query_int(ge=1, le=200, description="How many to return, 1 to 200.")
# An event type is at most 80 characters (the outbox's column), and so is a pattern of
# them; the checks of its form are webhooks.service's (rule `event_type_pattern`).
EventPattern = Annotated[str, Field(max_length=80)]


class WebhookIn(RequestModel):
    url: str = Field(max_length=2000, description="https (http allowed in sandbox mode).")
    event_types: list[EventPattern] = Field(
        max_length=20,
        description="Event types ('order.status_changed'), families ('order.*') or '*'.",
    )


class WebhookOut(WireModel):
    id: str
    url: str
    event_types: list[str]
    active: bool
    created_at: datetime
    updated_at: datetime


class WebhookSecretOut(WebhookOut):
    secret: str = Field(
        description="Signs every delivery (OrderHub-Signature). Shown only now; keep it."
    )


class WebhooksOut(WireModel):
    webhooks: list[WebhookOut]


class DeliveryOut(WireModel):
    id: str
    event_id: str
    event_type: str
    status: str
    attempts: int
    last_status_code: int | None
    last_error: str | None
    next_attempt_at: datetime | None
    delivered_at: datetime | None
    created_at: datetime


class DeliveriesOut(WireModel):
    deliveries: list[DeliveryOut]


class RedeliveredOut(WireModel):
    queued: int


class EventOut(WireModel):
    id: str
    cursor: int = Field(description="Pass as `after` to read the events that follow.")
    type: str
    subject: str
    created_at: datetime
    data: dict[str, Any]


class EventsOut(WireModel):
    events: list[EventOut]
    next_after: int = Field(description="`after` for the next poll.")


async def partner_owner(partner: PartnerDep) -> str:
    """The owner of a partner's webhooks and events (and the scope of its idempotency keys)."""
    return f"partner:{partner.partner_id}"


def _webhook(row: Row) -> dict[str, Any]:
    return {
        "id": row.id,
        "url": row.url,
        "event_types": row.event_types,
        "active": row.active,
        "created_at": row.created_at,
        "updated_at": row.updated_at,
    }


def _with_secret(new: webhooks.NewSubscription) -> WebhookSecretOut:
    return WebhookSecretOut(**_webhook(new.subscription), secret=new.secret)


def webhook_routes(
    owner_of: Callable[..., Awaitable[str]], *, statuses: tuple[int, ...] = ()
) -> APIRouter:
    """The webhook routes of one kind of caller: `owner_of` is the dependency that checks
    the caller and answers whose webhooks they are (also the scope of the caller's
    Idempotency-Keys); `statuses` are the problem statuses it adds (403)."""
    router = APIRouter()
    owner_dep = Depends(owner_of)  # resolved before the session: no token, no transaction

    def problems(*more: int) -> dict[int | str, dict[str, Any]]:
        return problem_responses(*sorted({401, 500, *statuses, *more}))

    @router.post(
        "/webhooks",
        status_code=201,
        response_model=WebhookSecretOut,
        responses=problems(400, 409, 422),
    )
    async def create_webhook(
        request: Request,
        body: WebhookIn,
        *,
        owner: str = owner_dep,
        session: SessionDep,
        runtime: RuntimeDep,
        idempotency_key: IdempotencyKey = None,
    ) -> JSONResponse:
        """Register a callback URL for event types. Deliveries are POSTs signed with the
        returned secret: `OrderHub-Signature: v1=<hex HMAC-SHA256 of "<timestamp>.<body>">`."""

        def produce() -> dict:
            new = webhooks.subscribe(
                session,
                owner=owner,
                url=body.url,
                event_types=body.event_types,
                key=runtime.key,
                allow_http=runtime.settings.sandbox,
            )
            return WebhookOut(**_webhook(new.subscription)).model_dump(mode="json", by_alias=True)

        def reveal(answer: dict) -> dict:
            # The secret is derived, never stored, not even in the kept idempotent answer:
            # a replay shows the webhook's current secret, and there is none once deleted.
            current = webhooks.find(session, owner=owner, subscription_id=answer["id"])
            if current is None:
                raise Conflict(
                    "The webhook this Idempotency-Key registered has been deleted; register "
                    "it again with a new key.",
                    code="webhook_deleted",
                )
            return answer | {"secret": webhooks.current_secret(current, key=runtime.key)}

        return idempotent.respond(
            request,
            session,
            scope=owner,
            key=idempotency_key,
            body=body.model_dump(mode="json"),
            status_code=201,
            produce=produce,
            reveal=reveal,
        )

    @router.get("/webhooks", response_model=WebhooksOut, responses=problems())
    async def list_webhooks(*, owner: str = owner_dep, session: SessionDep) -> WebhooksOut:
        rows = webhooks.list_for(session, owner=owner)
        return WebhooksOut(webhooks=[WebhookOut(**_webhook(r)) for r in rows])

    @router.get("/webhooks/{id}", response_model=WebhookOut, responses=problems(404, 422))
    async def get_webhook(
        id: WebhookId, *, owner: str = owner_dep, session: SessionDep
    ) -> WebhookOut:
        row = webhooks.get(session, owner=owner, subscription_id=id)
        return WebhookOut(**_webhook(row))

    @router.delete("/webhooks/{id}", response_model=WebhookOut, responses=problems(404, 422))
    async def deactivate_webhook(
        id: WebhookId, *, owner: str = owner_dep, session: SessionDep
    ) -> WebhookOut:
        """Delete this webhook and its delivery records; nothing more is sent to it. The
        events stay pollable (`GET /events`). Answers the deleted webhook (`active` false);
        afterwards the id is a 404."""
        row = webhooks.remove(session, owner=owner, subscription_id=id)
        return WebhookOut(**_webhook(row) | {"active": False})

    @router.post(
        "/webhooks/{id}/rotate-secret",
        response_model=WebhookSecretOut,
        responses=problems(404, 422),
    )
    async def rotate_webhook_secret(
        id: WebhookId, *, owner: str = owner_dep, session: SessionDep, runtime: RuntimeDep
    ) -> WebhookSecretOut:
        """A new signing secret, effective at once."""
        new = webhooks.rotate_secret(session, owner=owner, subscription_id=id, key=runtime.key)
        return _with_secret(new)

    @router.get(
        "/webhooks/{id}/deliveries", response_model=DeliveriesOut, responses=problems(404, 422)
    )
    async def list_deliveries(
        id: WebhookId, *, owner: str = owner_dep, session: SessionDep, limit: Limit = 50
    ) -> DeliveriesOut:
        """The latest deliveries to this webhook, newest first, with their outcome."""
        rows = webhooks.deliveries_of(session, owner=owner, subscription_id=id, limit=limit)
        return DeliveriesOut(deliveries=[_delivery(r) for r in rows])

    @router.post(
        "/webhooks/{id}/redeliver", response_model=RedeliveredOut, responses=problems(404, 422)
    )
    async def redeliver(
        id: WebhookId, *, owner: str = owner_dep, session: SessionDep
    ) -> RedeliveredOut:
        """Queue this webhook's failed deliveries again (after fixing the receiver)."""
        queued = webhooks.redeliver_failed(session, owner=owner, subscription_id=id)
        return RedeliveredOut(queued=queued)

    return router


def _delivery(row: Row) -> DeliveryOut:
    return DeliveryOut(
        id=row.id,
        event_id=row.event_id,
        event_type=row.event_type,
        status=row.status,
        attempts=row.attempts,
        last_status_code=row.last_status_code,
        last_error=row.last_error,
        next_attempt_at=row.next_attempt_at,
        delivered_at=row.delivered_at,
        created_at=row.created_at,
    )


router = APIRouter(tags=["status updates"])
router.include_router(webhook_routes(partner_owner))


@router.get("/events", response_model=EventsOut, responses=problem_responses(401, 422, 500))
async def poll_events(
    owner: Annotated[str, Depends(partner_owner)],
    session: SessionDep,
    after: Cursor = 0,
    limit: EventsLimit = 100,
) -> EventsOut:
    """Your events after a cursor, oldest first: the polling alternative to webhooks."""
    rows = webhooks.events_after(session, owner=owner, after=after, limit=limit)
    return EventsOut(
        events=[
            EventOut(
                id=r.id,
                cursor=r.seq,
                type=r.type,
                subject=r.subject,
                created_at=r.created_at,
                data=r.data,
            )
            for r in rows
        ],
        next_after=rows[-1].seq if rows else after,
    )
