"""Publishing events to the outbox, reading them back, and managing webhook subscriptions
(a partner's, or operations', owner `operations`).

`publish` runs in the transaction of the change it reports, so an event exists exactly
when its change does. It is one INSERT (a partner's also takes the partner's turn, for
polling by `seq`); deliveries are queued from the outbox by the dispatcher
(webhooks/dispatch.py) and made by the worker (webhooks/worker.py).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, bindparam, delete, func, insert, select, text, update
from sqlalchemy.orm import Session

from orderhub.db import serialize_on
from orderhub.errors import Conflict, FieldProblem, NotFound, ValidationFailed
from orderhub.ids import new_id, utcnow
from orderhub.webhooks import dispatch, rules, stream
from orderhub.webhooks.models import OutboxEvent, WebhookDelivery, WebhookSubscription

log = logging.getLogger(__name__)
EVENTS = OutboxEvent.__table__
SUBSCRIPTIONS = WebhookSubscription.__table__
DELIVERIES = WebhookDelivery.__table__

_INSERT_EVENT = insert(EVENTS)
# PostgreSQL: the partner's turn (an advisory lock) taken by the statement that inserts
# its event, from a one-row subquery evaluated before the row's `seq` is drawn.
_INSERT_EVENT_TAKING_TURN = text(
    "INSERT INTO outbox_events (id, owner, type, subject, data, created_at) "
    "SELECT :id, :owner, :type, :subject, CAST(:data AS JSON), :created_at "
    "FROM (SELECT pg_advisory_xact_lock(hashtextextended(:turn, 0))) AS turn"
).bindparams(
    bindparam("data", type_=EVENTS.c.data.type),
    bindparam("created_at", type_=EVENTS.c.created_at.type),
)
_EVENTS_AFTER = (
    select(EVENTS)
    .where(EVENTS.c.owner == bindparam("b_owner"), EVENTS.c.seq > bindparam("after"))
    .order_by(EVENTS.c.seq)
    .limit(bindparam("limit"))
)
# OrderHub webhooks are the subscriptions without an `api`; TM Forum hub listeners are
# managed through their API's `/hub` only (`listen`, `stop_listening`).
_SUBSCRIPTION = select(SUBSCRIPTIONS).where(
    SUBSCRIPTIONS.c.id == bindparam("b_id"),
    SUBSCRIPTIONS.c.owner == bindparam("b_owner"),
    SUBSCRIPTIONS.c.api.is_(None),
)
_LISTENER = select(SUBSCRIPTIONS.c.id, SUBSCRIPTIONS.c.owner).where(
    SUBSCRIPTIONS.c.id == bindparam("b_id"), SUBSCRIPTIONS.c.api == bindparam("b_api")
)
_LISTENERS_OF = select(func.count()).where(
    SUBSCRIPTIONS.c.owner == bindparam("b_owner"), SUBSCRIPTIONS.c.api == bindparam("b_api")
)
# Each delivers every event it wants: a bound keeps one owner from multiplying the work.
MAX_LISTENERS = 20
_SUBSCRIPTIONS_OF = (
    select(SUBSCRIPTIONS)
    .where(SUBSCRIPTIONS.c.owner == bindparam("b_owner"), SUBSCRIPTIONS.c.api.is_(None))
    .order_by(SUBSCRIPTIONS.c.created_at, SUBSCRIPTIONS.c.id)
)
_DELIVERIES_OF = (
    select(DELIVERIES, EVENTS.c.id.label("event_id"), EVENTS.c.type.label("event_type"))
    .join(EVENTS, EVENTS.c.seq == DELIVERIES.c.event_seq)
    .where(DELIVERIES.c.subscription_id == bindparam("b_id"))
    .order_by(DELIVERIES.c.created_at.desc(), DELIVERIES.c.id)
    .limit(bindparam("limit"))
)

# One failed delivery queued again: only while it is still failed, so two agents pressing
# redeliver at once queue it once.
_REDELIVER = (
    update(DELIVERIES)
    .where(DELIVERIES.c.id == bindparam("b_id"), DELIVERIES.c.status == "failed")
    .values(
        status="pending",
        attempts=0,
        next_attempt_at=bindparam("b_now"),
        last_error=None,
        redelivered_by=bindparam("b_actor"),
        redelivered_at=bindparam("b_now"),
    )
)
_DELIVERY = (
    select(DELIVERIES.c.id, DELIVERIES.c.status, SUBSCRIPTIONS.c.active, SUBSCRIPTIONS.c.owner)
    .join(SUBSCRIPTIONS, SUBSCRIPTIONS.c.id == DELIVERIES.c.subscription_id)
    .where(DELIVERIES.c.id == bindparam("b_id"))
)

_DELETE_DELIVERIES = delete(DELIVERIES).where(DELIVERIES.c.subscription_id == bindparam("b_id"))
_DELETE_SUBSCRIPTION = delete(SUBSCRIPTIONS).where(SUBSCRIPTIONS.c.id == bindparam("b_id"))
# session.info key: the turns held, by the (nested) transaction that took each.
_TURNS = "outbox_turns"


class SubscriptionNotFound(NotFound):
    code = "webhook_not_found"
    title = "Webhook not found"


class DeliveryNotFound(NotFound):
    code = "delivery_not_found"
    title = "Webhook delivery not found"


class DeliveryNotFailed(Conflict):
    code = "delivery_not_failed"
    title = "Delivery is not failed"


class ListenerNotFound(NotFound):
    code = "listener_not_found"
    title = "Hub listener not found"


@dataclass(frozen=True)
class NewSubscription:
    subscription: Row
    secret: str  # shown to the partner once, at creation or rotation


def publish(session: Session, *, owner: str, type: str, subject: str, data: dict[str, Any]) -> str:
    """Record an event for `owner`; returns the event id. Its deliveries are queued by the
    dispatcher once the transaction has committed."""
    event_id = new_id("evt")
    values = {
        "id": event_id,
        "owner": owner,
        "type": type,
        "subject": subject,
        "data": data,
        "created_at": utcnow(),
    }
    needs_turn = rules.ordered_per_owner(owner) and owner not in _turns_held(session)
    statement = _INSERT_EVENT
    if needs_turn:
        if session.get_bind().dialect.name == "postgresql":
            # The turn and the event in one round trip (the lock is taken before `seq`).
            statement, values = _INSERT_EVENT_TAKING_TURN, values | {"turn": _turn_key(owner)}
        else:
            serialize_on(session, _turn_key(owner))  # SQLite: a no-op, writers take turns
    session.execute(statement, values)
    if needs_turn:
        _hold_turn(session, owner)  # once the statement that took it has succeeded
    return event_id


def publish_many(
    session: Session, *, owner: str, events: list[tuple[str, str, dict[str, Any]]]
) -> None:
    """Record several `(type, subject, data)` events of an owner that takes no turns
    (not a partner: see `publish`) in one statement."""
    if not events:
        return
    assert not rules.ordered_per_owner(owner), "a partner's events are published one by one"
    now = utcnow()
    session.execute(
        _INSERT_EVENT,
        [
            {
                "id": new_id("evt"),
                "owner": owner,
                "type": type,
                "subject": subject,
                "data": data,
                "created_at": now,
            }
            for type, subject, data in events
        ],
    )


def take_turns(session: Session, owners: Iterable[str]) -> None:
    """Take the turns of owners this transaction will publish for, all at once and in one
    order: taken one by one as events are published, two transactions publishing for the
    same owners in different orders could deadlock. Take them outside any savepoint the
    publishing happens in (a savepoint rolled back releases the turns taken inside it)."""
    held = _turns_held(session)
    for owner in sorted(set(owners) - held):
        if rules.ordered_per_owner(owner):
            serialize_on(session, _turn_key(owner))
            _hold_turn(session, owner)


def _turn_key(owner: str) -> str:
    """One publisher per partner at a time, so the partner's events commit in `seq` order
    and a poller that has read up to a cursor never misses an earlier event committed
    late."""
    return f"outbox:{owner}"


# A turn is an advisory lock: held until the transaction ends, but released if the
# savepoint it was taken in rolls back. So each turn is noted against the (nested)
# transaction that took it, and counts as held only while that one is still on the
# current chain: a publish after a rolled-back savepoint takes the turn again.
def _chain(session: Session) -> list[Any]:
    transaction = session.get_nested_transaction() or session.get_transaction()
    chain = []
    while transaction is not None:
        chain.append(transaction)
        transaction = transaction.parent
    return chain


def _turns_held(session: Session) -> set[str]:
    """The owners whose turn this transaction (at its current savepoint) holds."""
    taken: dict[Any, set[str]] = session.info.get(_TURNS, {})
    held: set[str] = set()
    for transaction in _chain(session):
        held |= taken.get(transaction, set())
    return held


def _hold_turn(session: Session, owner: str) -> None:
    chain = _chain(session)
    root = chain[-1]
    # Only this top-level transaction's notes are kept: the last one's turns ended with it.
    taken = {
        transaction: owners
        for transaction, owners in session.info.get(_TURNS, {}).items()
        if _root(transaction) is root
    }
    taken.setdefault(chain[0], set()).add(owner)
    session.info[_TURNS] = taken


def _root(transaction: Any) -> Any:
    while transaction.parent is not None:
        transaction = transaction.parent
    return transaction


def events_after(session: Session, *, owner: str, after: int, limit: int) -> list[Row]:
    """The owner's events with `seq` above `after`, oldest first (a partner's polling)."""
    return list(session.execute(_EVENTS_AFTER, {"b_owner": owner, "after": after, "limit": limit}))


def all_events_after(session: Session, *, after: stream.Position, limit: int) -> list[Row]:
    """Every owner's events after a stream position, in stream order (operations' polling)."""
    return stream.read(session, after=after, limit=limit)


def subscribe(
    session: Session,
    *,
    owner: str,
    url: str,
    event_types: list[str],
    key: bytes,
    allow_http: bool,
) -> NewSubscription:
    problems = _problems(url, event_types, allow_http)
    if problems:
        raise ValidationFailed("The webhook is not valid.", errors=problems)
    now = utcnow()
    subscription_id = new_id("whk")
    row = session.execute(
        insert(SUBSCRIPTIONS).returning(*SUBSCRIPTIONS.c),
        {
            "id": subscription_id,
            "owner": owner,
            "url": url,
            "event_types": sorted(set(event_types)),
            "active": True,
            "secret_version": 1,
            "created_at": now,
            "updated_at": now,
        },
    ).one()
    return NewSubscription(row, rules.signing_secret(key, subscription_id, 1))


def listen(
    session: Session,
    *,
    owner: str,
    api: str,
    callback: str,
    query: str | None,
    event_types: list[str],
    base_url: str,
    key: bytes,
    allow_http: bool,
) -> NewSubscription:
    """Register a TM Forum hub listener: a subscription to the engine events in
    `event_types`, delivered in TMF's envelope (worker.py, tmf_events.py)."""
    if reason := rules.url_problem(callback, allow_http=allow_http):
        raise ValidationFailed.one("callback", "callback_url", f"The callback {reason}.")
    # One at a time per owner, so two registrations cannot both pass the count.
    serialize_on(session, f"listeners:{owner}")
    held = session.execute(_LISTENERS_OF, {"b_owner": owner, "b_api": api}).scalar_one()
    if held >= MAX_LISTENERS:
        raise Conflict(
            f"An owner keeps at most {MAX_LISTENERS} listeners on one API; delete one first.",
            code="too_many_listeners",
            title="Too many listeners",
            extra={"maxListeners": MAX_LISTENERS},
        )
    now = utcnow()
    listener_id = new_id("hub")
    row = session.execute(
        insert(SUBSCRIPTIONS).returning(*SUBSCRIPTIONS.c),
        {
            "id": listener_id,
            "owner": owner,
            "url": callback,
            "event_types": event_types,
            "active": True,
            "secret_version": 1,
            "created_at": now,
            "updated_at": now,
            "api": api,
            "query": query,
            "base_url": base_url,
        },
    ).one()
    return NewSubscription(row, rules.signing_secret(key, listener_id, 1))


