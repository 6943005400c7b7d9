"""Operational routes: liveness, readiness, and the sandbox's message outbox."""

from __future__ import annotations

import hmac
from datetime import datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import Field, model_validator
from sqlalchemy import text

from orderhub import clock, metrics
from orderhub.adapters.messaging import SandboxMessenger
from orderhub.customers.rules import normalize_identifier
from orderhub.errors import Unauthorized, ValidationFailed
from orderhub.ids import utcnow
from orderhub.surfaces.deps import RuntimeDep, SessionDep
from orderhub.surfaces.schemas import JsonBool, JsonInt, RequestModel, WireModel, problem_responses

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


@health.get("/metrics", include_in_schema=False)
async def prometheus_metrics(request: Request, runtime: RuntimeDep) -> Response:
    """Prometheus text format (metrics.py); with ORDERHUB_METRICS_TOKEN set, only for
    `Authorization: Bearer <that token>`."""
    expected = runtime.settings.metrics_token
    if expected is not None:
        sent = request.headers.get("authorization", "")
        if not hmac.compare_digest(sent.encode(), f"Bearer {expected}".encode()):
            raise Unauthorized(
                "Send 'Authorization: Bearer <ORDERHUB_METRICS_TOKEN>'.",
                headers={"WWW-Authenticate": "Bearer"},
            )
    body, content_type = metrics.exposition(runtime.store_metrics)
    return Response(body, media_type=content_type)


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
    # Sandbox lines (1234567890) need not be valid NANP numbers; their SMS are kept as sent.
    recipient = parsed[1] if parsed else to if to.isdigit() and len(to) == 10 else None
    if recipient is None:
        raise ValidationFailed.one("to", "phone_or_email", "Give a 10-digit phone or an e-mail.")
    rows = SandboxMessenger.messages_to(session, recipient)
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


class ClockOut(WireModel):
    now: datetime
    real_now: datetime
    offset_seconds: float


class ClockIn(RequestModel):
    advance_days: JsonInt | None = Field(default=None, ge=1, le=3650)
    now: datetime | None = Field(default=None, description="An ISO date-time with a zone.")
    reset: JsonBool = False

    @model_validator(mode="after")
    def _one_move(self) -> ClockIn:
        given = [self.advance_days is not None, self.now is not None, self.reset]
        if sum(given) != 1:
            raise ValueError("give exactly one of advanceDays, now or reset")
        if self.now is not None and self.now.tzinfo is None:
            raise ValueError("now needs a time zone")
        return self


def _clock_out(session) -> ClockOut:
    real = utcnow()
    shift = clock.offset(session)
    return ClockOut(now=real + timedelta(seconds=shift), real_now=real, offset_seconds=shift)


@sandbox.get("/clock", response_model=ClockOut, responses=problem_responses(500))
async def read_clock(session: SessionDep) -> ClockOut:
    """The sandbox's test clock: the time scheduled changes run by (sandbox mode only)."""
    return _clock_out(session)


@sandbox.post("/clock", response_model=ClockOut, responses=problem_responses(400, 422, 500))
async def move_clock(body: ClockIn, session: SessionDep) -> ClockOut:
    """Move the test clock: `{"advanceDays": N}`, `{"now": "<ISO time>"}` (forward only)
    or `{"reset": true}` (back to real time). Due scheduled work then runs within seconds."""
    if body.reset:
        clock.reset(session)
    else:
        clock.move(session, advance_days=body.advance_days, to=body.now)
    return _clock_out(session)
