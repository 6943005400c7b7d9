"""Requests to cancel an order of any channel (TMF622 `cancelProductOrder`), decided when
made, by the order's channel's own rules:

* a consumer (direct) order is cancelled as its channel cancels it: by its customer
  while it is a draft or submitted, by operations until it is complete
  (`orders/lifecycle.py`);
* a care order's change requests not yet applied are withdrawn (`careorders/withdraw.py`);
* partner and onboarding orders have no cancellation in their channels: the request ends
  `terminatedWithError`, saying so.

A request the channel refuses is kept, `terminatedWithError` with the channel's reason;
one it carries out is `done`, with the moment as its effective cancellation date.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Row, bindparam, func, insert, select
from sqlalchemy.orm import Session

from orderhub.careorders import withdraw
from orderhub.errors import Conflict, NotFound
from orderhub.ids import iso_z, new_id, utcnow
from orderhub.ledger import service as ledger
from orderhub.ledger.states import Channel
from orderhub.ordering import access
from orderhub.ordering.models import CancelRequest
from orderhub.orders import lifecycle
from orderhub.orders.states import OrderStatus
from orderhub.webhooks import service as webhooks

REQUESTS = CancelRequest.__table__
DONE = "done"
TERMINATED = "terminatedWithError"

_INSERT = insert(REQUESTS).returning(*REQUESTS.c)
_ONE = select(REQUESTS).where(REQUESTS.c.id == bindparam("b_id"))


class CancelRequestNotFound(NotFound):
    code = "cancel_request_not_found"
    title = "Cancellation request not found"


def request(
    session: Session,
    *,
    order: Row,
    owner: str,
    by_operations: bool,
    actor: str,
    reason: str | None,
    requested_for: datetime | None,
) -> Row:
    """Ask the order's channel to cancel it now; returns the request as decided. `order`
    is the ledger row as found (access.find): each channel takes its own locks."""
    now = utcnow()
    refused = _cancel(session, order=order, by_operations=by_operations, actor=actor, now=now)
    row = session.execute(
        _INSERT,
        {
            "id": new_id("cpo"),
            "order_id": order.id,
            "owner": owner,
            "state": TERMINATED if refused else DONE,
            "cancellation_reason": reason,
            "requested_cancellation_date": requested_for,
            "effective_cancellation_date": None if refused else now,
            "rejection_reason": refused,
            "created_at": now,
        },
    ).one()
    ledger.record(
        session,
        order_id=order.id,
        type="order.cancellation_requested",
        actor=actor,
        data={"cancelRequestId": row.id, "state": row.state}
        | ({"reason": refused} if refused else {}),
    )
    data = {"state": row.state, "productOrderId": order.id, "at": iso_z(now)}
    # Whoever asked hears of it (and operations, who hear of everything): the request is
    # theirs to read. The order's owner hears of the order's own state change.
    for event in ("tmf.cancel_product_order_created", "tmf.cancel_product_order_state_changed"):
        webhooks.publish(session, owner=owner, type=event, subject=row.id, data=data)
    return row


def _cancel(
    session: Session, *, order: Row, by_operations: bool, actor: str, now: datetime
) -> str | None:
    """Cancel through the channel; None when done, or why the channel refuses."""
    try:
        if order.channel == Channel.DIRECT:
            order = access.claim(session, order=order, now=now)
            if by_operations:
                lifecycle.change_status(
                    session,
                    order=order,
                    target=OrderStatus.CANCELLED,
                    actor=actor,
                    reason="cancelled through cancelProductOrder",
                    now=now,
                )
            else:
                lifecycle.cancel_by_customer(session, order=order, actor=actor)
            return None
        if order.channel == Channel.CARE:
            partner_id = order.owner.removeprefix("partner:")
            withdraw.withdraw(session, partner_id=partner_id, care_order_id=order.id, now=now)
            return None
    except Conflict as refused:
        return refused.detail[:500]
    return (
        f"A {order.channel} order cannot be cancelled: its channel has no cancellation "
        "(docs/tmf.md, 'Cancelling')."
    )


class OrderNotDeletable(Conflict):
    code = "order_not_deletable"
    title = "Order cannot be deleted"


def withdraw_pending(session: Session, *, order: Row, actor: str) -> None:
    """DELETE of a product order: a consumer cart nobody has acted on is cancelled (it
    stays readable, `cancelled`); any other order is 409, to be cancelled by request."""
    if order.channel != Channel.DIRECT or order.status != OrderStatus.DRAFT:
        raise OrderNotDeletable(
            f"Order '{order.id}' is '{order.state}': only a pending consumer order can be "
            "deleted; ask for its cancellation with POST cancelProductOrder.",
            extra={"currentState": order.state},
        )
    order = access.claim(session, order=order, now=utcnow())
    lifecycle.cancel_by_customer(session, order=order, actor=actor)
    webhooks.publish(
        session,
        owner=order.owner,
        type="tmf.product_order_deleted",
        subject=order.id,
        data={"state": "cancelled"},
    )


def get(session: Session, *, request_id: str, owner: str | None) -> Row:
    """The request, if `owner` made it (None: operations, who see every request)."""
    row = session.execute(_ONE, {"b_id": request_id}).first()
    if row is None or (owner is not None and row.owner != owner):
        raise CancelRequestNotFound(f"No cancellation request '{request_id}' was found.")
    return row


def page(
    session: Session, *, owner: str | None, state: str | None, limit: int, offset: int
) -> tuple[list[Row], int]:
    """The requests `owner` made (None: all), newest first, and how many there are."""
    where = []
    if owner is not None:
        where.append(REQUESTS.c.owner == owner)
    if state is not None:
        where.append(REQUESTS.c.state == state)
    rows = session.execute(
        select(REQUESTS)
        .where(*where)
        .order_by(REQUESTS.c.created_at.desc(), REQUESTS.c.id.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    total = session.execute(select(func.count()).select_from(REQUESTS).where(*where)).scalar_one()
    return list(rows), total
