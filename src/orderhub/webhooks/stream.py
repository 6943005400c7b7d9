"""Every owner's events in one order that a reader can follow without skipping one: the
global stream, read by operations' polling and by the dispatcher that queues deliveries.

An event's `seq` is taken when it is inserted, but transactions commit in their own
order: on PostgreSQL an event with a lower `seq` can become visible after one with a
higher `seq` has been read, and a cursor on `seq` alone would skip it. (One owner's
events do commit in `seq` order: `publish` serializes a partner's publishers, for the
per-partner polling of `GET /b2b/v1/events`.)

So the stream is ordered by `(txid, seq)`, `txid` being the writing transaction's id
(`pg_current_xact_id()`, the column's default), and a read returns only events whose
transaction is older than the oldest transaction still running
(`pg_snapshot_xmin(pg_current_snapshot())`, taken in the same statement as the read).
Every transaction below that horizon has ended: committed (its events are visible now) or
rolled back (it has none). Any event that becomes visible later belongs to a transaction
at or above the horizon, so it sorts after everything the read returned: a reader that
resumes from the last `(txid, seq)` it saw never skips an event. The price: an event
shows up only once every transaction that started writing before it has ended, so a
long-running writing transaction (in any database of the server) holds the stream back
while it runs; nothing is lost.

On SQLite writers hold the one write lock from their first write to their commit, so
`seq` order is commit order: `txid` stays 0 and the stream is `seq` order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import BigInteger, Row, Text, bindparam, cast, func, select, tuple_
from sqlalchemy.orm import Session

from orderhub.webhooks.models import OutboxEvent

EVENTS = OutboxEvent.__table__
_TOKEN = re.compile(r"^([0-9]{1,19})-([0-9]{1,10})$")
MAX_TXID = 2**63 - 1
MAX_SEQ = 2**31 - 1


@dataclass(frozen=True, order=True)
class Position:
    """Where an event sits in the stream; a reader's cursor is the last one it has seen."""

    txid: int
    seq: int

    @property
    def token(self) -> str:
        """The cursor as clients see it (opaque to them)."""
        return f"{self.txid}-{self.seq}"

    @classmethod
    def parse(cls, token: str) -> Position | None:
        """The position a token names, or None if it names none."""
        found = _TOKEN.match(token)
        if found is None:
            return None
        txid, seq = int(found[1]), int(found[2])
        if txid > MAX_TXID or seq > MAX_SEQ:
            return None
        return cls(txid, seq)

    @classmethod
    def of(cls, event: Any) -> Position:
        return cls(event.txid, event.seq)


START = Position(0, 0)

# The oldest transaction still running, as the statement's own snapshot sees it: every
# transaction below it has ended. A scalar subquery, so it is computed once per statement.
_HORIZON = select(
    cast(cast(func.pg_snapshot_xmin(func.pg_current_snapshot()), Text), BigInteger)
).scalar_subquery()


def settled(dialect: str) -> list[Any]:
    """The condition that keeps events a reader could still be overtaken by out of a read:
    on PostgreSQL, those of transactions at or above the horizon (none on SQLite)."""
    return [EVENTS.c.txid < _HORIZON] if dialect == "postgresql" else []


def past(dialect: str, txid: Any, seq: Any) -> Any:
    """Events after the position `(txid, seq)` (bind parameters or expressions). On SQLite
    `txid` is always 0, so `seq` alone: its planner ranges an index over a row value's
    first column only, which would scan every event."""
    if dialect == "sqlite":
        return EVENTS.c.seq > seq
    return tuple_(EVENTS.c.txid, EVENTS.c.seq) > tuple_(txid, seq)


def in_order(dialect: str) -> list[Any]:
    """Stream order, as the index holds it."""
    return [EVENTS.c.seq] if dialect == "sqlite" else [EVENTS.c.txid, EVENTS.c.seq]


def _read(dialect: str) -> Any:
    return (
        select(EVENTS)
        .where(past(dialect, bindparam("b_txid"), bindparam("b_seq")), *settled(dialect))
        .order_by(*in_order(dialect))
        .limit(bindparam("limit"))
    )


DIALECTS = ("postgresql", "sqlite")
_READ = {dialect: _read(dialect) for dialect in DIALECTS}


def read(session: Session, *, after: Position, limit: int) -> list[Row]:
    """Up to `limit` events of every owner after `after`, in stream order; each row's
    position is `Position.of(row)`."""
    statement = _READ[session.get_bind().dialect.name]
    return list(
        session.execute(statement, {"b_txid": after.txid, "b_seq": after.seq, "limit": limit})
    )
