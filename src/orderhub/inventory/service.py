"""Reading the inventory, and adding lines to it (Core statements built once)."""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Row, bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from orderhub.db import serialize_on
from orderhub.errors import NotFound
from orderhub.ids import utcnow
from orderhub.inventory.models import (
    AccountAccess,
    InventoryAccount,
    RatePlan,
    Subscriber,
    SubscriberEvent,
    SubscriberFeature,
)
from orderhub.webhooks import service as webhooks
from orderhub.webhooks.rules import OPERATIONS

ACCOUNTS = InventoryAccount.__table__
ACCESS = AccountAccess.__table__
PLANS = RatePlan.__table__
SUBSCRIBERS = Subscriber.__table__
LINE_FEATURES = SubscriberFeature.__table__
LINE_EVENTS = SubscriberEvent.__table__

_ACCOUNT_FOR_PARTNER = (
    select(ACCOUNTS)
    .join(ACCESS, ACCESS.c.account_number == ACCOUNTS.c.number)
    .where(
        ACCOUNTS.c.number == bindparam("b_number"), ACCESS.c.partner_id == bindparam("b_partner")
    )
)
_SUBSCRIBER_FOR_PARTNER = (
    select(SUBSCRIBERS, PLANS.c.name.label("rate_plan_name"))
    .join(ACCESS, ACCESS.c.account_number == SUBSCRIBERS.c.account_number)
    .join(PLANS, PLANS.c.id == SUBSCRIBERS.c.rate_plan_id, isouter=True)
    .where(SUBSCRIBERS.c.ctn == bindparam("b_ctn"), ACCESS.c.partner_id == bindparam("b_partner"))
)
_FEATURES_OF = (
    select(LINE_FEATURES)
    .where(LINE_FEATURES.c.ctn == bindparam("b_ctn"))
    .order_by(LINE_FEATURES.c.effective_at, LINE_FEATURES.c.id)
)
_HISTORY_OF = (
    select(LINE_EVENTS).where(LINE_EVENTS.c.ctn == bindparam("b_ctn")).order_by(LINE_EVENTS.c.id)
)
_ACCOUNT_EXISTS = select(ACCOUNTS.c.number).where(ACCOUNTS.c.number == bindparam("b_number"))
_INSERT_ACCOUNT = insert(ACCOUNTS)
_INSERT_EVENT = insert(LINE_EVENTS)
_INSERT_SUBSCRIBER = insert(SUBSCRIBERS)
_INSERT_FEATURE = insert(LINE_FEATURES)


class AccountNotFound(NotFound):
    code = "account_not_found"
    title = "Account not found"


class SubscriberNotFound(NotFound):
    code = "subscriber_not_found"
    title = "Subscriber not found"


@dataclass(frozen=True)
class NewLine:
    ctn: str
    account_number: str
    rate_plan_id: str
    status: str = "preActive"
    account_group_id: str | None = None
    bill_cycle_day: int = 1
    source_order_id: str | None = None


# The outbox event types of the inventory's products (lines and services).
CREATED = "inventory.product_created"
CHANGED = "inventory.product_changed"
STATE_CHANGED = "inventory.product_state_changed"
DELETED = "inventory.product_deleted"


def account_for_partner(session: Session, *, partner_id: str, number: str) -> Row:
    """The account if the partner may act on it; otherwise it does not exist (404)."""
    row = session.execute(
        _ACCOUNT_FOR_PARTNER, {"b_number": number, "b_partner": partner_id}
    ).first()
    if row is None:
        raise AccountNotFound(f"No account '{number}' was found.")
    return row


def subscribers_of(
    session: Session,
    *,
    account_number: str,
    status: str | None,
    limit: int,
    offset: int,
) -> list[Row]:
    stmt = (
        select(SUBSCRIBERS, PLANS.c.name.label("rate_plan_name"))
        .join(PLANS, PLANS.c.id == SUBSCRIBERS.c.rate_plan_id, isouter=True)
        .where(SUBSCRIBERS.c.account_number == account_number)
    )
    if status:
        stmt = stmt.where(SUBSCRIBERS.c.status == status)
    return list(session.execute(stmt.order_by(SUBSCRIBERS.c.ctn).limit(limit).offset(offset)))


def subscriber_for_partner(session: Session, *, partner_id: str, ctn: str) -> Row:
    row = session.execute(_SUBSCRIBER_FOR_PARTNER, {"b_ctn": ctn, "b_partner": partner_id}).first()
    if row is None:
        raise SubscriberNotFound(f"No subscriber '{ctn}' was found.")
    return row


def features_of(session: Session, *, ctn: str) -> list[Row]:
    return list(session.execute(_FEATURES_OF, {"b_ctn": ctn}))


def history_of(session: Session, *, ctn: str) -> list[Row]:
    return list(session.execute(_HISTORY_OF, {"b_ctn": ctn}))


def feature_status(feature: Row, now: datetime) -> str:
    """`active`, `scheduled` (starts later), `expired` (ended) or `removed`."""
    if feature.status != "active":
        return feature.status
    if feature.effective_at > now:
        return "scheduled"
    if feature.expires_at is not None and feature.expires_at <= now:
        return "expired"
    return "active"


