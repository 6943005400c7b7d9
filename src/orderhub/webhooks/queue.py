"""Operations' view of the deliveries: the failed ones waiting for a person (the
console's work queue, oldest first), and how the outbox is doing (its backlog and the
failure rate of the last day), each one aggregate statement."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import NamedTuple

from sqlalchemy import Row, bindparam, func, select
from sqlalchemy.orm import Session

from orderhub.webhooks import dispatch
from orderhub.webhooks.models import OutboxEvent, WebhookDelivery, WebhookSubscription

EVENTS = OutboxEvent.__table__
SUBSCRIPTIONS = WebhookSubscription.__table__
DELIVERIES = WebhookDelivery.__table__
FAILED = "failed"

_FAILED = (
    select(
        DELIVERIES.c.id,
        DELIVERIES.c.attempts,
        DELIVERIES.c.last_status_code,
        DELIVERIES.c.last_error,
        DELIVERIES.c.created_at,
        DELIVERIES.c.subscription_id,
        SUBSCRIPTIONS.c.owner.label("subscription_owner"),
        SUBSCRIPTIONS.c.api,
        EVENTS.c.id.label("event_id"),
        EVENTS.c.type.label("event_type"),
        EVENTS.c.subject,
    )
    .join(SUBSCRIPTIONS, SUBSCRIPTIONS.c.id == DELIVERIES.c.subscription_id)
    .join(EVENTS, EVENTS.c.seq == DELIVERIES.c.event_seq)
    .where(DELIVERIES.c.status == FAILED)
    .order_by(DELIVERIES.c.created_at, DELIVERIES.c.id)
    .limit(bindparam("b_limit"))
    .offset(bindparam("b_offset"))
)
_SUMMARY = select(
    func.count().label("count"), func.min(DELIVERIES.c.created_at).label("oldest")
).where(DELIVERIES.c.status == FAILED)
# Deliveries of the last day by status (the index on created_at bounds the scan).
_RECENT_BY_STATUS = (
    select(DELIVERIES.c.status, func.count().label("count"))
    .where(DELIVERIES.c.created_at >= bindparam("b_since"))
    .group_by(DELIVERIES.c.status)
)
_PENDING = select(func.count()).where(DELIVERIES.c.status == "pending")


class Summary(NamedTuple):
    count: int
    oldest: datetime | None


class Health(NamedTuple):
    undispatched: int  # events no delivery has been queued for yet
    pending: int  # deliveries queued, not yet made (or waiting for a retry)
    recent: int  # deliveries queued in the last 24 h
    recent_failed: int  # of those, failed for good

    @property
    def failure_rate(self) -> float | None:
        return self.recent_failed / self.recent if self.recent else None


def failed(session: Session, *, limit: int, offset: int) -> list[Row]:
    """Failed deliveries, oldest first, with their event and webhook."""
    return list(session.execute(_FAILED, {"b_limit": limit, "b_offset": offset}))


def summary(session: Session) -> Summary:
    """How many deliveries failed, and since when the oldest waits."""
    row = session.execute(_SUMMARY).one()
    return Summary(row.count, row.oldest)


def health(session: Session, *, now: datetime) -> Health:
    """The outbox's backlog and the last day's deliveries (the dashboard)."""
    by_status = dict(
        session.execute(_RECENT_BY_STATUS, {"b_since": now - timedelta(hours=24)}).all()
    )
    return Health(
        undispatched=dispatch.undispatched(session),
        pending=session.execute(_PENDING).scalar_one(),
        recent=sum(by_status.values()),
        recent_failed=by_status.get(FAILED, 0),
    )
