"""The webhook and event vocabulary (seed 002, status updates), shared by the partners'
routes and operations' (surfaces/operator/event_routes.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import Field

from orderhub.surfaces.schemas import RequestModel, WireModel, limit_query, path_id, query_int

WebhookId = path_id("Webhook ID")
# A cursor is an outbox sequence number: a 32-bit integer column (PostgreSQL refuses a
# larger value in the comparison: a 500 before this bound).
MAX_CURSOR = 2**31 - 1
Cursor = query_int(ge=0, le=MAX_CURSOR, description="The last cursor you have seen.")
# Events are paged by cursor (`after`), not by offset: only their limit is a query type.
EventsLimit = limit_query(200)
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
