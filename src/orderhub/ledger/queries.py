"""Reading the ledger across channels: the operator's search and one order with its
references. Filters narrow through indexes (owner, party, state, created/updated); a
reference or a CTN is first resolved to order ids where it lives."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Row, Select, bindparam, func, or_, select
from sqlalchemy.orm import Session

from orderhub.careorders.models import CareChange
from orderhub.inventory.models import InventoryAccount
from orderhub.ledger.service import ORDERS, REFERENCES
from orderhub.numbers.models import PhoneNumber

CARE_CHANGES = CareChange.__table__
INVENTORY_ACCOUNTS = InventoryAccount.__table__
PHONE_NUMBERS = PhoneNumber.__table__

_ORDER = select(ORDERS).where(ORDERS.c.id == bindparam("b_id"))
_REFERENCES_OF = select(REFERENCES.c.order_id, REFERENCES.c.kind, REFERENCES.c.value).where(
    REFERENCES.c.order_id.in_(bindparam("b_ids", expanding=True))
)


@dataclass(frozen=True)
class OrderFilter:
    """What the operator narrows the ledger by; every field is optional."""

    channel: str | None = None
    state: str | None = None
    status: str | None = None
    # Whom the orders are for: a party id (consumer or business customer, onboarding
    # account, FAN), or a business customer, whose FANs' orders then match too.
    customer: str | None = None
    partner: str | None = None
    reference: str | None = None
    ctn: str | None = None
    created_from: datetime | None = None
    created_to: datetime | None = None
    updated_from: datetime | None = None
    updated_to: datetime | None = None


def _filtered(statement: Select, f: OrderFilter) -> Select:
    o = ORDERS.c
    if f.channel:
        statement = statement.where(o.channel == f.channel)
    if f.state:
        statement = statement.where(o.state == f.state)
    if f.status:
        statement = statement.where(o.status == f.status)
    if f.partner:
        statement = statement.where(o.owner == f"partner:{f.partner}")
    if f.customer:
        fans = select(INVENTORY_ACCOUNTS.c.number).where(
            INVENTORY_ACCOUNTS.c.customer_id == f.customer
        )
        statement = statement.where(
            or_(o.party_id == f.customer, (o.party_kind == "fan") & o.party_id.in_(fans))
        )
    if f.reference:
        referenced = select(REFERENCES.c.order_id).where(REFERENCES.c.value == f.reference)
        statement = statement.where(
            or_(
                o.id == f.reference,
                o.confirmation_number == f.reference,
                o.id.in_(referenced),
            )
        )
    if f.ctn:
        sold = select(PHONE_NUMBERS.c.order_id).where(
            PHONE_NUMBERS.c.number == f.ctn, PHONE_NUMBERS.c.status == "assigned"
        )
        changed = select(CARE_CHANGES.c.care_order_id).where(CARE_CHANGES.c.ctn == f.ctn)
        statement = statement.where(or_(o.id.in_(sold), o.id.in_(changed)))
    for column, bound, after in (
        (o.created_at, f.created_from, True),
        (o.created_at, f.created_to, False),
        (o.updated_at, f.updated_from, True),
        (o.updated_at, f.updated_to, False),
    ):
        if bound is not None:
            statement = statement.where(column >= bound if after else column < bound)
    return statement


def search(
    session: Session, *, where: OrderFilter, limit: int, offset: int
) -> tuple[list[Row], int]:
    """A page of matching orders, newest first (ties by id: pages are stable), and how
    many match in all."""
    page = _filtered(select(ORDERS), where).order_by(ORDERS.c.created_at.desc(), ORDERS.c.id.desc())
    rows = list(session.execute(page.limit(limit).offset(offset)))
    total = session.execute(_filtered(select(func.count()).select_from(ORDERS), where)).scalar_one()
    return rows, total


def get(session: Session, *, order_id: str) -> Row | None:
    return session.execute(_ORDER, {"b_id": order_id}).first()


def references(session: Session, *, orders: list[Row]) -> dict[str, dict[str, str]]:
    """Each order's external references by name (one query for a whole page)."""
    found: dict[str, dict[str, str]] = {o.id: {} for o in orders}
    for o in orders:
        if o.confirmation_number:
            found[o.id]["confirmationNumber"] = o.confirmation_number
    if orders:
        for row in session.execute(_REFERENCES_OF, {"b_ids": [o.id for o in orders]}):
            found[row.order_id][row.kind] = row.value
    return found
