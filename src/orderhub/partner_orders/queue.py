"""B2B orders that wait for a person, oldest change first, for the console's work queue:
in jeopardy (a sub-order ran into trouble), rejected (every sub-order was), or going on
with some sub-orders rejected (the order's own status then shows the others' progress,
so the rejected ones are found by the sub-orders' status, indexed) until it completes.

Read from the ledger's row of each order, whose `status` is the channel's own (indexed),
with the partner and end customer named and the sub-orders counted."""

from __future__ import annotations

from sqlalchemy import ColumnElement, Row, ScalarSelect, bindparam, func, select, union
from sqlalchemy.orm import Session

from orderhub.business.models import BusinessCustomer
from orderhub.ledger.models import Order
from orderhub.ledger.states import Channel
from orderhub.partner_orders.models import PartnerOrder, PartnerSubOrder
from orderhub.partner_orders.states import PartnerOrderStatus
from orderhub.partners.models import Partner

ORDERS = Order.__table__
PARTNER_ORDERS = PartnerOrder.__table__
SUB_ORDERS = PartnerSubOrder.__table__
PARTNERS = Partner.__table__
CUSTOMERS = BusinessCustomer.__table__
PARTNER = Channel.PARTNER.value
REJECTED = PartnerOrderStatus.REJECTED.value
COMPLETED = PartnerOrderStatus.COMPLETED.value
IN_TROUBLE = (PartnerOrderStatus.JEOPARDY.value, REJECTED)

# Each kind of trouble found through an index of its own (orders by status, sub-orders by
# status and order), then those orders by key: an OR of the two, or the channel's index,
# would read every B2B order. (The first branch takes any channel's orders of those
# statuses; the channel is checked on the orders read.)
_TROUBLED = union(
    select(ORDERS.c.id.label("id")).where(ORDERS.c.status.in_(IN_TROUBLE)),
    select(SUB_ORDERS.c.order_id.label("id")).where(SUB_ORDERS.c.status == REJECTED),
).subquery("troubled")
_FROM = _TROUBLED.join(ORDERS, ORDERS.c.id == _TROUBLED.c.id)
_WHERE = (
    ORDERS.c.channel == PARTNER,
    # A finished order waits for no one, whatever of it was rejected on the way.
    ORDERS.c.status != COMPLETED,
)


def _sub_orders(*where: ColumnElement[bool]) -> ScalarSelect[int]:
    """How many of the order's sub-orders (that match `where`)."""
    return (
        select(func.count()).where(SUB_ORDERS.c.order_id == ORDERS.c.id, *where).scalar_subquery()
    )


_PAGE = (
    select(
        ORDERS.c.id,
        ORDERS.c.status,
        ORDERS.c.state,
        ORDERS.c.updated_at,
        ORDERS.c.created_at,
        PARTNERS.c.name.label("partner_name"),
        CUSTOMERS.c.name.label("customer_name"),
        PARTNER_ORDERS.c.provisioning_reference,
        _sub_orders().label("sub_orders"),
        _sub_orders(SUB_ORDERS.c.status == REJECTED).label("rejected_sub_orders"),
    )
    .select_from(_FROM)
    .join(PARTNER_ORDERS, PARTNER_ORDERS.c.id == ORDERS.c.id)
    .join(PARTNERS, PARTNERS.c.id == PARTNER_ORDERS.c.partner_id)
    .join(CUSTOMERS, CUSTOMERS.c.id == PARTNER_ORDERS.c.customer_id)
    .where(*_WHERE)
    .order_by(ORDERS.c.updated_at, ORDERS.c.id)
    .limit(bindparam("b_limit"))
    .offset(bindparam("b_offset"))
)
_SUMMARY = (
    select(func.count().label("count"), func.min(ORDERS.c.updated_at).label("oldest"))
    .select_from(_FROM)
    .where(*_WHERE)
)


def in_trouble(session: Session, *, limit: int, offset: int) -> list[Row]:
    """Orders in jeopardy, rejected or with rejected sub-orders, the longest waiting
    first."""
    return list(session.execute(_PAGE, {"b_limit": limit, "b_offset": offset}))


def summary(session: Session) -> Row:
    """How many (`count`) and since when the oldest waits (`oldest`)."""
    return session.execute(_SUMMARY).one()
