"""Migration 0018 (first-class opportunities) on a database with quotes from before it:
each opportunity id the quotes carried becomes an opportunity, won when an order came
from its quote, open otherwise; afterwards an opportunity may hold several quotes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, Integer, MetaData, insert, select

from orderhub import migrate
from orderhub.db import Database
from orderhub.opportunities import service as opportunities

BEFORE = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
ORDERED = BEFORE + timedelta(days=2)


def _row(table: Any, **given: Any) -> dict[str, Any]:
    """The values given, and a plain value for each other required column (the test is
    about the ids, the opportunity and the times; the rest only has to be there)."""
    row = dict(given)
    for column in table.c:
        if column.name in row or column.nullable:
            continue
        if isinstance(column.type, DateTime):
            row[column.name] = BEFORE
        elif isinstance(column.type, Date):
            row[column.name] = date(2026, 12, 8)
        elif isinstance(column.type, Boolean):
            row[column.name] = False
        elif isinstance(column.type, Integer):
            row[column.name] = 0
        elif isinstance(column.type, JSON):
            row[column.name] = {}
        else:
            row[column.name] = "x"
    return row


def _fill_at_0017(database: Database) -> None:
    """A partner with two quotes for one customer, each under its own opportunity id (as
    before 0018): the first signed and ordered, the second still a draft."""
    meta = MetaData()
    meta.reflect(database.engine)
    t = meta.tables
    customer = {"customer_id": "bcu_before"}
    with database.engine.begin() as conn:

        def add(table: str, /, **values: Any) -> None:
            conn.execute(insert(t[table]), _row(t[table], **values))

        add("partners", id="prt_before")
        add("business_customers", id="bcu_before")
        for n, opportunity in ((1, "opp_ordered"), (2, "opp_drafted")):
            add(
                "quotes",
                id=f"quo_{n}",
                opportunity_id=opportunity,
                partner_id="prt_before",
                name=f"Quote {n}",
                status="validated" if n == 1 else "draft",
                created_at=BEFORE + timedelta(hours=n),
                updated_at=BEFORE + timedelta(hours=n + 1),
                **customer,
            )
        add(
            "business_credit_decisions",
            id="bcd_1",
            partner_id="prt_before",
            quote_id="quo_1",
            **customer,
        )
        add(
            "contracts",
            id="con_1",
            partner_id="prt_before",
            quote_id="quo_1",
            credit_decision_id="bcd_1",
            **customer,
        )
        add("orders", id="bor_1", created_at=ORDERED, updated_at=ORDERED)
        add(
            "partner_orders",
            id="bor_1",
            partner_id="prt_before",
            quote_id="quo_1",
            contract_id="con_1",
            created_at=ORDERED,
            updated_at=ORDERED,
            **customer,
        )


def test_quotes_opportunity_ids_become_opportunities_won_or_open(empty_database_url):
    database = Database(empty_database_url)
    try:
        migrate.upgrade(database, revision="0017")
        _fill_at_0017(database)
        migrate.upgrade(database)  # to head: 0018, the opportunities

        with database.transaction(write=False) as session:
            rows = {
                row.id: row
                for row in session.execute(
                    select(opportunities.OPPORTUNITIES).order_by(opportunities.OPPORTUNITIES.c.id)
                )
            }
        assert set(rows) == {"opp_ordered", "opp_drafted"}
        won, drafted = rows["opp_ordered"], rows["opp_drafted"]
        assert (won.status, won.won_quote_id, won.won_order_id) == ("won", "quo_1", "bor_1")
        assert won.closed_at == won.updated_at == ORDERED
        assert (drafted.status, drafted.won_quote_id, drafted.closed_at) == ("open", None, None)
        assert drafted.name == "Quote 2" and drafted.created_at == BEFORE + timedelta(hours=2)
        assert {(r.partner_id, r.customer_id) for r in rows.values()} == {
            ("prt_before", "bcu_before")
        }

        # The migrated open opportunity takes another quote; the won one refuses.
        with database.transaction() as session:
            claimed = opportunities.claim_for_quote(
                session, partner_id="prt_before", opportunity_id="opp_drafted"
            )
            meta = MetaData()
            meta.reflect(session.connection())
            quotes = meta.tables["quotes"]
            session.execute(
                insert(quotes),
                _row(
                    quotes,
                    id="quo_3",
                    opportunity_id=claimed.id,
                    partner_id="prt_before",
                    customer_id="bcu_before",
                    created_at=ORDERED + timedelta(days=1),
                ),
            )
        with database.transaction(write=False) as session:
            listed = opportunities.detail(
                session,
                opportunity=opportunities.get_for_partner(
                    session, partner_id="prt_before", opportunity_id="opp_drafted"
                ),
            )
        assert [q.id for q in listed.quotes] == ["quo_2", "quo_3"]
    finally:
        database.dispose()
