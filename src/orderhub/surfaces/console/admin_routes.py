"""Admin pages: partners (B2B and onboarding tenants) with their API clients, and every
owner's webhooks. Admin only (the Operators page, operator_routes.py, is the third).

A new client secret or webhook signing secret is shown once, on the page that answers the
form that made it (never stored in clear, never in a URL; pages are not cached)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from orderhub.errors import OrderHubError
from orderhub.operators.rules import Role
from orderhub.partners import rules as partner_rules
from orderhub.partners import service as partners
from orderhub.partners.models import Partner, PartnerClient
from orderhub.surfaces.console import pages
from orderhub.surfaces.console.auth import AdminAction, ConsoleUserDep, require
from orderhub.surfaces.deps import SessionDep
from orderhub.webhooks import rules as webhook_rules
from orderhub.webhooks import service as webhooks
from orderhub.webhooks.models import WebhookDelivery, WebhookSubscription

router = APIRouter(include_in_schema=False)
PARTNERS = Partner.__table__
CLIENTS = PartnerClient.__table__
SUBSCRIPTIONS = WebhookSubscription.__table__
DELIVERIES = WebhookDelivery.__table__

_PARTNERS = select(PARTNERS).order_by(PARTNERS.c.name)
_CLIENTS = select(CLIENTS.c.client_id, CLIENTS.c.partner_id, CLIENTS.c.secret_rotated_at).order_by(
    CLIENTS.c.created_at
)
_SUBSCRIPTIONS = select(SUBSCRIPTIONS).order_by(SUBSCRIPTIONS.c.owner, SUBSCRIPTIONS.c.created_at)
_DELIVERY_COUNTS = select(
    DELIVERIES.c.subscription_id, DELIVERIES.c.status, func.count().label("n")
).group_by(DELIVERIES.c.subscription_id, DELIVERIES.c.status)
_DONE = {
    "webhook-deleted": "The webhook was deleted, with its deliveries.",
}


@dataclass(frozen=True)
class FreshSecret:
    """A new client secret and its argon2 hash, made on the hashing threads before the
    page's transaction opens (never on the event loop, never with a connection held)."""

    secret: str
    hash: str


async def fresh_secret(request: Request) -> FreshSecret:
    secret = partner_rules.new_client_secret()
    hashed = await request.app.state.runtime.passwords.run(partners.hash_secret, secret)
    return FreshSecret(secret, hashed)


FreshSecretDep = Annotated[FreshSecret, Depends(fresh_secret)]


def _partners_page(
    request: Request, session: Session, *, status: int = 200, **extra: object
) -> Response:
    clients: dict[str, list] = {}
    for row in session.execute(_CLIENTS):
        clients.setdefault(row.partner_id, []).append(row)
    return pages.render(
        request,
        "partners.html",
        status=status,
        partners=list(session.execute(_PARTNERS)),
        clients=clients,
        **extra,
    )


@router.get("/partners")
async def partners_page(request: Request, user: ConsoleUserDep, session: SessionDep) -> Response:
    require(user, Role.ADMIN)
    return _partners_page(request, session)


@router.post("/partners")
async def create_partner(
    request: Request, acting: AdminAction, fresh: FreshSecretDep, session: SessionDep
) -> Response:
    name = acting.form.get("name", "").strip()
    if not name or len(name) > 200:
        return _partners_page(
            request,
            session,
            status=422,
            flash="A partner's name is 1 to 200 characters.",
            flash_kind="error",
        )
    try:
        issued = partners.create_partner(
            session, name=name, client_secret=fresh.secret, secret_hash=fresh.hash
        )
    except partners.PartnerExists as exists:
        return _partners_page(request, session, status=409, flash=exists.detail, flash_kind="error")
    return _partners_page(
        request,
        session,
        status=201,
        issued=issued,
        flash=f"Partner '{name}' created by {acting.user.username}.",
    )


@router.post("/partners/clients/{client_id}/rotate")
async def rotate_client_secret(
    client_id: str,
    request: Request,
    acting: AdminAction,
    fresh: FreshSecretDep,
    session: SessionDep,
) -> Response:
    issued = partners.rotate_secret(
        session, client_id=client_id, secret=fresh.secret, secret_hash=fresh.hash
    )
    return _partners_page(
        request,
        session,
        issued=issued,
        flash="The old secret stopped working now; tokens already issued run out on their own.",
    )


def _webhooks_page(
    request: Request, session: Session, *, status: int = 200, **extra: object
) -> Response:
    counts: dict[str, dict[str, int]] = {}
    for row in session.execute(_DELIVERY_COUNTS):
        counts.setdefault(row.subscription_id, {})[row.status] = row.n
    return pages.render(
        request,
        "webhooks.html",
        status=status,
        subscriptions=list(session.execute(_SUBSCRIPTIONS)),
        counts=counts,
        **extra,
    )


@router.get("/webhooks")
async def webhooks_page(
    request: Request, user: ConsoleUserDep, session: SessionDep, done: str | None = None
) -> Response:
    require(user, Role.ADMIN)
    return _webhooks_page(request, session, flash=_DONE.get(done or ""))


@router.post("/webhooks")
async def create_webhook(request: Request, acting: AdminAction, session: SessionDep) -> Response:
    """A webhook of operations (they hear every owner's events)."""
    url = acting.form.get("url", "").strip()
    types = [t.strip() for t in acting.form.get("event_types", "").split(",") if t.strip()]
    runtime = request.app.state.runtime
    try:
        new = webhooks.subscribe(
            session,
            owner=webhook_rules.OPERATIONS,
            url=url,
            event_types=types,
            key=runtime.key,
            allow_http=runtime.settings.sandbox,
        )
    except OrderHubError as refused:
        return _webhooks_page(
            request,
            session,
            status=refused.status,
            flash=refused.detail,
            flash_kind="error",
            problems=refused.errors,
        )
    return _webhooks_page(
        request,
        session,
        status=201,
        new_secret=(new.subscription.id, new.secret),
        flash="Webhook registered: store its signing secret now, it is shown once.",
    )


@router.post("/webhooks/{subscription_id}/delete")
async def delete_webhook(
    subscription_id: str, request: Request, acting: AdminAction, session: SessionDep
) -> Response:
    owner = session.execute(
        select(SUBSCRIPTIONS.c.owner).where(SUBSCRIPTIONS.c.id == subscription_id)
    ).scalar()
    if owner is None:
        raise webhooks.SubscriptionNotFound(f"No webhook '{subscription_id}' was found.")
    webhooks.remove(session, owner=owner, subscription_id=subscription_id)
    return pages.redirect(f"{pages.PREFIX}/webhooks?done=webhook-deleted")
