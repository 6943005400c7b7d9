"""The telephone-number pool: search, reserve for an order line, assign on submit.

Claims are conditional UPDATEs checked by rowcount, so of two clients racing for one
number exactly one wins, on SQLite and on PostgreSQL alike.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session

from orderhub.errors import Conflict, NotFound, ValidationFailed
from orderhub.ids import utcnow
from orderhub.numbers.models import PhoneNumber
from orderhub.orders.models import Order
from orderhub.orders.service import record_event
from orderhub.orders.states import require_draft


class NumberUnavailable(Conflict):
    code = "number_unavailable"
    title = "Number unavailable"


def _free_at(now: datetime):
    """A number is free when nobody holds it or its holder's reservation has run out."""
    return or_(
        PhoneNumber.status == "available",
        and_(PhoneNumber.status == "reserved", PhoneNumber.reserved_until <= now),
    )


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


def _pool_bounds(session: Session, area_code: str) -> tuple[int, int] | None:
    """Lowest and highest number of the area code, each one primary-key lookup."""
    in_area = PhoneNumber.number.between(f"{area_code}0000000", f"{area_code}9999999")
    low = session.scalar(
        select(PhoneNumber.number).where(in_area).order_by(PhoneNumber.number).limit(1)
    )
    if low is None:
        return None
    high = session.scalar(
        select(PhoneNumber.number).where(in_area).order_by(PhoneNumber.number.desc()).limit(1)
    )
    return int(low), int(high)


def _free_from(
    session: Session, area_code: str, start: str, count: int, now: datetime
) -> list[str]:
    """Free numbers from `start` up: never-held ones and lapsed reservations.

    Two queries that each walk the (area_code, status, number) index in order and stop
    after `count` rows; one query with an OR across statuses would sort the whole pool.
    """

    def first(*conditions) -> list[str]:
        return list(
            session.scalars(
                select(PhoneNumber.number)
                .where(PhoneNumber.area_code == area_code, PhoneNumber.number >= start, *conditions)
                .order_by(PhoneNumber.number)
                .limit(count)
            )
        )

    available = first(PhoneNumber.status == "available")
    lapsed = first(PhoneNumber.status == "reserved", PhoneNumber.reserved_until <= now)
    return sorted(available + lapsed)[:count]


def reserve(
    session: Session, *, order: Order, item_id: str, number: str, ttl_seconds: int, actor: str
) -> PhoneNumber:
    """Hold a number for one line of the order until the reservation expires.

    Reserving the number the order already holds renews it; when the item already
    holds all the numbers it needs, its oldest reservation goes back to the pool.
    """
    require_draft(order.status)
    item = next((i for i in order.items if i.id == item_id), None)
    if item is None:
        raise ValidationFailed.one("itemId", "unknown_item", f"The order has no item '{item_id}'.")
    if item.lines == 0:
        raise ValidationFailed.one(
            "itemId", "item_has_no_lines", f"Item '{item.name}' has no phone line to number."
        )
    now = utcnow()
    until = now + timedelta(seconds=ttl_seconds)
    claimed = session.execute(
        update(PhoneNumber)
        .where(
            PhoneNumber.number == number,
            or_(
                _free_at(now),
                and_(PhoneNumber.status == "reserved", PhoneNumber.order_id == order.id),
            ),
        )
        .values(
            status="reserved",
            order_id=order.id,
            item_id=item_id,
            reserved_until=until,
            updated_at=now,
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        if session.get(PhoneNumber, number) is None:
            raise NotFound(f"Number {number} is not in the pool.", code="number_not_found")
        raise NumberUnavailable(f"Number {number} is held by another order.")

    held = session.scalars(
        select(PhoneNumber)
        .where(
            PhoneNumber.order_id == order.id,
            PhoneNumber.item_id == item_id,
            PhoneNumber.status == "reserved",
            PhoneNumber.number != number,
        )
        .order_by(PhoneNumber.updated_at)
    ).all()
    for extra in held[: max(0, len(held) + 1 - item.lines)]:
        release(session, order_id=order.id, number=extra.number)
        record_event(
            session,
            order_id=order.id,
            type="number.released",
            actor=actor,
            data={"number": extra.number, "itemId": item_id},
        )
    order.updated_at = now
    record_event(
        session,
        order_id=order.id,
        type="number.reserved",
        actor=actor,
        data={"number": number, "itemId": item_id, "reservedUntil": until.isoformat()},
    )
    return session.get(PhoneNumber, number, populate_existing=True)


def release(session: Session, *, order_id: str, number: str | None = None) -> None:
    """Give the order's numbers (or one of them) back to the pool."""
    stmt = update(PhoneNumber).where(PhoneNumber.order_id == order_id)
    if number is not None:
        stmt = stmt.where(PhoneNumber.number == number)
    session.execute(
        stmt.values(
            status="available",
            order_id=None,
            item_id=None,
            reserved_until=None,
            updated_at=utcnow(),
        ).execution_options(synchronize_session=False)
    )


def held_by(session: Session, *, order_id: str) -> list[PhoneNumber]:
    """The numbers an order holds (reserved or assigned), expired ones included."""
    return list(
        session.scalars(
            select(PhoneNumber)
            .where(
                PhoneNumber.order_id == order_id, PhoneNumber.status.in_(("reserved", "assigned"))
            )
            .order_by(PhoneNumber.number)
        )
    )


def assign(session: Session, *, order_id: str, expected: int, now: datetime) -> None:
    """Turn the order's live reservations into assignments; all of them or a 409."""
    assigned = session.execute(
        update(PhoneNumber)
        .where(
            PhoneNumber.order_id == order_id,
            PhoneNumber.status == "reserved",
            PhoneNumber.reserved_until > now,
        )
        .values(status="assigned", reserved_until=None, updated_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if assigned != expected:
        raise NumberUnavailable(
            "A reserved number was lost while submitting; reserve the numbers again.",
            code="reservation_lost",
        )