def stop_listening(session: Session, *, owner: str | None, api: str, listener_id: str) -> None:
    """Remove the owner's listener on `api` (None: anybody's, for operations) and its
    deliveries (see `remove`)."""
    dispatch.hold(session)
    found = session.execute(_LISTENER, {"b_id": listener_id, "b_api": api}).first()
    if found is None or (owner is not None and found.owner != owner):
        raise ListenerNotFound(f"No hub listener '{listener_id}' was found.")
    session.execute(_DELETE_DELIVERIES, {"b_id": listener_id})
    session.execute(_DELETE_SUBSCRIPTION, {"b_id": listener_id})


def current_secret(subscription: Row, *, key: bytes) -> str:
    return rules.signing_secret(key, subscription.id, subscription.secret_version)


def find(session: Session, *, owner: str, subscription_id: str) -> Row | None:
    """The owner's subscription, or None (anybody else's does not exist)."""
    return session.execute(_SUBSCRIPTION, {"b_id": subscription_id, "b_owner": owner}).first()


def get(session: Session, *, owner: str, subscription_id: str) -> Row:
    """The owner's subscription; anybody else's does not exist (404)."""
    row = find(session, owner=owner, subscription_id=subscription_id)
    if row is None:
        raise SubscriptionNotFound(f"No webhook '{subscription_id}' was found.")
    return row


