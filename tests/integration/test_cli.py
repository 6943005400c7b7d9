"""The `orderhub` command's data commands and the in-process demo, on both backends."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from orderhub.catalog.models import Offer
from orderhub.cli import app
from orderhub.ledger.models import Order

runner = CliRunner()


@pytest.fixture(autouse=True)
def _restore_environment(monkeypatch):
    # The CLI exports ORDERHUB_DATABASE_URL for its worker processes; undo that after.
    monkeypatch.setenv("ORDERHUB_DATABASE_URL", "sqlite:///unused-by-these-tests.db")


def test_catalog_load_adds_and_updates_offers(database_url, database, tmp_path):
    catalog = tmp_path / "catalog.json"
    catalog.write_text(
        json.dumps(
            {
                "offers": [
                    {
                        "id": "plan-test",
                        "name": "Test plan",
                        "category": "plan",
                        "monthlyCents": 1234,
                    },
                    {
                        "id": "plan-unlimited-extra",
                        "name": "Unlimited Extra (new name)",
                        "category": "plan",
                        "monthlyCents": 6600,
                    },
                ]
            }
        )
    )
    result = runner.invoke(app, ["catalog", "load", str(catalog), "--database-url", database_url])
    assert result.exit_code == 0, result.output
    with database.transaction(write=False) as session:
        assert session.get(Offer, "plan-test").monthly_cents == 1234
        assert session.get(Offer, "plan-test").lines == 1
        assert session.get(Offer, "plan-unlimited-extra").name == "Unlimited Extra (new name)"


def test_catalog_load_refuses_an_unknown_category_and_changes_nothing(
    database_url, database, tmp_path
):
    catalog = tmp_path / "catalog.json"
    catalog.write_text(
        json.dumps(
            {
                "offers": [
                    {"id": "plan-ok", "name": "OK", "category": "plan"},
                    {"id": "x", "name": "X", "category": "spaceship"},
                ]
            }
        )
    )
    result = runner.invoke(app, ["catalog", "load", str(catalog), "--database-url", database_url])
    assert result.exit_code == 1
    assert "spaceship" in result.output
    with database.transaction(write=False) as session:
        assert session.get(Offer, "plan-ok") is None


def test_sandbox_load_twice_adds_nothing_the_second_time(database_url):
    result = runner.invoke(app, ["sandbox", "load", "--database-url", database_url])
    assert result.exit_code == 0, result.output
    assert "0 customers and 0 numbers added" in result.output


def test_demo_in_process_submits_an_order(database_url, database):
    result = runner.invoke(app, ["demo", "--in-process", "--database-url", database_url])
    assert result.exit_code == 0, result.output
    assert "Submitted order" in result.output
    with database.transaction(write=False) as session:
        submitted = session.scalar(
            select(func.count()).select_from(Order).where(Order.status == "submitted")
        )
    assert submitted == 1


def _draft_order(database) -> str:
    from orderhub.identity.tokens import Principal
    from orderhub.orders import service as orders

    with database.transaction() as session:
        return orders.create(
            session,
            principal=Principal("2145550100", "cus_alex_bell", 2**31),
            customer_id=None,
            new_customer=None,
            items=[orders.ItemRequest("dev-pixel-10", 1)],
        )


def test_operators_move_orders_along_the_state_table_only(database_url, database):
    order_id = _draft_order(database)
    refused = runner.invoke(
        app, ["orders", "set-status", order_id, "completed", "--database-url", database_url]
    )
    assert refused.exit_code == 1
    assert "cannot become 'completed'" in refused.output
    ok = runner.invoke(
        app,
        [
            "orders",
            "set-status",
            order_id,
            "cancelled",
            "--reason",
            "dup",
            "--database-url",
            database_url,
        ],
    )
    assert ok.exit_code == 0, ok.output
    with database.transaction(write=False) as session:
        assert session.get(Order, order_id).status == "cancelled"


def test_operators_cannot_submit_by_setting_the_status(database_url, database):
    order_id = _draft_order(database)
    refused = runner.invoke(
        app, ["orders", "set-status", order_id, "submitted", "--database-url", database_url]
    )
    assert refused.exit_code == 1
    with database.transaction(write=False) as session:
        assert session.get(Order, order_id).status == "draft"
