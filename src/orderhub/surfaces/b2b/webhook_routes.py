"""Seed 002, status updates: a partner's webhooks, their deliveries, and event polling.

Every event a partner may hear about is in the outbox (webhooks/service.py); partners
either register a webhook or poll `GET /events?after=<cursor>`. The webhook routes are
built by `webhook_routes` for any kind of caller: operations mount the same ones
(surfaces/operator/event_routes.py).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from enum import Enum
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from orderhub.errors import Conflict
from orderhub.surfaces import idempotent
from orderhub.surfaces.b2b import webhook_schemas as w
from orderhub.surfaces.b2b import webhook_views as views
from orderhub.surfaces.callers import PartnerDep
from orderhub.surfaces.deps import IdempotencyKey, RuntimeDep, SessionDep
from orderhub.surfaces.schemas import Limit, problem_responses
from orderhub.webhooks import service as webhooks


async def partner_owner(partner: PartnerDep) -> str:
    """The owner of a partner's webhooks and events (and the scope of its idempotency keys)."""
    return f"partner:{partner.partner_id}"


def webhook_routes(
    owner_of: Callable[..., Awaitable[str]],
    *,
    statuses: tuple[int, ...] = (),
    tags: list[str | Enum] | None = None,
) -> APIRouter:
    """The webhook routes of one kind of caller: `owner_of` is the dependency that checks
    the caller and answers whose webhooks they are (also the scope of the caller's
    Idempotency-Keys); `statuses` are the problem statuses it adds (403). Its surface
    includes it beside the module's own router (surfaces/mounting.py: one level deep)."""
    router = APIRouter(tags=tags)
    owner_dep = Depends(owner_of)  # resolved before the session: no token, no transaction

    def problems(*more: int) -> dict[int | str, dict[str, Any]]:
        return problem_responses(*sorted({401, 500, *statuses, *more}))

    @router.post(
        "/webhooks",
        status_code=201,
        response_model=w.WebhookSecretOut,
        responses=problems(400, 409, 422),
    )
    async def create_webhook(
        request: Request,
        body: w.WebhookIn,
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
            return views.webhook(new.subscription).model_dump(mode="json", by_alias=True)

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

    @router.get("/webhooks", response_model=w.WebhooksOut, responses=problems())
    async def list_webhooks(*, owner: str = owner_dep, session: SessionDep) -> w.WebhooksOut:
        rows = webhooks.list_for(session, owner=owner)
        return w.WebhooksOut(webhooks=[views.webhook(r) for r in rows])

    @router.get("/webhooks/{id}", response_model=w.WebhookOut, responses=problems(404, 422))
    async def get_webhook(
        id: w.WebhookId, *, owner: str = owner_dep, session: SessionDep
    ) -> w.WebhookOut:
        row = webhooks.get(session, owner=owner, subscription_id=id)
        return views.webhook(row)

    @router.delete("/webhooks/{id}", response_model=w.WebhookOut, responses=problems(404, 422))
    async def deactivate_webhook(
        id: w.WebhookId, *, owner: str = owner_dep, session: SessionDep
    ) -> w.WebhookOut:
        """Delete this webhook and its delivery records; nothing more is sent to it. The
        events stay pollable (`GET /events`). Answers the deleted webhook (`active` false);
        afterwards the id is a 404."""
        row = webhooks.remove(session, owner=owner, subscription_id=id)
        return views.webhook(row, deleted=True)

    @router.post(
        "/webhooks/{id}/rotate-secret",
        response_model=w.WebhookSecretOut,
        responses=problems(404, 422),
    )
    async def rotate_webhook_secret(
        id: w.WebhookId, *, owner: str = owner_dep, session: SessionDep, runtime: RuntimeDep
    ) -> w.WebhookSecretOut:
        """A new signing secret, effective at once."""
        new = webhooks.rotate_secret(session, owner=owner, subscription_id=id, key=runtime.key)
        return views.with_secret(new)

    @router.get(
        "/webhooks/{id}/deliveries", response_model=w.DeliveriesOut, responses=problems(404, 422)
    )
    async def list_deliveries(
        id: w.WebhookId, *, owner: str = owner_dep, session: SessionDep, limit: Limit = 50
    ) -> w.DeliveriesOut:
        """The latest deliveries to this webhook, newest first, with their outcome."""
        rows = webhooks.deliveries_of(session, owner=owner, subscription_id=id, limit=limit)
        return w.DeliveriesOut(deliveries=[views.delivery(r) for r in rows])

    @router.post(
        "/webhooks/{id}/redeliver", response_model=w.RedeliveredOut, responses=problems(404, 422)
    )
    async def redeliver(
        id: w.WebhookId, *, owner: str = owner_dep, session: SessionDep
    ) -> w.RedeliveredOut:
        """Queue this webhook's failed deliveries again (after fixing the receiver)."""
        queued = webhooks.redeliver_failed(session, owner=owner, subscription_id=id)
        return w.RedeliveredOut(queued=queued)

    return router


subscription_router = webhook_routes(partner_owner, tags=["status updates"])
router = APIRouter(tags=["status updates"])


@router.get("/events", response_model=w.EventsOut, responses=problem_responses(401, 422, 500))
async def poll_events(
    owner: Annotated[str, Depends(partner_owner)],
    session: SessionDep,
    after: w.Cursor = 0,
    limit: w.EventsLimit = 100,
) -> w.EventsOut:
    """Your events after a cursor, oldest first: the polling alternative to webhooks."""
    rows = webhooks.events_after(session, owner=owner, after=after, limit=limit)
    return w.EventsOut(
        events=[views.event(r) for r in rows], next_after=rows[-1].seq if rows else after
    )