def list_for(session: Session, *, owner: str) -> list[Row]:
    return list(session.execute(_SUBSCRIPTIONS_OF, {"b_owner": owner}))


def deliveries_of(session: Session, *, owner: str, subscription_id: str, limit: int) -> list[Row]:
    get(session, owner=owner, subscription_id=subscription_id)
    return list(session.execute(_DELIVERIES_OF, {"b_id": subscription_id, "limit": limit}))


def remove(session: Session, *, owner: str, subscription_id: str) -> Row:
    """Delete the subscription and every delivery to it; returns the deleted row.

    Deliveries not made yet are dropped (nothing more is sent); delivered and failed ones
    go too, as their foreign key requires: they are the log of a webhook that no longer
    exists, and the events themselves stay in the outbox for polling. A worker posting
    one of them meanwhile finds its row gone and records nothing."""
    # With the dispatcher held off, so no delivery to the subscription is queued between
    # these deletes (on PostgreSQL that insert would fail its foreign key).
    dispatch.hold(session)
    row = get(session, owner=owner, subscription_id=subscription_id)
    session.execute(_DELETE_DELIVERIES, {"b_id": subscription_id})
    session.execute(_DELETE_SUBSCRIPTION, {"b_id": subscription_id})
    return row


def rotate_secret(
    session: Session, *, owner: str, subscription_id: str, key: bytes
) -> NewSubscription:
    """A new signing secret; the old one stops working at once."""
    get(session, owner=owner, subscription_id=subscription_id)
    row = session.execute(
        update(SUBSCRIPTIONS)
        .where(SUBSCRIPTIONS.c.id == subscription_id)
        .values(secret_version=SUBSCRIPTIONS.c.secret_version + 1, updated_at=utcnow())
        .returning(*SUBSCRIPTIONS.c)
    ).one()
    return NewSubscription(row, rules.signing_secret(key, subscription_id, row.secret_version))


