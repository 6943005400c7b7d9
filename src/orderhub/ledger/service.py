"""Writing the ledger: every channel opens its orders here and moves their status here, in
the transaction of its own change, and records their history here.

The consumer channel's order *is* its ledger row (orders.service writes it with the
ledger's columns in its own prebuilt statements); the other channels call `open_order`
when they create an order and `move` whenever its status changes.

Each opening and each status move also publishes one event to the outbox, owned by the
order's owner: `ledger.order_opened`, then `ledger.status_changed` for every move of the
channel's status (the common state moves with it or not: `state` and `previousState`
say). The consumer channel publishes them from its own statements (`announce_opened`,
`announce_move`).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Row, bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from orderhub.ids import iso_z, utcnow
from orderhub.ledger.models import Order, OrderEvent, OrderReference
from orderhub.ledger.states import STATES, OrderState, common_state
from orderhub.webhooks import service as webhooks

ORDERS = Order.__table__
REFERENCES = OrderReference.__table__
EVENTS = OrderEvent.__table__

_INSERT_ORDER = insert(ORDERS)
_INSERT_REFERENCES = insert(REFERENCES)
_MOVE = (
    update(ORDERS)
    .where(ORDERS.c.id == bindparam("b_id"))
    .values(
        status=bindparam("b_status"),
        state=bindparam("b_state"),
        updated_at=bindparam("b_now"),
        completed_at=bindparam("b_completed"),
        submitted_at=func.coalesce(ORDERS.c.submitted_at, bindparam("b_submitted")),
    )
    # Whose order it is, for its event, at no extra statement.
    .returning(ORDERS.c.owner)
)
OPENED = "ledger.order_opened"
STATUS_CHANGED = "ledger.status_changed"
_INSERT_EVENT = insert(EVENTS)
_HISTORY = select(EVENTS).where(EVENTS.c.order_id == bindparam("b_id")).order_by(EVENTS.c.id)


def open_order(
    session: Session,
    *,
    order_id: str,
    channel: str,
    owner: str,
    party_kind: str,
    party_id: str,
    status: str,
    at: datetime,
    monthly_cents: int = 0,
    one_time_cents: int = 0,
    currency: str = "USD",
    refs: dict[str, str] | None = None,
    requested_date: date | None = None,
) -> None:
    """The ledger row of a new order of `channel` (not the consumer channel's: its order
    is written by orders.service), with its references indexed for search."""
    found = {kind: str(value) for kind, value in (refs or {}).items() if value}
    session.execute(
        _INSERT_ORDER,
        {
            "id": order_id,
            "channel": channel,
            "owner": owner,
            "party_kind": party_kind,
            "party_id": party_id,
            "customer_id": None,
            "status": status,
            "state": common_state(channel, status),
            "currency": currency,
            "monthly_cents": monthly_cents,
            "one_time_cents": one_time_cents,
            "requested_date": requested_date,
            "created_at": at,
            "updated_at": at,
            "submitted_at": None,
            "completed_at": None,
        },
    )
    index_references(session, order_id=order_id, refs=found)
    announce_opened(session, order_id=order_id, channel=channel, owner=owner, status=status, at=at)


def index_references(session: Session, *, order_id: str, refs: dict[str, str]) -> None:
    """Make references findable by the operator's search (one statement for them all)."""
    rows = [{"order_id": order_id, "kind": k, "value": v} for k, v in refs.items() if v]
    if rows:
        session.execute(_INSERT_REFERENCES, rows)


def move(
    session: Session,
    *,
    order_id: str,
    channel: str,
    status: str,
    previous: str,
    at: datetime,
    submitted: bool = False,
) -> OrderState:
    """Set an order's status and its common state (checked against the common state table),
    `completed_at` once the state is final, `submitted_at` the first time it is
    `submitted`."""
    state = common_state(channel, status)
    before = common_state(channel, previous)
    if state != before:
        STATES.check(before, state)
    owner = session.execute(
        _MOVE,
        {
            "b_id": order_id,
            "b_status": status,
            "b_state": state,
            "b_now": at,
            "b_completed": at if STATES.is_final(state) else None,
            "b_submitted": at if submitted else None,
        },
    ).scalar_one()
    announce_move(
        session,
        order_id=order_id,
        channel=channel,
        owner=owner,
        status=status,
        previous=previous,
        at=at,
    )
    return state


def announce_opened(
    session: Session, *, order_id: str, channel: str, owner: str, status: str, at: datetime
) -> None:
    """The outbox event of a new ledger row (`ledger.order_opened`), for its owner."""
    webhooks.publish(
        session,
        owner=owner,
        type=OPENED,
        subject=order_id,
        data={
            "orderId": order_id,
            "channel": str(channel),
            "state": str(common_state(channel, status)),
            "status": str(status),
            "openedAt": iso_z(at),
        },
    )


def announce_move(
    session: Session,
    *,
    order_id: str,
    channel: str,
    owner: str,
    status: str,
    previous: str,
    at: datetime,
) -> None:
    """The outbox event of a status move (`ledger.status_changed`), for the order's owner."""
    webhooks.publish(
        session,
        owner=owner,
        type=STATUS_CHANGED,
        subject=order_id,
        data={
            "orderId": order_id,
            "channel": str(channel),
            "state": str(common_state(channel, status)),
            "previousState": str(common_state(channel, previous)),
            "status": str(status),
            "previousStatus": str(previous),
            "changedAt": iso_z(at),
        },
    )


def record(
    session: Session,
    *,
    order_id: str,
    type: str,
    actor: str,
    at: datetime | None = None,
    subject_id: str | None = None,
    from_status: str | None = None,
    to_status: str | None = None,
    data: dict[str, Any] | None = None,
) -> None:
    """One history row of an order: who did what, when, from and to which status."""
    record_many(
        session,
        [
            {
                "order_id": order_id,
                "type": type,
                "actor": actor,
                "subject_id": subject_id,
                "from_status": from_status,
                "to_status": to_status,
                "data": data or {},
                "created_at": at or utcnow(),
            }
        ],
    )


def record_many(session: Session, events: list[dict[str, Any]]) -> None:
    """Several history rows in one statement (keys as in `record`, `created_at` for `at`)."""
    if events:
        session.execute(
            _INSERT_EVENT,
            [
                {
                    "subject_id": None,
                    "from_status": None,
                    "to_status": None,
                    "data": {},
                    **event,
                }
                for event in events
            ],
        )


def history(session: Session, *, order_id: str) -> list[Row]:
    return list(session.execute(_HISTORY, {"b_id": order_id}))
