"""Migration 0013 on a database filled by the demos of all four flows, as the code before
the ledger left it: every channel's orders land in the ledger with their common state,
references and history, and the channel APIs read them as before.

`tests/data/demos_at_0012.json` is that database, dumped table by table (made once by
running `orderhub demo` for each flow, plus a cancelled and a draft consumer order, with
the code at revision 0012; available phone numbers left out).
"""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Date, DateTime, MetaData, func, select, text

from orderhub import migrate
from orderhub.app import create_app
from orderhub.db import Database
from orderhub.ledger.models import Order, OrderEvent, OrderReference
from tests.api.b2b_helpers import partner_headers

DUMP = json.loads((Path(__file__).parents[1] / "data" / "demos_at_0012.json").read_text())


def _value(column: Any, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(column.type, DateTime) and isinstance(value, str):
        moment = datetime.fromisoformat(value)
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    if isinstance(column.type, Date) and isinstance(value, str):
        return date.fromisoformat(value[:10])
    return value


def _load(database: Database) -> None:
    """The dump's rows into a database at revision 0012, parents before children."""
    meta = MetaData()
    meta.reflect(database.engine)
    with database.engine.begin() as conn:
        for table in meta.sorted_tables:
            rows = DUMP["tables"].get(table.name)
            if rows:
                conn.execute(
                    table.insert(),
                    [{k: _value(table.c[k], v) for k, v in row.items()} for row in rows],
                )
        if database.engine.dialect.name == "postgresql":
            # Rows came with their ids: move each id sequence past them.
            for table in meta.sorted_tables:
                for column in table.primary_key.columns:
                    if column.autoincrement is True or (
                        column.type.python_type is int and len(table.primary_key.columns) == 1
                    ):
                        conn.execute(
                            text(
                                f"SELECT setval(pg_get_serial_sequence('{table.name}', "
                                f"'{column.name}'), (SELECT coalesce(max({column.name}), 0) + 1 "
                                f"FROM {table.name}), false) "
                                f"WHERE pg_get_serial_sequence('{table.name}', '{column.name}') "
                                "IS NOT NULL"
                            )
                        )


def test_every_channels_orders_move_into_the_ledger(empty_database_url, settings):
    assert DUMP["revision"] == "0012"
    database = Database(empty_database_url)
    try:
        migrate.upgrade(database, revision="0012")
        _load(database)
        migrate.upgrade(database)  # to head: 0013, the ledger

        with database.transaction(write=False) as session:
            ledger = {row.id: row for row in session.execute(select(Order.__table__)).all()}
            history = session.execute(
                select(OrderEvent.order_id, func.count()).group_by(OrderEvent.order_id)
            ).all()
            references = session.execute(select(OrderReference.__table__)).all()
    finally:
        database.dispose()

    dumped = DUMP["tables"]
    by_channel: dict[str, list[Any]] = {}
    for row in ledger.values():
        by_channel.setdefault(row.channel, []).append(row)
    # One ledger row per order of each channel, with the same id.
    assert {r.id for r in by_channel["direct"]} == {o["id"] for o in dumped["orders"]}
    assert {r.id for r in by_channel["partner"]} == {o["id"] for o in dumped["partner_orders"]}
    assert {r.id for r in by_channel["onboarding"]} == {
        o["id"] for o in dumped["onboarding_orders"]
    }
    assert {r.id for r in by_channel["care"]} == {o["id"] for o in dumped["care_orders"]}
    # The common state follows each channel's status.
    states = {(r.channel, r.status): r.state for r in ledger.values()}
    assert states[("direct", "submitted")] == "acknowledged"
    assert states[("direct", "cancelled")] == "cancelled"
    assert states[("direct", "draft")] == "pending"
    assert states[("partner", "completed")] == "completed"
    assert states[("onboarding", "submitted")] == "completed"
    assert states[("care", "completed")] == "completed"
    for row in ledger.values():
        assert row.owner.startswith("customer:" if row.channel == "direct" else "partner:")
        assert row.party_id
        assert (row.completed_at is not None) == (
            row.state in ("completed", "cancelled", "rejected", "failed", "partial")
        )
    [partner] = by_channel["partner"]
    assert partner.party_kind == "business_customer"
    assert partner.monthly_cents == dumped["partner_orders"][0]["monthly_cents"] > 0
    # Every history row moved: consumer rows stay, partner and onboarding rows join them,
    # and each care order gets its `received` row.
    counts = dict(history)
    assert counts[partner.id] == len(dumped["partner_order_events"])
    [onboarding] = by_channel["onboarding"]
    assert counts[onboarding.id] == len(dumped["onboarding_order_events"])
    assert sum(counts[o["id"]] for o in dumped["orders"]) == len(dumped["order_events"])
    assert counts[by_channel["care"][0].id] == 1
    # References: the partner order's quote, opportunity, contract and acknowledgement,
    # the care order's message id, the onboarding order's account number.
    kinds = {(r.order_id, r.kind) for r in references}
    assert {(partner.id, k) for k in ("quoteId", "opportunityId", "contractId")} <= kinds
    assert (partner.id, "acknowledgementId") in kinds
    assert (by_channel["care"][0].id, "messageId") in kinds
    assert (onboarding.id, "accountNumber") in kinds

    # The partner API reads the moved history as before.
    app = create_app(dataclasses.replace(settings, database_url=empty_database_url))
    with TestClient(app) as client:
        headers = partner_headers(client)
        answer = client.get(f"/b2b/v1/orders/{partner.id}/history", headers=headers)
        assert answer.status_code == 200, answer.text
        events = answer.json()["events"]
        assert len(events) == len(dumped["partner_order_events"])
        assert events[0]["type"] == "order.created"
        assert any(e["subOrderId"] for e in events)
        onboarding_answer = client.get(f"/onboarding/v1/orders/{onboarding.id}", headers=headers)
        assert onboarding_answer.status_code == 200, onboarding_answer.text
