"""Onboarding orders: starting one, reading it, its steps' state and event history."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row, bindparam, insert, select, update
from sqlalchemy.orm import Session

from orderhub.errors import NotFound
from orderhub.ids import new_id, utcnow
from orderhub.onboarding.models import OnboardingEvent, OnboardingOrder, SqResult
from orderhub.onboarding.states import OrderStatus

ORDERS = OnboardingOrder.__table__
EVENTS = OnboardingEvent.__table__
SQ = SqResult.__table__

_OWN = (ORDERS.c.id == bindparam("b_id"), ORDERS.c.partner_id == bindparam("b_partner"))
_GET = select(ORDERS).where(*_OWN)
# Every change to an order starts by claiming it: the row lock (PostgreSQL) makes two
# changes of one order, such as two package selections, run one after the other.
_CLAIM = update(ORDERS).where(*_OWN).values(updated_at=bindparam("b_now")).returning(*ORDERS.c)
_SET_STATUS = (
    update(ORDERS)
    .where(ORDERS.c.id == bindparam("b_id"))
    .values(status=bindparam("b_status"), updated_at=bindparam("b_now"))
)
_EVENTS_OF = select(EVENTS).where(EVENTS.c.order_id == bindparam("b_id")).order_by(EVENTS.c.id)
_SQ_OF = select(SQ).where(SQ.c.order_id == bindparam("b_id")).order_by(SQ.c.created_at, SQ.c.id)


class OrderNotFound(NotFound):
    code = "order_not_found"
    title = "Order not found"


def start(session: Session, *, partner_id: str, account_id: str, actor: str) -> str:
    now = utcnow()
    order_id = new_id("oor")
    session.execute(
        insert(ORDERS),
        {
            "id": order_id,
            "account_id": account_id,
            "partner_id": partner_id,
            "status": OrderStatus.STARTED,
            "package_plan_id": None,
            "terms_accepted": None,
            "terms_accepted_at": None,
            "package_subscription_id": None,
            "submitted_at": None,
            "created_at": now,
            "updated_at": now,
        },
    )
    record_event(session, order_id=order_id, type="order.started", actor=actor)
    return order_id


def get(session: Session, *, partner_id: str, order_id: str) -> Row:
    """The partner's order; anybody else's does not exist (404)."""
    row = session.execute(_GET, {"b_id": order_id, "b_partner": partner_id}).first()
    if row is None:
        raise OrderNotFound(f"No order '{order_id}' was found.")
    return row


def claim(session: Session, *, partner_id: str, order_id: str) -> Row:
    row = session.execute(
        _CLAIM, {"b_id": order_id, "b_partner": partner_id, "b_now": utcnow()}
    ).first()
    if row is None:
        raise OrderNotFound(f"No order '{order_id}' was found.")
    return row


def set_status(session: Session, *, order_id: str, status: OrderStatus) -> None:
    session.execute(_SET_STATUS, {"b_id": order_id, "b_status": status, "b_now": utcnow()})


def record_event(
    session: Session, *, order_id: str, type: str, actor: str, data: dict[str, Any] | None = None
) -> None:
    session.execute(
        insert(EVENTS),
        {
            "order_id": order_id,
            "type": type,
            "actor": actor,
            "data": data or {},
            "created_at": utcnow(),
        },
    )


def events_of(session: Session, *, order_id: str) -> list[Row]:
    return list(session.execute(_EVENTS_OF, {"b_id": order_id}))


def qualifications_of(session: Session, *, order_id: str) -> list[Row]:
    return list(session.execute(_SQ_OF, {"b_id": order_id}))
