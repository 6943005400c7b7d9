"""Reading the ledger across channels: the operator's search and one order with its
references. Filters narrow through indexes (owner, party, state, created_at); a
reference, a CTN or a business customer is first resolved, by its own indexed lookup, to
the order ids or party ids it stands for, so the search itself only ever compares columns
with values (an OR of subqueries would make the planner scan the ledger)."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Row, Select, bindparam, func, or_, select, union
from sqlalchemy.orm import Session

from orderhub.business.models import BusinessCustomer, SubAccount
from orderhub.business.rules import name_key
from orderhub.careorders.models import CareChange
from orderhub.contacts import is_phone_digits, normalize_email, normalize_phone
from orderhub.customers.models import Account, Customer
from orderhub.inventory.models import InventoryAccount
from orderhub.ledger.service import ORDERS, REFERENCES
from orderhub.numbers.models import PhoneNumber
from orderhub.onboarding.models import OnboardingAccount

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


class Sort(StrEnum):
    """The orders of a list: by when they were created or last changed, either way."""

    NEWEST = "newest"
    OLDEST = "oldest"
    UPDATED = "updated"  # most recently changed first
    UPDATED_OLDEST = "updated_oldest"


# Ties by id in the same direction, so the indexes on (channel | state, created_at, id)
# hold a created order as it is (read backwards for the oldest first) and pages are stable.
_SORTS = {
    Sort.NEWEST: (ORDERS.c.created_at.desc(), ORDERS.c.id.desc()),
    Sort.OLDEST: (ORDERS.c.created_at.asc(), ORDERS.c.id.asc()),
    Sort.UPDATED: (ORDERS.c.updated_at.desc(), ORDERS.c.id.desc()),
    Sort.UPDATED_OLDEST: (ORDERS.c.updated_at.asc(), ORDERS.c.id.asc()),
}


def _page(resolved: _Resolved, *, limit: int, offset: int, sort: Sort = Sort.NEWEST) -> Select:
    """Newest first by default, ties by id, as the indexes on (channel | state,
    created_at, id) hold them."""
    return _filtered(select(ORDERS), resolved).order_by(*_SORTS[sort]).limit(limit).offset(offset)


def search(
    session: Session,
    *,
    where: OrderFilter,
    limit: int,
    offset: int,
    sort: Sort = Sort.NEWEST,
) -> tuple[list[Row], int]:
    """A page of matching orders, newest first unless `sort` says otherwise (ties by id:
    pages are stable), and how many match in all."""
    resolved = _resolve(session, where)
    if resolved.order_ids == []:
        return [], 0  # the reference or CTN names no order
    rows = list(session.execute(_page(resolved, limit=limit, offset=offset, sort=sort)))
    if offset == 0 and len(rows) < limit:
        return rows, len(rows)  # the whole result is on this page: no count needed
    count = _filtered(select(func.count()).select_from(ORDERS), resolved)
    return rows, session.execute(count).scalar_one()


def state_counts(session: Session, *, where: OrderFilter) -> dict[str, int]:
    """How many orders each common state has under the filter (its own state left out,
    so every state's count shows): one GROUP BY."""
    resolved = _resolve(session, replace(where, state=None))
    if resolved.order_ids == []:
        return {}
    counted = _filtered(
        select(ORDERS.c.state, func.count()).select_from(ORDERS), resolved
    ).group_by(ORDERS.c.state)
    return {state: count for state, count in session.execute(counted)}


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


# ---- The console's one search box (surfaces/console/search_routes.py) --------------------

FIND_LIMIT = 50
_PUNCTUATION = re.compile(r"[\s().+-]")
_BY_REFERENCE = union(
    select(ORDERS.c.id).where(
        or_(
            ORDERS.c.id.in_(bindparam("b_values", expanding=True)),
            ORDERS.c.confirmation_number.in_(bindparam("b_values", expanding=True)),
        )
    ),
    select(REFERENCES.c.order_id).where(
        REFERENCES.c.value.in_(bindparam("b_values", expanding=True))
    ),
)
_ORDERS_BY_ID = (
    select(ORDERS)
    .where(ORDERS.c.id.in_(bindparam("b_ids", expanding=True)))
    .order_by(ORDERS.c.created_at.desc(), ORDERS.c.id.desc())
    .limit(FIND_LIMIT)
)


def _spellings(text: str) -> list[str]:
    """The text as typed and in either case: ids are lower case, confirmation numbers and
    partners' references often upper, and people type either."""
    return sorted({text, text.upper(), text.lower()})


def ctn_of(text: str) -> str | None:
    """A typed line number as its ten digits (punctuation and a country code 1 dropped),
    or None. Not `contacts.normalize_phone`: sandbox and business lines may start with 1."""
    digits = _PUNCTUATION.sub("", text)
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    return digits if is_phone_digits(digits) else None


def find_orders(session: Session, *, text: str) -> list[Row]:
    """The orders a typed id or reference names (order id, confirmation number, any
    indexed reference, a CTN), newest first: one indexed lookup per kind, then one read."""
    ids = set(session.execute(_BY_REFERENCE, {"b_values": _spellings(text)}).scalars())
    ctn = ctn_of(text)
    if ctn:
        ids |= _order_ids_of_ctn(session, ctn)
    if not ids:
        return []
    return list(session.execute(_ORDERS_BY_ID, {"b_ids": sorted(ids)}))


@dataclass(frozen=True)
class Party:
    """Someone orders are for, as the search box finds them: a ledger party kind and id
    (`orders.party_kind`, `orders.party_id`), a name, and contacts where known."""

    kind: str
    id: str
    name: str
    email: str | None = None
    phone: str | None = None


_CONSUMERS = Customer.__table__
_CONSUMER_ACCOUNTS = Account.__table__
_BUSINESSES = BusinessCustomer.__table__
_SUB_ACCOUNTS = SubAccount.__table__
_ONBOARDING = OnboardingAccount.__table__
_CONSUMER_COLUMNS = (
    _CONSUMERS.c.id,
    _CONSUMERS.c.first_name,
    _CONSUMERS.c.last_name,
    _CONSUMERS.c.email,
    _CONSUMERS.c.phone,
)
_BUSINESS_COLUMNS = (_BUSINESSES.c.id, _BUSINESSES.c.name, _BUSINESSES.c.phone)
_ONBOARDING_COLUMNS = (
    _ONBOARDING.c.id,
    _ONBOARDING.c.number,
    _ONBOARDING.c.customer,
    _ONBOARDING.c.primary_contact,
)


def _consumer(row: Row) -> Party:
    return Party("customer", row.id, f"{row.first_name} {row.last_name}", row.email, row.phone)


def _onboarding(row: Row) -> Party:
    customer, contact = row.customer or {}, row.primary_contact or {}
    name = customer.get("companyName") or " ".join(
        p for p in (customer.get("firstName"), customer.get("lastName")) if p
    )
    return Party(
        "onboarding_account",
        row.id,
        f"{name or row.number} ({row.number})",
        contact.get("email"),
        contact.get("phone"),
    )


def _by_identifier(session: Session, text: str) -> list[Party]:
    """Parties an e-mail, a phone or an account number names: unique, indexed columns."""
    found: list[Party] = []
    email, phone = normalize_email(text), normalize_phone(text)
    if email:
        who = select(*_CONSUMER_COLUMNS).where(_CONSUMERS.c.email == email)
        found += [_consumer(r) for r in session.execute(who)]
    if phone:
        who = select(*_CONSUMER_COLUMNS).where(_CONSUMERS.c.phone == phone)
        found += [_consumer(r) for r in session.execute(who)]
        firms = select(*_BUSINESS_COLUMNS).where(_BUSINESSES.c.phone == phone).limit(FIND_LIMIT)
        found += [
            Party("business_customer", r.id, r.name, None, r.phone) for r in session.execute(firms)
        ]
    if email or len(text) > 20:
        return found
    # An account number: a consumer's, a business sub-account, a FAN, an onboarding one.
    consumers = (
        select(*_CONSUMER_COLUMNS)
        .join(_CONSUMER_ACCOUNTS, _CONSUMER_ACCOUNTS.c.customer_id == _CONSUMERS.c.id)
        .where(_CONSUMER_ACCOUNTS.c.number == text)
    )
    found += [_consumer(r) for r in session.execute(consumers)]
    firms = (
        select(*_BUSINESS_COLUMNS)
        .join(_SUB_ACCOUNTS, _SUB_ACCOUNTS.c.customer_id == _BUSINESSES.c.id)
        .where(_SUB_ACCOUNTS.c.number == text)
    )
    found += [
        Party("business_customer", r.id, r.name, None, r.phone) for r in session.execute(firms)
    ]
    fans = select(INVENTORY_ACCOUNTS.c.number, INVENTORY_ACCOUNTS.c.name).where(
        INVENTORY_ACCOUNTS.c.number == text
    )
    found += [Party("fan", r.number, f"{r.name} (FAN {r.number})") for r in session.execute(fans)]
    accounts = select(*_ONBOARDING_COLUMNS).where(_ONBOARDING.c.number == text)
    found += [_onboarding(r) for r in session.execute(accounts)]
    return found


def _by_name(session: Session, text: str) -> list[Party]:
    """Parties a name names. A business by its indexed name key; a consumer or an
    onboarding account by first, last or whole name, case aside: those tables have no
    index on names (nor on the onboarding contact's e-mail, kept in JSON), so these two
    read the table (small in the sandbox; an index on lower(last_name) would end that)."""
    found: list[Party] = []
    key = name_key(text)
    if key:
        # Names starting with what was typed: a range of the indexed key (its last
        # bound above any key that starts so), checked exactly here, as collations may
        # order spaces differently.
        firms = (
            select(*_BUSINESS_COLUMNS, _BUSINESSES.c.name_key)
            .where(_BUSINESSES.c.name_key.between(key, key + "z" * 8))
            .order_by(_BUSINESSES.c.name_key)
            .limit(FIND_LIMIT)
        )
        found += [
            Party("business_customer", r.id, r.name, None, r.phone)
            for r in session.execute(firms)
            if r.name_key.startswith(key)
        ]
    lowered = " ".join(text.lower().split())
    first, last = func.lower(_CONSUMERS.c.first_name), func.lower(_CONSUMERS.c.last_name)
    consumers = (
        select(*_CONSUMER_COLUMNS)
        .where(or_(first == lowered, last == lowered, first + " " + last == lowered))
        .limit(FIND_LIMIT)
    )
    found += [_consumer(r) for r in session.execute(consumers)]
    o_first = func.lower(_ONBOARDING.c.customer["firstName"].as_string())
    o_last = func.lower(_ONBOARDING.c.customer["lastName"].as_string())
    o_company = func.lower(_ONBOARDING.c.customer["companyName"].as_string())
    accounts = (
        select(*_ONBOARDING_COLUMNS)
        .where(
            or_(
                o_last == lowered,
                o_company == lowered,
                o_first + " " + o_last == lowered,
            )
        )
        .limit(FIND_LIMIT)
    )
    found += [_onboarding(r) for r in session.execute(accounts)]
    return found


def _onboarding_by_email(session: Session, email: str) -> list[Party]:
    contact = func.lower(_ONBOARDING.c.primary_contact["email"].as_string())
    accounts = select(*_ONBOARDING_COLUMNS).where(contact == email).limit(FIND_LIMIT)
    return [_onboarding(r) for r in session.execute(accounts)]


def find_parties(session: Session, *, text: str) -> list[Party]:
    """The customers and accounts a typed name, e-mail, phone or account number names,
    each once, in the order found."""
    text = " ".join(text.split())
    if not text:
        return []
    found = _by_identifier(session, text)
    email = normalize_email(text)
    if email:
        found += _onboarding_by_email(session, email)
    elif any(c.isalpha() for c in text):
        # A name may hold digits ("7 Eleven", "Acme 2000").
        found += _by_name(session, text)
    unique: dict[tuple[str, str], Party] = {}
    for party in found:
        unique.setdefault((party.kind, party.id), party)
    return list(unique.values())[:FIND_LIMIT]