def record_event(
    session: Session,
    *,
    ctn: str,
    type: str,
    actor: str,
    data: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> None:
    """One row of the line's history; `at` when it happened (default: now)."""
    session.execute(
        _INSERT_EVENT,
        {
            "ctn": ctn,
            "type": type,
            "actor": actor,
            "data": data or {},
            "created_at": at or utcnow(),
        },
    )


def add_lines(session: Session, *, lines: list[NewLine], actor: str, loaded: bool = False) -> None:
    """New lines (PreActive unless said otherwise), each with its first history event and
    its `inventory.product_created` event; `loaded`: lines loaded from a data file (the
    sandbox's, the benchmark's), which nothing created, so nobody hears of them."""
    if not lines:
        return
    now = utcnow()
    session.execute(
        _INSERT_SUBSCRIBER,
        [
            {
                "ctn": line.ctn,
                "account_number": line.account_number,
                "account_group_id": line.account_group_id,
                "status": line.status,
                "rate_plan_id": line.rate_plan_id,
                "bill_cycle_day": line.bill_cycle_day,
                "udl": [],
                "imei": None,
                "iccid": None,
                "network_block": False,
                "subscriber_contact": None,
                "billing_contact": None,
                "voicemail": {"pinSet": False},
                "source_order_id": line.source_order_id,
                "activated_on": now.date() if line.status == "active" else None,
                "created_at": now,
                "updated_at": now,
            }
            for line in lines
        ],
    )
    session.execute(
        _INSERT_EVENT,
        [
            {
                "ctn": line.ctn,
                "type": "subscriber.created",
                "actor": actor,
                "data": {"status": line.status, "ratePlan": line.rate_plan_id}
                | ({"orderId": line.source_order_id} if line.source_order_id else {}),
                "created_at": now,
            }
            for line in lines
        ],
    )
    if not loaded:
        announce(
            session,
            [
                (CREATED, line.ctn, {"status": line.status, "ratePlan": line.rate_plan_id})
                for line in lines
            ],
        )


def announce(session: Session, events: list[tuple[str, str, dict[str, Any]]]) -> None:
    """The outbox events of lines and services created, changed or removed (TMF637's
    product events, webhooks/tmf_events.py), for operations: accounts are shared by
    several partners, so no one partner owns a line's events."""
    webhooks.publish_many(session, owner=OPERATIONS, events=events)


def ensure_account(
    session: Session, *, number: str, kind: str, name: str, customer_id: str | None
) -> None:
    """The account row, created on first use (a consumer's first line creates it)."""
    # Two first orders of one customer submitted at once must not both insert it.
    serialize_on(session, f"inventory-account:{number}")
    if session.execute(_ACCOUNT_EXISTS, {"b_number": number}).first() is None:
        session.execute(
            _INSERT_ACCOUNT,
            {
                "number": number,
                "kind": kind,
                "name": name,
                "customer_id": customer_id,
                "created_at": utcnow(),
            },
        )


def next_bill_date(bill_cycle_day: int, today: date) -> date:
    """The next date the line's bill cycle starts (strictly after today). A cycle day
    past a month's end (31 in April) falls on that month's last day."""

    def cycle_start(year: int, month: int) -> date:
        return date(year, month, min(bill_cycle_day, monthrange(year, month)[1]))

    if cycle_start(today.year, today.month) > today:
        return cycle_start(today.year, today.month)
    year, month = (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)
    return cycle_start(year, month)


def grant_access(session: Session, *, account_number: str, partner_id: str) -> None:
    """Let a partner read and change the account's lines and services (idempotent)."""
    known = session.execute(
        select(ACCESS.c.partner_id).where(
            ACCESS.c.account_number == account_number, ACCESS.c.partner_id == partner_id
        )
    ).first()
    if known is None:
        session.execute(
            insert(ACCESS), {"account_number": account_number, "partner_id": partner_id}
        )


def activate_lines(session: Session, *, order_id: str, actor: str) -> list[str]:
    """Fulfilment done: the order's PreActive lines become active (with a history event
    each); returns their CTNs."""
    now = utcnow()
    ctns = list(
        session.execute(
            update(SUBSCRIBERS)
            .where(SUBSCRIBERS.c.source_order_id == order_id, SUBSCRIBERS.c.status == "preActive")
            .values(status="active", activated_on=now.date(), updated_at=now)
            .returning(SUBSCRIBERS.c.ctn)
        ).scalars()
    )
    if ctns:
        session.execute(
            _INSERT_EVENT,
            [
                {
                    "ctn": ctn,
                    "type": "subscriber.activated",
                    "actor": actor,
                    "data": {"orderId": order_id},
                    "created_at": now,
                }
                for ctn in ctns
            ],
        )
        announce(
            session,
            [
                (STATE_CHANGED, ctn, {"status": "active", "previousStatus": "preActive"})
                for ctn in ctns
            ],
        )
    return ctns


def remove_preactive_lines(session: Session, *, order_id: str) -> int:
    """Delete the PreActive lines an order created (its cancellation means they never
    existed), with their features and history; returns how many."""
    ctns = select(SUBSCRIBERS.c.ctn).where(
        SUBSCRIBERS.c.source_order_id == order_id, SUBSCRIBERS.c.status == "preActive"
    )
    session.execute(delete(LINE_FEATURES).where(LINE_FEATURES.c.ctn.in_(ctns)))
    session.execute(delete(LINE_EVENTS).where(LINE_EVENTS.c.ctn.in_(ctns)))
    removed = list(
        session.execute(
            delete(SUBSCRIBERS)
            .where(SUBSCRIBERS.c.source_order_id == order_id, SUBSCRIBERS.c.status == "preActive")
            .returning(SUBSCRIBERS.c.ctn)
        ).scalars()
    )
    announce(session, [(DELETED, ctn, {}) for ctn in removed])
    return len(removed)
