"""Operational routes: liveness, readiness, and the sandbox's message outbox."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse
from sqlalchemy import text

from orderhub.adapters.messaging import SandboxMessenger
from orderhub.customers.rules import normalize_identifier
from orderhub.errors import ValidationFailed
from orderhub.surfaces.deps import RuntimeDep, SessionDep
from orderhub.surfaces.schemas import WireModel, problem_responses

health = APIRouter(tags=["operations"])
sandbox = APIRouter(prefix="/sandbox/v1", tags=["sandbox"])


class HealthOut(WireModel):
    status: str


@health.get("/healthz", response_model=HealthOut)
async def healthz() -> HealthOut:
    """The process is up."""
    return HealthOut(status="ok")


@health.get("/readyz", response_model=HealthOut, responses={503: {"model": HealthOut}})
async def readyz(runtime: RuntimeDep):
    """The database answers."""
    try:
        with runtime.database.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception:
        return JSONResponse({"status": "database unavailable"}, status_code=503)
    return HealthOut(status="ok")


class MessageOut(WireModel):
    id: int
    to: str
    channel: str
    body: str
    sent_at: datetime


class MessagesOut(WireModel):
    messages: list[MessageOut]


@sandbox.get("/messages", response_model=MessagesOut, responses=problem_responses(422, 500))
async def sent_messages(
    session: SessionDep, to: Annotated[str, Query(min_length=3, max_length=254)]
) -> MessagesOut:
    """Messages the sandbox 'sent' to a phone or e-mail, newest first (sandbox mode only)."""
    parsed = normalize_identifier(to)
    if parsed is None:
        raise ValidationFailed.one("to", "phone_or_email", "Give a 10-digit phone or an e-mail.")
    rows = SandboxMessenger.messages_to(session, parsed[1])
    return MessagesOut(
        messages=[
            MessageOut(
                id=m.id,
                to=m.recipient,
                channel=m.channel,
                body=m.body,
                sent_at=m.created_at,
            )
            for m in rows
        ]
    )
