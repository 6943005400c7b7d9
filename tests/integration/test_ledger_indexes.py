"""The ledger's lookups read their indexes (migration 0016): the operator's newest-first
list by channel or by state, and the fulfillment worker's due orders, on each backend,
over a ledger shaped like a running one (thousands of finished orders, a few due)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Select, event, insert, text

from orderhub.ledger import queries
from orderhub.ledger.states import Channel, OrderState
from orderhub.orders import fulfillment_worker

NOW = datetime(2026, 12, 7, tzinfo=UTC)
# Most orders are consumers'; onboarding is the rare channel, and few orders are still
# in progress: the filters the indexes are for.
CHANNELS = [Channel.DIRECT] * 17 + [Channel.PARTNER, Channel.CARE]


def _channel(n: int) -> str:
    return Channel.ONBOARDING if n % 100 == 7 else CHANNELS[n % len(CHANNELS)]


def _fill(database, count: int = 4000) -> None:
    rows = []
    for n in range(count):
        channel = _channel(n)
        due = channel == Channel.DIRECT and n % 200 == 0  # a few still with fulfillment
        rows.append(
            {
                "id": f"ord_{n:06d}",
                "channel": channel,
                "owner": f"customer:c{n % 300}",
                "party_kind": "customer",
                "party_id": f"c{n % 300}",
                "status": "completed",
                "state": OrderState.IN_PROGRESS if n % 100 == 3 else OrderState.COMPLETED,
                "currency": "USD",
                "monthly_cents": 0,
                "one_time_cents": 0,
                "created_at": NOW - timedelta(minutes=count - n),
                "updated_at": NOW,
                "fulfillment_due_at": NOW if due else None,
            }
        )
    with database.engine.begin() as connection:
        connection.execute(insert(queries.ORDERS), rows)
        connection.execute(text("ANALYZE"))


def _plan(database, statement: Select, params: dict) -> str:
    """The planner's plan for the statement, as the backend prints it."""
    with database.engine.connect() as connection:
        explain = "EXPLAIN " if connection.dialect.name == "postgresql" else "EXPLAIN QUERY PLAN "

        @event.listens_for(connection, "before_cursor_execute", retval=True)
        def _explained(conn, cursor, sql, parameters, context, executemany):
            return explain + sql, parameters

        result = connection.execute(statement, params)
        return "\n".join(str(row) for row in result.cursor.fetchall())


def test_the_ledger_lookups_read_their_indexes(database):
    _fill(database)

    due = _plan(database, fulfillment_worker._DUE, {"now": NOW, "limit": 50})
    assert "ix_orders_fulfillment_due_at" in due, due

    def first_page(**where) -> Select:
        return queries._page(queries._Resolved(queries.OrderFilter(**where)), limit=20, offset=0)

    by_channel = _plan(database, first_page(channel=Channel.ONBOARDING), {})
    by_state = _plan(database, first_page(state=OrderState.IN_PROGRESS), {})
    assert "ix_orders_channel_created" in by_channel, by_channel
    assert "ix_orders_state_created" in by_state, by_state
    for plan in (by_channel, by_state):  # read in order: nothing left to sort
        assert "TEMP B-TREE" not in plan and "Sort" not in plan, plan
