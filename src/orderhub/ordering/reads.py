"""What an order of any channel is made of, read for a page of ledger rows at once:
its items (the channel's own: a cart's items and their numbers, a partner order's
sub-orders, a care order's changes, an onboarding order's services), its TMF attributes
and its cancellation requests. One query per kind of part and page, whatever the page's
size (no query per order)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import Row, bindparam, select
from sqlalchemy.orm import Session

from orderhub.careorders.models import CareChange
from orderhub.ledger.states import Channel
from orderhub.numbers.models import PhoneNumber
from orderhub.onboarding.models import OrderService
from orderhub.ordering.models import OrderDetail
from orderhub.orders.models import OrderItem
from orderhub.partner_orders.models import PartnerSubOrder

ITEMS = OrderItem.__table__
NUMBERS = PhoneNumber.__table__
SUB_ORDERS = PartnerSubOrder.__table__
CHANGES = CareChange.__table__
SERVICES = OrderService.__table__
DETAILS = OrderDetail.__table__

_IDS = bindparam("b_ids", expanding=True)
_CART = select(ITEMS).where(ITEMS.c.order_id.in_(_IDS)).order_by(ITEMS.c.position)
_NUMBERS = (
    select(NUMBERS.c.order_id, NUMBERS.c.item_id, NUMBERS.c.number, NUMBERS.c.status)
    .where(NUMBERS.c.order_id.in_(_IDS))
    .order_by(NUMBERS.c.number)
)
_SUB_ORDERS = (
    select(
        SUB_ORDERS.c.order_id,
        SUB_ORDERS.c.id,
        SUB_ORDERS.c.position,
        SUB_ORDERS.c.product_id,
        SUB_ORDERS.c.product_name,
        SUB_ORDERS.c.site_name,
        SUB_ORDERS.c.monthly_cents,
        SUB_ORDERS.c.one_time_cents,
        SUB_ORDERS.c.status,
    )
    .where(SUB_ORDERS.c.order_id.in_(_IDS))
    .order_by(SUB_ORDERS.c.position)
)
_CHANGES = (
    select(
        CHANGES.c.care_order_id.label("order_id"),
        CHANGES.c.id,
        CHANGES.c.position,
        CHANGES.c.type,
        CHANGES.c.ctn,
        CHANGES.c.status,
    )
    .where(CHANGES.c.care_order_id.in_(_IDS))
    .order_by(CHANGES.c.position)
)
_SERVICES = (
    select(SERVICES.c.order_id, SERVICES.c.id, SERVICES.c.position, SERVICES.c.service_type_id)
    .where(SERVICES.c.order_id.in_(_IDS))
    .order_by(SERVICES.c.position)
)
_DETAILS = select(DETAILS).where(DETAILS.c.order_id.in_(_IDS))

# Each channel's parts, by the ledger's channel.
_PARTS = {
    Channel.PARTNER: _SUB_ORDERS,
    Channel.CARE: _CHANGES,
    Channel.ONBOARDING: _SERVICES,
}


@dataclass
class Parts:
    """One order's parts: `items` in the channel's own rows; `numbers` by cart item."""

    items: list[Row] = field(default_factory=list)
    numbers: dict[str, list[str]] = field(default_factory=dict)
    detail: Row | None = None


def parts_of(session: Session, *, orders: list[Row]) -> dict[str, Parts]:
    """The parts of each order of the page, keyed by order id."""
    found = {o.id: Parts() for o in orders}
    by_channel: dict[str, list[str]] = defaultdict(list)
    for o in orders:
        by_channel[o.channel].append(o.id)
    if direct := by_channel.get(Channel.DIRECT):
        for row in session.execute(_CART, {"b_ids": direct}):
            found[row.order_id].items.append(row)
        for row in session.execute(_NUMBERS, {"b_ids": direct}):
            if row.item_id and row.status in ("reserved", "assigned"):
                found[row.order_id].numbers.setdefault(row.item_id, []).append(row.number)
    for channel, statement in _PARTS.items():
        if ids := by_channel.get(channel):
            for row in session.execute(statement, {"b_ids": ids}):
                found[row.order_id].items.append(row)
    if orders:
        for row in session.execute(_DETAILS, {"b_ids": list(found)}):
            found[row.order_id].detail = row
    return found
