"""The outbox events one order published and how each was delivered, for its page in the
operations console (read-only; publishing is webhooks/service.py's).

Which events are the order's: every channel publishes the order's own events with the
order id as `subject` (`ledger.*`, `order.status_changed`, `care_order.*`, `tmf.*`); a
care change's events have the change as subject, and a TMF cancellation request's the
request. Those parts are named by the order's history (`subject_id`, and the
`cancelRequestId` of an `order.cancellation_requested` row) and, for care changes, by
their table; every subject is then read through `ix_outbox_events_subject`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Row, bindparam, select
from sqlalchemy.orm import Session

from orderhub.careorders.models import CareChange
from orderhub.webhooks.models import OutboxEvent, WebhookDelivery, WebhookSubscription

EVENTS = OutboxEvent.__table__
DELIVERIES = WebhookDelivery.__table__
SUBSCRIPTIONS = WebhookSubscription.__table__
CARE_CHANGES = CareChange.__table__
# An order's page shows at most this many of its events (a long-lived partner order with
# many sub-orders has dozens; more is a sign of a loop, and the first ones still show).
LIMIT = 500

_CHANGES_OF = select(CARE_CHANGES.c.id).where(CARE_CHANGES.c.care_order_id == bindparam("b_id"))
_EVENTS_OF = (
    select(
        EVENTS.c.seq,
        EVENTS.c.id,
        EVENTS.c.owner,
        EVENTS.c.type,
        EVENTS.c.subject,
        EVENTS.c.data,
        EVENTS.c.created_at,
    )
    .where(EVENTS.c.subject.in_(bindparam("b_subjects", expanding=True)))
    .order_by(EVENTS.c.seq)
    .limit(LIMIT)
)
_DELIVERIES_OF = (
    select(
        DELIVERIES.c.event_seq,
        DELIVERIES.c.id,
        DELIVERIES.c.subscription_id,
        DELIVERIES.c.status,
        DELIVERIES.c.attempts,
        DELIVERIES.c.last_status_code,
        DELIVERIES.c.last_error,
        DELIVERIES.c.next_attempt_at,
        DELIVERIES.c.delivered_at,
        DELIVERIES.c.redelivered_by,
        DELIVERIES.c.redelivered_at,
        SUBSCRIPTIONS.c.owner,
    )
    .join(SUBSCRIPTIONS, SUBSCRIPTIONS.c.id == DELIVERIES.c.subscription_id)
    .where(DELIVERIES.c.event_seq.in_(bindparam("b_seqs", expanding=True)))
    .order_by(DELIVERIES.c.event_seq, DELIVERIES.c.created_at)
)


@dataclass(frozen=True)
class Delivery:
    """One event to one subscription."""

    id: str
    subscription_id: str
    subscriber: str  # the subscription's owner: a partner, or `operations`
    status: str  # pending | delivered | failed
    attempts: int
    last_status_code: int | None
    last_error: str | None
    next_attempt_at: datetime | None
    delivered_at: datetime | None
    redelivered_by: str | None = None  # the agent who queued it again after it failed
    redelivered_at: datetime | None = None


@dataclass(frozen=True)
class PublishedEvent:
    seq: int
    id: str
    owner: str
    type: str
    subject: str
    data: dict[str, Any]
    created_at: datetime
    deliveries: list[Delivery] = field(default_factory=list)


def subjects_of(session: Session, *, order_id: str, history: Iterable[Row]) -> list[str]:
    """The order and its parts that events may be about: sub-orders, services, changes
    and cancellation requests its history names, and its care changes."""
    found = {order_id}
    for event in history:
        if event.subject_id:
            found.add(event.subject_id)
        request = (event.data or {}).get("cancelRequestId")
        if isinstance(request, str):
            found.add(request)
    found.update(session.execute(_CHANGES_OF, {"b_id": order_id}).scalars())
    return sorted(found)


def published(session: Session, *, order_id: str, history: Iterable[Row]) -> list[PublishedEvent]:
    """The order's outbox events, oldest first, each with its deliveries (three indexed
    reads, whatever the number of events)."""
    subjects = subjects_of(session, order_id=order_id, history=history)
    events = [
        PublishedEvent(r.seq, r.id, r.owner, r.type, r.subject, r.data or {}, r.created_at, [])
        for r in session.execute(_EVENTS_OF, {"b_subjects": subjects})
    ]
    if not events:
        return []
    by_seq = {e.seq: e for e in events}
    for r in session.execute(_DELIVERIES_OF, {"b_seqs": list(by_seq)}):
        by_seq[r.event_seq].deliveries.append(
            Delivery(
                r.id,
                r.subscription_id,
                r.owner,
                r.status,
                r.attempts,
                r.last_status_code,
                r.last_error,
                r.next_attempt_at,
                r.delivered_at,
                r.redelivered_by,
                r.redelivered_at,
            )
        )
    return events
