"""B2B orders that wait for a person: in jeopardy (a sub-order ran into trouble) or
rejected (every sub-order was), oldest change first, for the console's work queue.

Read from the ledger's row of each order, whose `status` is the channel's own (indexed),
with the partner and end customer named."""

from __future__ import annotations

from sqlalchemy import Row, bindparam, func, select
from sqlalchemy.orm import Session

from orderhub.business.models import BusinessCustomer
from orderhub.ledger.models import Order
from orderhub.ledger.states import Channel
from orderhub.partner_orders.models import PartnerOrder
from orderhub.partner_orders.states import PartnerOrderStatus
from orderhub.partners.models import Partner

ORDERS = Order.__table__
PARTNER_ORDERS = PartnerOrder.__table__
PARTNERS = Partner.__table__
CUSTOMERS = BusinessCustomer.__table__
IN_TROUBLE = (PartnerOrderStatus.JEOPARDY.value, PartnerOrderStatus.REJECTED.value)

_WHERE = (ORDERS.c.status.in_(IN_TROUBLE), ORDERS.c.channel == Channel.PARTNER.value)
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
    )
    .join(PARTNER_ORDERS, PARTNER_ORDERS.c.id == ORDERS.c.id)
    .join(PARTNERS, PARTNERS.c.id == PARTNER_ORDERS.c.partner_id)
    .join(CUSTOMERS, CUSTOMERS.c.id == PARTNER_ORDERS.c.customer_id)
    .where(*_WHERE)
    .order_by(ORDERS.c.updated_at, ORDERS.c.id)
    .limit(bindparam("b_limit"))
    .offset(bindparam("b_offset"))
)
_SUMMARY = select(func.count().label("count"), func.min(ORDERS.c.updated_at).label("oldest")).where(
    *_WHERE
)


def in_trouble(session: Session, *, limit: int, offset: int) -> list[Row]:
    """Orders in jeopardy or rejected, the longest waiting first."""
    return list(session.execute(_PAGE, {"b_limit": limit, "b_offset": offset}))


def summary(session: Session) -> Row:
    """How many (`count`) and since when the oldest waits (`oldest`)."""
    return session.execute(_SUMMARY).one()
