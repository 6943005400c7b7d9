"""Care changes that failed, oldest first, for the console's work queue: which line
(CTN), what change, why it failed, and the care order it belongs to."""

from __future__ import annotations

from sqlalchemy import Row, bindparam, func, select
from sqlalchemy.orm import Session

from orderhub.careorders.models import CareChange, CareOrder
from orderhub.careorders.states import ChangeStatus
from orderhub.partners.models import Partner

CHANGES = CareChange.__table__
CARE_ORDERS = CareOrder.__table__
PARTNERS = Partner.__table__
FAILED = ChangeStatus.FAILED.value

_PAGE = (
    select(
        CHANGES.c.id,
        CHANGES.c.care_order_id,
        CHANGES.c.type,
        CHANGES.c.ctn,
        CHANGES.c.failure_code,
        CHANGES.c.failure_detail,
        CHANGES.c.finished_at,
        CHANGES.c.received_at,
        CARE_ORDERS.c.message_id,
        PARTNERS.c.name.label("partner_name"),
    )
    .join(CARE_ORDERS, CARE_ORDERS.c.id == CHANGES.c.care_order_id)
    .join(PARTNERS, PARTNERS.c.id == CARE_ORDERS.c.partner_id)
    .where(CHANGES.c.status == FAILED)
    .order_by(CHANGES.c.finished_at, CHANGES.c.id)
    .limit(bindparam("b_limit"))
    .offset(bindparam("b_offset"))
)
_SUMMARY = select(
    func.count().label("count"), func.min(CHANGES.c.finished_at).label("oldest")
).where(CHANGES.c.status == FAILED)


def failed(session: Session, *, limit: int, offset: int) -> list[Row]:
    """Failed changes, the longest waiting first."""
    return list(session.execute(_PAGE, {"b_limit": limit, "b_offset": offset}))


def summary(session: Session) -> Row:
    """How many (`count`) and since when the oldest waits (`oldest`)."""
    return session.execute(_SUMMARY).one()
