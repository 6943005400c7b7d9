"""Reading the ledger across channels: the operator's search and one order with its
references. Filters narrow through indexes (owner, party, state, created_at); a
reference, a CTN or a business customer is first resolved, by its own indexed lookup, to
the order ids or party ids it stands for, so the search itself only ever compares columns
with values (an OR of subqueries would make the planner scan the ledger)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Row, Select, bindparam, func, or_, select, union
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
    owner: str | None = None  # whose orders (`customer:<id>`, `partner:<id>`)
    reference: str | None = None
    ctn: str | None = None
    created_from: datetime | None = None
    created_to: datetime | None = None
    updated_from: datetime | None = None
    updated_to: datetime | None = None


@dataclass(frozen=True)
class _Resolved:
    """A filter with its indirect parts looked up: None where a part was not asked for."""

    where: OrderFilter
    order_ids: list[str] | None = None  # what the reference and the CTN name, intersected
    fans: list[str] | None = None  # the business customer's FANs


def _order_ids_of_reference(session: Session, reference: str) -> set[str]:
    own = select(ORDERS.c.id).where(
        or_(ORDERS.c.id == reference, ORDERS.c.confirmation_number == reference)
    )
    external = select(REFERENCES.c.order_id).where(REFERENCES.c.value == reference)
    return set(session.execute(union(own, external)).scalars())


def _order_ids_of_ctn(session: Session, ctn: str) -> set[str]:
    sold = select(PHONE_NUMBERS.c.order_id).where(
        PHONE_NUMBERS.c.number == ctn, PHONE_NUMBERS.c.status == "assigned"
    )
    changed = select(CARE_CHANGES.c.care_order_id).where(CARE_CHANGES.c.ctn == ctn)
    return {i for i in session.execute(union(sold, changed)).scalars() if i}


def _resolve(session: Session, f: OrderFilter) -> _Resolved:
    ids: set[str] | None = None
    if f.reference:
        ids = _order_ids_of_reference(session, f.reference)
    if f.ctn:
        by_ctn = _order_ids_of_ctn(session, f.ctn)
        ids = by_ctn if ids is None else ids & by_ctn
    fans = None
    if f.customer:
        fans = list(
            session.execute(
                select(INVENTORY_ACCOUNTS.c.number).where(
                    INVENTORY_ACCOUNTS.c.customer_id == f.customer
                )
            ).scalars()
        )
    return _Resolved(f, None if ids is None else sorted(ids), fans)


def _filtered(statement: Select, r: _Resolved) -> Select:
    o, f = ORDERS.c, r.where
    if f.channel:
        statement = statement.where(o.channel == f.channel)
    if f.state:
        statement = statement.where(o.state == f.state)
    if f.status:
        statement = statement.where(o.status == f.status)
    if f.partner:
        statement = statement.where(o.owner == f"partner:{f.partner}")
    if f.owner:
        statement = statement.where(o.owner == f.owner)
    if f.customer:
        party = o.party_id == f.customer
        if r.fans:
            party = or_(party, (o.party_kind == "fan") & o.party_id.in_(r.fans))
        statement = statement.where(party)
    if r.order_ids is not None:
        statement = statement.where(o.id.in_(r.order_ids))
    for column, bound, after in (
        (o.created_at, f.created_from, True),
        (o.created_at, f.created_to, False),
        (o.updated_at, f.updated_from, True),
        (o.updated_at, f.updated_to, False),
    ):
        if bound is not None:
            statement = statement.where(column >= bound if after else column < bound)
    return statement


def _page(resolved: _Resolved, *, limit: int, offset: int) -> Select:
    """Newest first, ties by id, as the indexes on (channel | state, created_at, id) hold
    them."""
    return (
        _filtered(select(ORDERS), resolved)
        .order_by(ORDERS.c.created_at.desc(), ORDERS.c.id.desc())
        .limit(limit)
        .offset(offset)
    )


def search(
    session: Session, *, where: OrderFilter, limit: int, offset: int
) -> tuple[list[Row], int]:
    """A page of matching orders, newest first (ties by id: pages are stable), and how
    many match in all."""
    resolved = _resolve(session, where)
    if resolved.order_ids == []:
        return [], 0  # the reference or CTN names no order
    rows = list(session.execute(_page(resolved, limit=limit, offset=offset)))
    if offset == 0 and len(rows) < limit:
        return rows, len(rows)  # the whole result is on this page: no count needed
    count = _filtered(select(func.count()).select_from(ORDERS), resolved)
    return rows, session.execute(count).scalar_one()


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