def redeliver_failed(session: Session, *, owner: str, subscription_id: str) -> int:
    """Queue the subscription's failed deliveries again (after the receiver is fixed)."""
    if not get(session, owner=owner, subscription_id=subscription_id).active:
        return 0
    return session.execute(
        update(DELIVERIES)
        .where(DELIVERIES.c.subscription_id == subscription_id, DELIVERIES.c.status == "failed")
        .values(status="pending", attempts=0, next_attempt_at=utcnow(), last_error=None)
    ).rowcount


def redeliver(session: Session, *, delivery_id: str, actor: str) -> Row:
    """Queue one failed delivery again (operations, after the receiver is fixed), recording
    who did on the delivery; 409 when it is no longer failed (another agent queued it, or
    it was delivered)."""
    found = session.execute(_DELIVERY, {"b_id": delivery_id}).first()
    if found is None:
        raise DeliveryNotFound(f"No webhook delivery '{delivery_id}' was found.")
    if not found.active:
        raise DeliveryNotFailed(
            f"Delivery '{delivery_id}' is not redelivered: its webhook is paused.",
            extra={"currentStatus": found.status},
        )
    queued = session.execute(
        _REDELIVER, {"b_id": delivery_id, "b_now": utcnow(), "b_actor": actor[:100]}
    )
    if queued.rowcount != 1:
        current = session.execute(_DELIVERY, {"b_id": delivery_id}).first()
        status = current.status if current is not None else "gone"
        raise DeliveryNotFailed(
            f"Delivery '{delivery_id}' is {status} now, not failed: someone already "
            "queued it again, or it was delivered.",
            extra={"currentStatus": status},
        )
    log.info(
        "webhook delivery %s queued again by %s (webhook owner %s)",
        delivery_id,
        actor,
        found.owner,
        extra={"fields": {"deliveryId": delivery_id, "actor": actor}},
    )
    return found


def _problems(url: str, event_types: list[str], allow_http: bool) -> list[FieldProblem]:
    problems = []
    if reason := rules.url_problem(url, allow_http=allow_http):
        problems.append(FieldProblem("url", "callback_url", f"The URL {reason}."))
    if not event_types:
        problems.append(FieldProblem("eventTypes", "min_items", "Give at least one event type."))
    for index, pattern in enumerate(event_types):
        if not rules.EVENT_PATTERN.match(pattern):
            problems.append(
                FieldProblem(
                    f"eventTypes.{index}",
                    "event_type_pattern",
                    "Use an event type such as 'order.status_changed', a family 'order.*' or '*'.",
                )
            )
    return problems
