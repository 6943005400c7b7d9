"""Queueing deliveries: the dispatcher follows the global stream (stream.py) past its
cursor and queues one delivery per subscription that wants each event, the owner's and
operations' (rules.recipients).

Publishing is then one INSERT, whoever the owner, and a delivery is queued only where a
subscription exists. The dispatcher runs in the delivery worker's cycle (worker.py), in
every process that delivers: its claim of the cursor row skips a cursor another
dispatcher holds (PostgreSQL; SQLite's writers take turns), so each event is dispatched
once, in a transaction that queues its deliveries and moves the cursor together.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from orderhub.ids import new_id
from orderhub.webhooks import rules, stream
from orderhub.webhooks.models import OutboxCursor, WebhookDelivery, WebhookSubscription

CURSORS = OutboxCursor.__table__
DELIVERIES = WebhookDelivery.__table__
SUBSCRIPTIONS = WebhookSubscription.__table__
EVENTS = stream.EVENTS
CURSOR = "deliveries"
BATCH = 500

# The dispatcher's position as two scalars (so a comparison with it is an index range):
# events up to it have had their deliveries queued.
_AT_CURSOR = CURSORS.c.name == CURSOR
POSITION = (
    select(CURSORS.c.txid).where(_AT_CURSOR).scalar_subquery(),
    select(CURSORS.c.seq).where(_AT_CURSOR).scalar_subquery(),
)

_CLAIM = (
    select(CURSORS.c.txid, CURSORS.c.seq)
    .where(CURSORS.c.name == CURSOR)
    .with_for_update(skip_locked=True)
)
_HOLD = select(CURSORS.c.name).where(CURSORS.c.name == CURSOR).with_for_update()
_SUBSCRIBERS = select(
    SUBSCRIPTIONS.c.id,
    SUBSCRIPTIONS.c.owner,
    SUBSCRIPTIONS.c.event_types,
    SUBSCRIPTIONS.c.created_at,
    SUBSCRIPTIONS.c.api,
).where(
    SUBSCRIPTIONS.c.active.is_(True),
    SUBSCRIPTIONS.c.owner.in_(bindparam("b_owners", expanding=True)),
)
_INSERT_DELIVERIES = insert(DELIVERIES)
_ADVANCE = (
    update(CURSORS)
    .where(CURSORS.c.name == CURSOR)
    .values(txid=bindparam("b_txid"), seq=bindparam("b_seq"), updated_at=bindparam("b_now"))
)


def _waiting(dialect: str) -> Any:
    """Whether any event past the dispatcher's cursor can be dispatched now. The next
    event in stream order (not EXISTS, whose plan PostgreSQL may turn into a scan of the
    whole outbox), after the cursor's position read as two scalars (so the comparison
    is an index range)."""
    following = (
        select(EVENTS.c.seq)
        .where(stream.past(dialect, *POSITION), *stream.settled(dialect))
        .order_by(*stream.in_order(dialect))
        .limit(1)
        .scalar_subquery()
    )
    return following.is_not(None)


WAITING = {dialect: _waiting(dialect) for dialect in stream.DIALECTS}


def _undispatched(dialect: str) -> Any:
    """How many events are past the dispatcher's cursor (settled or not): a backlog that
    only grows when no worker runs, or one cannot keep up."""
    return select(func.count()).select_from(EVENTS).where(stream.past(dialect, *POSITION))


_UNDISPATCHED = {dialect: _undispatched(dialect) for dialect in stream.DIALECTS}


def undispatched(session: Session) -> int:
    """Events no delivery has been queued for yet (/metrics)."""
    return session.execute(_UNDISPATCHED[session.get_bind().dialect.name]).scalar_one()


class Dispatched(NamedTuple):
    events: int
    deliveries: int


NOTHING = Dispatched(0, 0)


def dispatch(session: Session, *, now: datetime, limit: int = BATCH) -> Dispatched:
    """Queue the deliveries of the next events past the cursor and move it past them;
    how many events were handled and deliveries queued (none when no event is waiting
    or another dispatcher is at work)."""
    cursor = session.execute(_CLAIM).first()
    if cursor is None:
        return NOTHING  # another dispatcher holds it: its transaction handles the events
    events = stream.read(session, after=stream.Position(cursor.txid, cursor.seq), limit=limit)
    if not events:
        return NOTHING
    owners = sorted({e.owner for e in events} | {rules.OPERATIONS})
    subscriptions = session.execute(_SUBSCRIBERS, {"b_owners": owners}).all()
    deliveries = [
        {
            "id": new_id("dlv"),
            "event_seq": event.seq,
            "subscription_id": subscription_id,
            "status": "pending",
            "attempts": 0,
            "next_attempt_at": now,
            "last_status_code": None,
            "last_error": None,
            "delivered_at": None,
            "created_at": now,
        }
        for event in events
        for subscription_id in rules.recipients(
            owner=event.owner,
            type=event.type,
            data=event.data,
            published_at=event.created_at,
            subscriptions=subscriptions,
        )
    ]
    if deliveries:
        session.execute(_INSERT_DELIVERIES, deliveries)
    last = events[-1]
    session.execute(_ADVANCE, {"b_txid": last.txid, "b_seq": last.seq, "b_now": now})
    return Dispatched(len(events), len(deliveries))


def hold(session: Session) -> None:
    """Wait for a dispatch at work to commit, and keep the next one out until this
    transaction ends: no delivery is queued meanwhile to a subscription being removed."""
    session.execute(_HOLD)
