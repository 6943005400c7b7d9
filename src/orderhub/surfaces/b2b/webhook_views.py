"""Shaping webhook, delivery and event rows into the status-update answers."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row

from orderhub.surfaces.b2b import webhook_schemas as w
from orderhub.webhooks import service as webhooks


def webhook(row: Row, *, deleted: bool = False) -> w.WebhookOut:
    """The webhook as stored; a deleted one (the row just removed) is no longer active."""
    return w.WebhookOut(**_webhook_fields(row) | ({"active": False} if deleted else {}))


def with_secret(new: webhooks.NewSubscription) -> w.WebhookSecretOut:
    return w.WebhookSecretOut(**_webhook_fields(new.subscription), secret=new.secret)


def _webhook_fields(row: Row) -> dict[str, Any]:
    return {
        "id": row.id,
        "url": row.url,
        "event_types": row.event_types,
        "active": row.active,
        "created_at": row.created_at,
        "updated_at": row.updated_at,
    }


def delivery(row: Row) -> w.DeliveryOut:
    return w.DeliveryOut(
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


def event(row: Row) -> w.EventOut:
    return w.EventOut(
        id=row.id,
        cursor=row.seq,
        type=row.type,
        subject=row.subject,
        created_at=row.created_at,
        data=row.data,
    )
