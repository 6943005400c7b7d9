"""How many orders the ledger takes, for the console's dashboard: per channel and state
since the start of the UTC day and of the UTC week (Monday), per hour over the last day,
and the newest orders. Each is one statement over the index on `created_at`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import Row, String, bindparam, case, func, literal_column, select
from sqlalchemy.orm import Session

from orderhub.ledger.models import Order

ORDERS = Order.__table__
HOURS = 24

_COUNTS = (
    select(
        ORDERS.c.channel,
        ORDERS.c.state,
        func.count().label("week"),
        func.sum(case((ORDERS.c.created_at >= bindparam("b_today"), 1), else_=0)).label("today"),
    )
    .where(ORDERS.c.created_at >= bindparam("b_week"))
    .group_by(ORDERS.c.channel, ORDERS.c.state)
)


def _hour(dialect: str) -> Any:
    """An order's UTC hour as text, "YYYY-MM-DD HH" (SQLite keeps UTC times as text)."""
    # Literal SQL: a bound format would make PostgreSQL's GROUP BY differ from the SELECT.
    if dialect == "sqlite":
        return literal_column("substr(orders.created_at, 1, 13)", String)
    return literal_column(
        "to_char(orders.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24')", String
    )


def _per_hour(dialect: str) -> Any:
    hour = _hour(dialect).label("hour")
    return (
        select(hour, func.count().label("count"))
        .where(ORDERS.c.created_at >= bindparam("b_since"))
        .group_by(hour)
    )


_PER_HOUR = {dialect: _per_hour(dialect) for dialect in ("postgresql", "sqlite")}
_NEWEST = (
    select(
        ORDERS.c.id,
        ORDERS.c.channel,
        ORDERS.c.state,
        ORDERS.c.status,
        ORDERS.c.party_kind,
        ORDERS.c.created_at,
        ORDERS.c.updated_at,
    )
    .order_by(ORDERS.c.created_at.desc(), ORDERS.c.id.desc())
    .limit(bindparam("b_limit"))
)


class Period(NamedTuple):
    today: datetime  # 00:00 UTC today
    week: datetime  # 00:00 UTC on this week's Monday


class Hour(NamedTuple):
    start: datetime
    count: int


def period(now: datetime) -> Period:
    today = now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    return Period(today, today - timedelta(days=today.weekday()))


def counts(session: Session, *, now: datetime) -> list[Row]:
    """Per channel and state: orders created this UTC week (`week`) and today (`today`)."""
    since = period(now)
    return list(session.execute(_COUNTS, {"b_today": since.today, "b_week": since.week}))


def per_hour(session: Session, *, now: datetime) -> list[Hour]:
    """Orders created in each of the last 24 hours (UTC), the current hour last."""
    current = now.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    first = current - timedelta(hours=HOURS - 1)
    statement = _PER_HOUR[session.get_bind().dialect.name]
    found = dict(session.execute(statement, {"b_since": first}).all())
    hours = [first + timedelta(hours=i) for i in range(HOURS)]
    return [Hour(h, int(found.get(h.strftime("%Y-%m-%d %H"), 0))) for h in hours]


def newest(session: Session, *, limit: int) -> list[Row]:
    """The newest orders of every channel."""
    return list(session.execute(_NEWEST, {"b_limit": limit}))
