"""Onboarding orders: starting one, reading it, its steps' state and event history."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Row, bindparam, insert, select, update
from sqlalchemy.orm import Session

from orderhub.errors import NotFound
from orderhub.ids import new_id, utcnow
from orderhub.ledger import service as ledger
from orderhub.ledger.states import Channel
from orderhub.onboarding import accounts
from orderhub.onboarding.models import OnboardingOrder, SqResult
from orderhub.onboarding.states import OrderStatus

ONBOARDING_ORDERS = OnboardingOrder.__table__
SQ = SqResult.__table__

_OWN = (
    ONBOARDING_ORDERS.c.id == bindparam("b_id"),
    ONBOARDING_ORDERS.c.partner_id == bindparam("b_partner"),
)
_GET = select(ONBOARDING_ORDERS).where(*_OWN)
# Every change to an order starts by claiming it: the row lock (PostgreSQL) makes two
# changes of one order, such as two package selections, run one after the other.
_CLAIM = (
    update(ONBOARDING_ORDERS)
    .where(*_OWN)
    .values(updated_at=bindparam("b_now"))
    .returning(*ONBOARDING_ORDERS.c)
)
_SET_STATUS = (
    update(ONBOARDING_ORDERS)
    .where(ONBOARDING_ORDERS.c.id == bindparam("b_id"))
    .values(status=bindparam("b_status"), updated_at=bindparam("b_now"))
)
_SQ_OF = select(SQ).where(SQ.c.order_id == bindparam("b_id")).order_by(SQ.c.created_at, SQ.c.id)


class OrderNotFound(NotFound):
    code = "order_not_found"
    title = "Order not found"


def start(session: Session, *, partner_id: str, account_id: str, actor: str) -> Row:
    """A new order for the partner's account (404 if it is not theirs); SQ comes next."""
    account = accounts.get(session, partner_id=partner_id, account_id=account_id)
    now = utcnow()
    order_id = new_id("oor")
    ledger.open_order(
        session,
        order_id=order_id,
        channel=Channel.ONBOARDING,
        owner=f"partner:{partner_id}",
        party_kind="onboarding_account",
        party_id=account_id,
        status=OrderStatus.STARTED,
        at=now,
        refs={"accountNumber": account.number},
    )
    session.execute(
        insert(ONBOARDING_ORDERS),
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
    ledger.record(session, order_id=order_id, type="order.started", actor=actor, at=now)
    return get(session, partner_id=partner_id, order_id=order_id)


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


def set_status(session: Session, *, order: Row, status: OrderStatus) -> None:
    """Move the order (and its ledger row) to `status`, if that is a move at all."""
    if status == order.status:
        return
    now = utcnow()
    session.execute(_SET_STATUS, {"b_id": order.id, "b_status": status, "b_now": now})
    moved(session, order=order, status=status, at=now)


def moved(session: Session, *, order: Row, status: OrderStatus, at: datetime) -> None:
    """The ledger's side of a status change made by this channel's own statement."""
    ledger.move(
        session,
        order_id=order.id,
        channel=Channel.ONBOARDING,
        status=status,
        previous=order.status,
        at=at,
        submitted=status == OrderStatus.SUBMITTED,
    )


def qualifications_of(session: Session, *, order_id: str) -> list[Row]:
    return list(session.execute(_SQ_OF, {"b_id": order_id}))
