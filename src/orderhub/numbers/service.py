"""The telephone-number pool: search, reserve for an order line, assign on submit.

Claims are conditional UPDATEs checked by rowcount, so of two clients racing for one
number exactly one wins, on SQLite and on PostgreSQL alike.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Row, and_, bindparam, func, insert, or_, select, update
from sqlalchemy.orm import Session

from orderhub.credit.models import CreditApplication
from orderhub.customers.models import Address
from orderhub.errors import Conflict, FieldProblem, NotFound, ValidationFailed
from orderhub.ids import utcnow
from orderhub.ledger import service as ledger
from orderhub.numbers import rules
from orderhub.numbers.models import PhoneNumber
from orderhub.orders import service as orders
from orderhub.orders.states import require_draft

# Table columns, not mapped attributes: a statement naming a mapped class takes the ORM's
# execution path, about twice the cost of a Core one (docs/performance.md).
NUMBERS = PhoneNumber.__table__
N = NUMBERS.c
ADDRESSES = Address.__table__
CREDIT = CreditApplication.__table__

# Lowest and highest number of an area code: each one primary-key index probe.
_IN_AREA = N.number.between(bindparam("low"), bindparam("high"))
_LOWEST = select(N.number).where(_IN_AREA).order_by(N.number).limit(1)
_HIGHEST = select(N.number).where(_IN_AREA).order_by(N.number.desc()).limit(1)
# Free numbers from `start` up: never-held ones and lapsed reservations. Two queries
# that each walk the (area_code, status, number) index in order and stop after `count`
# rows; one query with an OR across statuses would sort the whole pool.
_FROM_START = (N.area_code == bindparam("area_code"), N.number >= bindparam("start"))
_AVAILABLE_FROM = (
    select(N.number)
    .where(*_FROM_START, N.status == "available")
    .order_by(N.number)
    .limit(bindparam("count"))
)
_LAPSED_FROM = (
    select(N.number)
    .where(*_FROM_START, N.status == "reserved", N.reserved_until <= bindparam("now"))
    .order_by(N.number)
    .limit(bindparam("count"))
)
# A claim succeeds when the number is free (nobody holds it, or its holder's
# reservation has run out) or this order already holds it (a renewal).
_CLAIM = (
    update(NUMBERS)
    .where(
        N.number == bindparam("target"),
        or_(
            N.status == "available",
            and_(N.status == "reserved", N.reserved_until <= bindparam("now")),
            and_(N.status == "reserved", N.order_id == bindparam("holder")),
        ),
    )
    .values(
        status="reserved",
        order_id=bindparam("holder"),
        item_id=bindparam("item"),
        reserved_until=bindparam("until"),
        updated_at=bindparam("now"),
    )
)
_EXISTS = select(N.number).where(N.number == bindparam("target"))
_OTHERS_HELD_FOR_ITEM = (
    select(N.number)
    .where(
        N.order_id == bindparam("holder"),
        N.item_id == bindparam("item"),
        N.status == "reserved",
        N.number != bindparam("target"),
    )
    .order_by(N.updated_at)
)
# Bind names differ from column names: update() reserves those for its SET clause.
_FREED = {"status": "available", "order_id": None, "item_id": None, "reserved_until": None}
_RELEASE_ALL = (
    update(NUMBERS)
    .where(N.order_id == bindparam("holder"))
    .values({**_FREED, "updated_at": bindparam("now")})
)
_RELEASE_ONE = _RELEASE_ALL.where(N.number == bindparam("target"))
_HELD_BY = (
    select(NUMBERS)
    # Two comparisons, not IN (...): a literal IN list is rendered again at every call.
    .where(N.order_id == bindparam("holder"), or_(N.status == "reserved", N.status == "assigned"))
    .order_by(N.number)
)
_ASSIGN = (
    update(NUMBERS)
    .where(
        N.order_id == bindparam("holder"),
        N.status == "reserved",
        N.reserved_until > bindparam("now"),
    )
    .values(status="assigned", reserved_until=None, updated_at=bindparam("now"))
    .returning(N.number, N.item_id)
)
# The customer's area is the ZIP code of their first address, as ordering_facts reads it.
_CUSTOMER_ZIP = (
    select(ADDRESSES.c.zip_code)
    .where(ADDRESSES.c.customer_id == bindparam("customer"))
    .order_by(ADDRESSES.c.kind)
    .limit(1)
    .scalar_subquery()
)
_TARGET = select(NUMBERS).where(N.number == bindparam("target"))
# One statement for a requested number's state and the customer's area.
_ASKED = select(
    _CUSTOMER_ZIP.label("zip_code"),
    _TARGET.with_only_columns(N.status).scalar_subquery().label("status"),
    _TARGET.with_only_columns(N.order_id).scalar_subquery().label("holder"),
    _TARGET.with_only_columns(N.reserved_until).scalar_subquery().label("reserved_until"),
)
# What a reservation is checked against, in one statement: the credit policy, the
# customer's area, and the order's live reservations other than the number asked for
# (all of them and the item's). The order row is locked (orders.claim_for_change), so
# no other reservation of this order runs between this count and the claim.
_CREDIT = select(CREDIT).where(CREDIT.c.order_id == bindparam("holder"))
_LIVE_HELD = (
    select(func.count())
    .select_from(NUMBERS)
    .where(
        N.order_id == bindparam("holder"),
        N.status == "reserved",
        N.reserved_until > bindparam("now"),
        N.number != bindparam("target"),
    )
)
_RESERVE_FACTS = select(
    _CREDIT.with_only_columns(CREDIT.c.decision).scalar_subquery().label("decision"),
    _CREDIT.with_only_columns(CREDIT.c.max_lines).scalar_subquery().label("max_lines"),
    _CUSTOMER_ZIP.label("zip_code"),
    _LIVE_HELD.scalar_subquery().label("held"),
    _LIVE_HELD.where(N.item_id == bindparam("item")).scalar_subquery().label("held_for_item"),
)
_KNOWN_BETWEEN = select(N.number).where(N.number.between(bindparam("low"), bindparam("high")))
_ADD = insert(NUMBERS)
# A NANP area code or exchange: three digits, the first neither 0 nor 1.
_NANP_PART = re.compile(r"[2-9][0-9]{2}")


class NumberUnavailable(Conflict):
    code = "number_unavailable"
    title = "Number unavailable"


class CreditRequired(Conflict):
    code = "credit_required"
    title = "Credit not accepted"


class MaxLinesExceeded(Conflict):
    code = "max_lines_exceeded"
    title = "Credit policy line limit reached"


@dataclass(frozen=True)
class Reservation:
    number: str
    item_id: str
    reserved_until: datetime


def search(session: Session, *, area_code: str, count: int) -> list[str]:
    """Up to `count` free numbers in the area code, from a random point of its pool,
    so that concurrent shoppers are not all offered the same few numbers."""
    bounds = _pool_bounds(session, area_code)
    if bounds is None:
        return []
    low, high = bounds
    start = str(low + secrets.randbelow(high - low + 1))
    found = _free_from(session, area_code, start, count, utcnow())
    if len(found) < count:  # wrap around to the bottom of the pool
        found += _free_from(session, area_code, str(low), count - len(found), utcnow())
        found = sorted(set(found))[:count]
    return found


def check(session: Session, *, order: Row, number: str) -> rules.Availability:
    """Whether the order may have this number and, if not, why (never who holds it)."""
    facts = session.execute(_ASKED, {"target": number, "customer": order.customer_id}).one()
    return rules.availability(
        number=number,
        status=facts.status,
        holder=facts.holder,
        reserved_until=facts.reserved_until,
        order_id=order.id,
        zip_code=facts.zip_code,
        now=utcnow(),
    )


def _pool_bounds(session: Session, area_code: str) -> tuple[int, int] | None:
    params = {"low": f"{area_code}0000000", "high": f"{area_code}9999999"}
    low = session.execute(_LOWEST, params).scalar()
    if low is None:
        return None
    high = session.execute(_HIGHEST, params).scalar()
    return int(low), int(high)


def _free_from(
    session: Session, area_code: str, start: str, count: int, now: datetime
) -> list[str]:
    params = {"area_code": area_code, "start": start, "count": count, "now": now}
    available = session.execute(_AVAILABLE_FROM, params).scalars().all()
    lapsed = session.execute(_LAPSED_FROM, params).scalars().all()
    return sorted([*available, *lapsed])[:count]


def reserve(
    session: Session, *, order: Row, item_id: str, number: str, ttl_seconds: int, actor: str
) -> Reservation:
    """Hold a number for one line of the order until the reservation expires.

    Reserving the number the order already holds renews it; when the item already
    holds all the numbers it needs, its oldest reservation goes back to the pool.
    """
    require_draft(order.status)
    item = next((i for i in orders.items_of(session, order_id=order.id) if i.id == item_id), None)
    if item is None:
        raise ValidationFailed.one("itemId", "unknown_item", f"The order has no item '{item_id}'.")
    if item.lines == 0:
        raise ValidationFailed.one(
            "itemId", "item_has_no_lines", f"Item '{item.name}' has no phone line to number."
        )
    now = utcnow()
    until = now + timedelta(seconds=ttl_seconds)
    params = {"target": number, "holder": order.id, "item": item_id}
    _check_policy(session, order=order, item_lines=item.lines, params=params | {"now": now})
    claimed = session.execute(_CLAIM, params | {"now": now, "until": until}).rowcount
    if claimed != 1:
        if session.execute(_EXISTS, {"target": number}).first() is None:
            raise NotFound(f"Number {number} is not in the pool.", code="number_not_found")
        raise NumberUnavailable(f"Number {number} is held by another order.")

    held = session.execute(_OTHERS_HELD_FOR_ITEM, params).scalars().all()
    for extra in held[: max(0, len(held) + 1 - item.lines)]:
        release(session, order_id=order.id, number=extra)
        ledger.record(
            session,
            order_id=order.id,
            type="number.released",
            actor=actor,
            data={"number": extra, "itemId": item_id},
        )
    ledger.record(
        session,
        order_id=order.id,
        type="number.reserved",
        actor=actor,
        data={"number": number, "itemId": item_id, "reservedUntil": until.isoformat()},
    )
    return Reservation(number, item_id, until)


def _check_policy(session: Session, *, order: Row, item_lines: int, params: dict) -> None:
    """Seed 001's order: numbers come after the credit policy has set the line limit, and
    a reservation that would hold more lines than it allows is refused now, not at submit;
    a number must be local to the customer's service address."""
    facts = session.execute(_RESERVE_FACTS, params | {"customer": order.customer_id}).one()
    if facts.decision is None:
        raise CreditRequired(
            "Submit the credit application before reserving numbers: its policy sets how "
            "many lines the order may have.",
            errors=[FieldProblem("credit", "credit_required", "No credit application yet.")],
        )
    if facts.decision != "approved":
        message = f"The credit decision is {facts.decision}; numbers need an approval."
        raise CreditRequired(
            message,
            errors=[FieldProblem("credit", "credit_required", message)],
            extra={"decision": facts.decision},
        )
    number = params["target"]
    if not rules.in_area(number, facts.zip_code):
        raise ValidationFailed.one(
            "number",
            "number_not_in_area",
            f"Number {number} is not local to the customer's service address.",
        )
    lines = rules.lines_after_reserving(
        held=facts.held, held_for_item=facts.held_for_item, item_lines=item_lines
    )
    if lines > facts.max_lines:
        message = (
            f"The credit policy allows {facts.max_lines} line(s); this reservation would "
            f"make {lines}."
        )
        raise MaxLinesExceeded(
            message,
            errors=[FieldProblem("number", "max_lines_exceeded", message)],
            extra={"maxLines": facts.max_lines, "lines": lines},
        )


