"""Provisioning milestones applied on schedule (the worker's loop), by `orderhub worker
--once` and by `orderhub b2b advance`, each writing history and outbox events."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from orderhub.adapters.provisioning import SandboxProvisioning
from orderhub.app import create_app
from orderhub.cli import app as cli
from orderhub.ids import utcnow
from orderhub.partner_orders import provisioning_worker
from orderhub.webhooks.service import EVENTS
from tests.api.b2b_helpers import B2B, partner_headers, submitted_order

runner = CliRunner()


@pytest.fixture(autouse=True)
def _restore_environment(monkeypatch):
    # The CLI exports ORDERHUB_DATABASE_URL; undo that after each test.
    monkeypatch.setenv("ORDERHUB_DATABASE_URL", "sqlite:///unused-by-these-tests.db")


def _order(settings, **changes) -> tuple[TestClient, dict, dict]:
    client = TestClient(create_app(dataclasses.replace(settings, **changes)))
    client.__enter__()
    headers = partner_headers(client)
    return client, headers, submitted_order(client, headers)


def _statuses(database) -> list[str]:
    """The statuses the order's `order.status_changed` events announced, in order."""
    with database.transaction(write=False) as session:
        rows = session.execute(
            select(EVENTS.c.data)
            .where(EVENTS.c.type == "order.status_changed")
            .order_by(EVENTS.c.seq)
        )
        return [row.data["status"] for row in rows]


def test_due_orders_advance_one_milestone_per_step_and_others_wait(settings, database):
    client, headers, order = _order(settings, provisioning_step_seconds=30)
    sandbox = SandboxProvisioning(step_seconds=30)
    try:
        with database.transaction() as session:
            assert provisioning_worker.apply_due(session, provisioning=sandbox, now=utcnow()) == 0
        with database.transaction() as session:
            later = utcnow() + timedelta(seconds=31)
            assert provisioning_worker.apply_due(session, provisioning=sandbox, now=later) == 1
        with database.transaction() as session:
            # Just applied: the next check is a step away again.
            assert provisioning_worker.apply_due(session, provisioning=sandbox, now=later) == 0

        read = client.get(f"{B2B}/orders/{order['id']}", headers=headers).json()
        assert read["status"] == "accepted"
        assert {s["status"] for s in read["subOrders"]} == {"accepted"}
        assert _statuses(database) == ["submitted", "accepted"]
        history = client.get(f"{B2B}/orders/{order['id']}/history", headers=headers).json()
        assert history["events"][-1]["actor"] == "provisioning"
    finally:
        client.__exit__(None, None, None)


def test_worker_once_applies_every_due_milestone(settings, database, database_url):
    client, headers, order = _order(settings, provisioning_step_seconds=0)
    try:
        result = runner.invoke(
            cli,
            ["worker", "--once", "--database-url", database_url],
            env={"ORDERHUB_PROVISIONING_STEP_SECONDS": "0"},
        )

        assert result.exit_code == 0, result.output
        read = client.get(f"{B2B}/orders/{order['id']}", headers=headers).json()
        assert read["status"] == "completed"
        assert _statuses(database) == [
            "submitted",
            "accepted",
            "design",
            "installationScheduled",
            "installed",
            "completed",
        ]
    finally:
        client.__exit__(None, None, None)


def test_cli_advance_moves_an_order_now(settings, database_url):
    client, headers, order = _order(settings, provisioning_step_seconds=3600)
    try:
        moved = runner.invoke(
            cli, ["b2b", "advance", order["id"], "--steps", "2", "--database-url", database_url]
        )
        unknown = runner.invoke(cli, ["b2b", "advance", "bor_nope", "--database-url", database_url])

        assert moved.exit_code == 0, moved.output
        assert "design" in moved.output
        assert (
            client.get(f"{B2B}/orders/{order['id']}", headers=headers).json()["status"] == "design"
        )
        assert unknown.exit_code == 1 and "no B2B order" in unknown.output
    finally:
        client.__exit__(None, None, None)
