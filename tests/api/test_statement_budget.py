"""How many SQL statements each call of a whole order runs: a budget, not a timing.

Statements per call is the figure of the hot path's cost that does not move with the
machine's load (docs/performance.md). A change that adds a query to a call fails here
and must raise the budget on purpose.
"""

from __future__ import annotations

import collections
import re

from sqlalchemy import Engine, event
from sqlalchemy.orm import ORMExecuteState, Session

from orderhub import demo

# Measured on SQLite, where BEGIN is a statement of its own (psycopg sends it unseen).
BUDGET = {
    # +1: the `ledger.order_opened` event, one INSERT (ledger/service.py announce_opened).
    "POST order/create": 15,
    # +5: the assigned numbers become PreActive lines in the inventory (account row the
    # first time, lines and their first history events, a lock on PostgreSQL).
    # +1: the `ledger.status_changed` event, one INSERT.
    # +1: the new lines' `inventory.product_created` events (TMF637), one INSERT.
    "POST order/submit": 20,  # PostgreSQL; SQLite 19 (no advisory lock, one BEGIN)
    "GET order/{id}/validate": 7,
    "GET order/{id}": 7,
    "POST order/{id}/credit.submit": 8,
    # The search starts at a random point of the pool (numbers/service.py search); when
    # fewer free numbers lie above it than were asked for, it wraps around to the bottom:
    # +2 (available and lapsed from the bottom). It was budgeted at 6, which failed the
    # few runs whose random start landed near the top of the demo's pool.
    "POST order/{id}/number.available": 8,
    # +1: what the reservation is checked against, in one SELECT: the customer's area
    # (issue 13 item 1) and, with item 5, the credit policy and the numbers already held.
    "PATCH order/{id}/number.reserve": 7,
    "POST order/{id}/fulfillment": 5,
    "PATCH order/{id}/fulfillment": 5,
    # +1: no code is sent while wrong codes have locked the phone (attempts.py).
    "POST auth/generateotp": 5,
    # +2: the phone's failed-attempt budget, claimed before the code is checked and given
    # back on success (identity/attempts.py).
    "POST auth": 6,
    "GET customers": 4,
    "GET order/{id}/credit.policy": 3,
    "GET messages": 2,
    # +1: the signed-in customer's eligibility facts (type, ZIP, existing lines) in one
    # SELECT, so the list is narrowed to what they may buy (issue 13 item 2).
    "GET offers": 3,
}


def test_each_call_of_a_whole_order_stays_within_its_statement_budget(client):
    counted: collections.Counter[str] = collections.Counter()
    current = ["setup"]

    def count(conn, cursor, statement, params, context, executemany) -> None:
        counted[current[0]] += 1

    send = client.request

    def tagged(method: str, url: str, *args, **kwargs):
        path = re.sub(r"ord_[a-z0-9]+", "{id}", str(url)).split("/v1/")[-1].split("/V1/")[-1]
        current[0] = f"{method} {path}"
        return send(method, url, *args, **kwargs)

    client.request = tagged
    client.patch = lambda url, **kwargs: tagged("PATCH", url, **kwargs)
    event.listen(Engine, "before_cursor_execute", count)
    try:
        demo.run(client)
    finally:
        event.remove(Engine, "before_cursor_execute", count)

    over = {call: n for call, n in counted.items() if n > BUDGET.get(call, 0)}
    assert not over, f"over budget: {over} (budget {BUDGET})"
    assert sum(counted.values()) <= sum(BUDGET.values())


def test_no_statement_of_a_whole_order_takes_the_orms_execution_path(client):
    """A Core statement that names a mapped class (`select(Customer.type)`) is executed as
    an ORM statement, about twice the cost of the same statement on table columns."""
    orm_statements: list[str] = []

    def seen(state: ORMExecuteState) -> None:
        if state.is_orm_statement:
            orm_statements.append(str(state.statement).split("\n")[0][:120])

    # The instance key is read through the ORM once per process, before any order.
    client.get("/healthz")
    event.listen(Session, "do_orm_execute", seen)
    try:
        demo.run(client)
    finally:
        event.remove(Session, "do_orm_execute", seen)
    assert orm_statements == []