def release(session: Session, *, order_id: str, number: str | None = None) -> None:
    """Give the order's numbers (or one of them) back to the pool."""
    params = {"holder": order_id, "now": utcnow()}
    if number is None:
        session.execute(_RELEASE_ALL, params)
    else:
        session.execute(_RELEASE_ONE, params | {"target": number})


def held_by(session: Session, *, order_id: str) -> list[Row]:
    """The numbers an order holds (reserved or assigned), expired ones included."""
    return list(session.execute(_HELD_BY, {"holder": order_id}))


def assign(session: Session, *, order_id: str, expected: int, now: datetime) -> list[Row]:
    """Turn the order's live reservations into assignments; all of them or a 409.

    Returns the assigned numbers (`number`, `item_id`)."""
    assigned = session.execute(_ASSIGN, {"holder": order_id, "now": now}).all()
    if len(assigned) != expected:
        raise NumberUnavailable(
            "A reserved number was lost while submitting; reserve the numbers again.",
            code="reservation_lost",
        )
    return assigned


def load(session: Session, *, data: dict[str, Any]) -> tuple[int, int]:
    """Add the blocks of a document's `numberPools` to the pool, keeping the numbers it
    already has as they are (held or not); returns (numbers added, numbers already there)."""
    added = wanted = 0
    for pool in data["numberPools"]:
        wanted += pool["count"]
        added += add_numbers(
            session,
            area_code=pool["areaCode"],
            exchange=pool["exchange"],
            first=pool["first"],
            count=pool["count"],
        )
    return added, wanted - added


def add_numbers(session: Session, *, area_code: str, exchange: str, first: int, count: int) -> int:
    """Add the block `area_code exchange first..first+count-1` to the pool, skipping known
    ones; returns how many were added."""
    if not (_NANP_PART.fullmatch(area_code) and _NANP_PART.fullmatch(exchange)):
        raise ValueError(
            f"number pool {area_code}-{exchange}: area code and exchange must be three "
            "digits, the first of them 2 to 9"
        )
    if first < 0 or count < 1 or first + count > 10_000:
        raise ValueError(
            f"number pool {area_code}-{exchange}: lines {first} to {first + count - 1} "
            "are not within 0000 to 9999"
        )
    wanted = [f"{area_code}{exchange}{line:04d}" for line in range(first, first + count)]
    known = set(session.scalars(_KNOWN_BETWEEN, {"low": wanted[0], "high": wanted[-1]}))
    rows = [
        {"number": n, "area_code": area_code, "status": "available"}
        for n in wanted
        if n not in known
    ]
    if rows:
        session.execute(_ADD, rows)
    return len(rows)
