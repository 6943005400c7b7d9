"""Finding an order of any channel for a caller, and claiming it for a change.

Anybody else's order does not exist for the caller (404). A change claims the ledger row
as every change of an order does (`UPDATE orders SET updated_at RETURNING`: the row lock
on PostgreSQL, and the order's last change moves). A partner's order is claimed after
the partner's outbox turn is taken: its workers (provisioning, care) take the turn
before the row, so taking them in the other order could deadlock with them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Row, bindparam, update
from sqlalchemy.orm import Session

from orderhub.errors import NotFound
from orderhub.ledger import queries
from orderhub.ledger.service import ORDERS
from orderhub.webhooks import service as webhooks

_CLAIM = (
    update(ORDERS)
    .where(ORDERS.c.id == bindparam("b_id"))
    .values(updated_at=bindparam("b_now"))
    .returning(*ORDERS.c)
)


class ProductOrderNotFound(NotFound):
    code = "product_order_not_found"
    title = "Product order not found"


def find(session: Session, *, order_id: str, owner: str | None) -> Row:
    """The order, if `owner` owns it (None: operations, who see every order)."""
    order = queries.get(session, order_id=order_id)
    if order is None or (owner is not None and order.owner != owner):
        raise ProductOrderNotFound(f"No product order '{order_id}' was found.")
    return order


def claim(session: Session, *, order: Row, now: datetime) -> Row:
    """The order found by `find`, locked for this transaction and touched."""
    webhooks.take_turns(session, [order.owner])  # no-op unless a partner owns it
    return session.execute(_CLAIM, {"b_id": order.id, "b_now": now}).one()
