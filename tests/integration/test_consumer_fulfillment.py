"""Consumer orders move by themselves: the worker hands a submitted order to the
fulfillment port and applies each milestone on schedule (shipped, line activated,
completed), the sandbox's test values fail or delay it, operations and customers end the
schedule, and `orderhub orders advance` or the sandbox route take a step now."""

from __future__ import annotations

import dataclasses
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from orderhub.adapters.fulfillment import (
    DELAY_SECONDS,
    Handoff,
    Milestone,
    Progress,
    SandboxFulfillment,
    Step,
)
from orderhub.app import create_app
from orderhub.cli import app as cli
from orderhub.ids import utcnow
from orderhub.inventory.service import LINE_EVENTS, SUBSCRIBERS
from orderhub.ledger.service import EVENTS, REFERENCES
from orderhub.numbers.models import PhoneNumber
from orderhub.orders import fulfillment_worker, lifecycle
from orderhub.orders.service import ORDERS
from orderhub.orders.states import OrderStatus
from orderhub.surfaces.direct import sandbox_routes
from tests.helpers import (
    ALEX_ADDRESS,
    BASE,
    create_order,
    credit_body,
    fulfillment_body,
    reserve_any,
    sign_in,
)
from tests.integration.test_care_workers import Workers

STEP = 30.0
SANDBOX = SandboxFulfillment(STEP)
JORDAN_PHONE = "4695550111"
runner = CliRunner()


@pytest.fixture(autouse=True)
def _restore_environment(monkeypatch):
    # The CLI exports ORDERHUB_DATABASE_URL; undo that after each test.
    monkeypatch.setenv("ORDERHUB_DATABASE_URL", "sqlite:///unused-by-these-tests.db")


@pytest.fixture
def client(settings) -> Iterator[TestClient]:
    app = create_app(dataclasses.replace(settings, fulfillment_step_seconds=STEP))
    app.include_router(sandbox_routes.router)  # as app.py mounts it in sandbox mode
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def headers(client) -> dict[str, str]:
    return sign_in(client)


def submitted(client, headers, *, zip_code: str = "75201") -> tuple[str, str]:
    """A submitted order of a plan and a phone, shipped to `zip_code`: (id, its number)."""
    order = create_order(client, headers)
    oid = order["id"]
    client.post(f"{BASE}/v1/order/{oid}/credit.submit", json=credit_body(), headers=headers)
    shipping = fulfillment_body(shippingAddress=ALEX_ADDRESS | {"zipCode": zip_code})
    created = client.post(f"{BASE}/v1/order/{oid}/fulfillment", json=shipping, headers=headers)
    assert created.status_code == 200, created.text
    number = reserve_any(client, headers, order)
    done = client.post(f"{BASE}/v1/order/submit", json={"orderId": oid}, headers=headers)
    assert done.status_code == 200, done.text
    return oid, number


def due(database, now: datetime) -> int:
    with database.transaction() as session:
        return fulfillment_worker.apply_due(session, fulfillment=SANDBOX, now=now)


def order_row(database, order_id: str) -> Any:
    with database.transaction(write=False) as session:
        return session.execute(select(ORDERS).where(ORDERS.c.id == order_id)).one()


def line(database, ctn: str) -> Any:
    with database.transaction(write=False) as session:
        return session.execute(select(SUBSCRIBERS).where(SUBSCRIBERS.c.ctn == ctn)).first()


def number_row(database, number: str) -> Any:
    with database.transaction(write=False) as session:
        return session.get(PhoneNumber, number)


def events(client, headers, order_id: str) -> list[dict]:
    read = client.get(f"{BASE}/v1/order/{order_id}", headers=headers).json()
    return read["events"][[e["type"] for e in read["events"]].index("order.submitted") + 1 :]


def test_an_order_is_handed_off_then_ships_activates_and_completes_one_step_at_a_time(
    client, headers, database
):
    oid, number = submitted(client, headers)
    start = utcnow()
    assert order_row(database, oid).fulfillment_due_at <= start

    assert due(database, start) == 1  # handed off
    assert due(database, start) == 0  # next check a step away
    assert order_row(database, oid).status == "submitted"
    assert due(database, start + timedelta(seconds=STEP + 1)) == 1
    shipped = order_row(database, oid)
    assert (shipped.status, shipped.state) == ("inFulfillment", "inProgress")
    assert line(database, number).status == "preActive"
    assert due(database, start + timedelta(seconds=2 * STEP + 2)) == 1
    assert order_row(database, oid).status == "inFulfillment"
    assert line(database, number).status == "preActive"
    assert due(database, start + timedelta(seconds=3 * STEP + 3)) == 1

    done = order_row(database, oid)
    assert (done.status, done.state, done.fulfillment_due_at) == ("completed", "completed", None)
    assert done.completed_at is not None
    assert line(database, number).status == "active"
    assert due(database, start + timedelta(days=30)) == 0  # nothing left to do
    history = events(client, headers, oid)
    assert [e["type"] for e in history] == [
        "fulfillment.handed_off",
        "fulfillment.shipped",
        "order.inFulfillment",
        "fulfillment.line_activated",
        "fulfillment.completed",
        "order.completed",
    ]
    assert {e["actor"] for e in history} == {"fulfillment"}
    reference = history[0]["data"]["reference"]
    assert reference.startswith("SBX-FUL-")
    with database.transaction(write=False) as session:
        refs = session.execute(select(REFERENCES).where(REFERENCES.c.order_id == oid)).all()
    assert [(r.kind, r.value) for r in refs] == [("fulfillmentReference", reference)]


def test_the_failure_value_rejects_the_order_with_its_reason_and_releases_its_numbers(
    client, headers, database
):
    oid, number = submitted(client, headers, zip_code="75201-0000")
    start = utcnow()
    due(database, start)
    assert due(database, start + timedelta(seconds=STEP + 1)) == 1

    rejected = order_row(database, oid)
    assert (rejected.status, rejected.state, rejected.fulfillment_due_at) == (
        "rejected",
        "rejected",
        None,
    )
    history = events(client, headers, oid)
    assert [e["type"] for e in history] == [
        "fulfillment.handed_off",
        "fulfillment.failed",
        "order.rejected",
    ]
    reason = "Sandbox: the carrier cannot deliver to this address."
    assert history[1]["data"] == {"note": reason}
    assert history[2]["data"]["reason"] == reason
    freed = number_row(database, number)
    assert (freed.status, freed.order_id) == ("available", None)
    assert line(database, number) is None  # the PreActive line left the inventory


def test_the_delay_value_keeps_the_order_in_fulfillment_for_a_day(client, headers, database):
    oid, number = submitted(client, headers, zip_code="75201-2222")
    start = utcnow()
    for step in range(3):  # handed off, shipped, delayed
        assert due(database, start + timedelta(seconds=step * (STEP + 1))) == 1
    delayed_at = start + timedelta(seconds=2 * (STEP + 1))

    assert due(database, delayed_at + timedelta(hours=23)) == 0
    assert order_row(database, oid).status == "inFulfillment"
    assert [e["type"] for e in events(client, headers, oid)][-1] == "fulfillment.delayed"
    after_a_day = delayed_at + timedelta(seconds=DELAY_SECONDS + 1)
    assert due(database, after_a_day) == 1  # line activated
    assert due(database, after_a_day + timedelta(seconds=STEP + 1)) == 1
    assert order_row(database, oid).status == "completed"
    assert line(database, number).status == "active"


def test_worker_once_fulfils_every_due_order(client, headers, database, database_url):
    oid, number = submitted(client, headers)

    result = runner.invoke(
        cli,
        ["worker", "--once", "--database-url", database_url],
        env={"ORDERHUB_FULFILLMENT_STEP_SECONDS": "0"},
    )

    assert result.exit_code == 0, result.output
    assert order_row(database, oid).status == "completed"
    assert line(database, number).status == "active"


def test_cli_advance_takes_the_next_step_now(client, headers, database_url):
    oid, _ = submitted(client, headers)
    draft = create_order(client, headers)["id"]

    def advance(*args: str):
        return runner.invoke(cli, ["orders", "advance", *args, "--database-url", database_url])

    moved = advance(oid, "--steps", "2")
    unknown = advance("ord_nope")
    refused = advance(draft)

    assert moved.exit_code == 0, moved.output
    assert "is now inFulfillment" in moved.output
    assert [e["type"] for e in events(client, headers, oid)] == [
        "fulfillment.handed_off",
        "fulfillment.shipped",
        "order.inFulfillment",
        "fulfillment.line_activated",
    ]
    assert unknown.exit_code == 1 and "no consumer order" in unknown.output
    assert refused.exit_code == 1 and "only a submitted order" in refused.output


def test_the_sandbox_route_advances_the_callers_own_order(client, headers, database):
    oid, number = submitted(client, headers)
    url = f"/sandbox/v1/orders/{oid}/advance"

    statuses = [client.post(url, headers=headers).json()["status"] for _ in range(3)]
    final = client.post(url, headers=headers)
    stranger = client.post(url, headers=sign_in(client, JORDAN_PHONE))
    draft = create_order(client, headers)["id"]
    not_yet = client.post(f"/sandbox/v1/orders/{draft}/advance", headers=headers)

    assert statuses == ["inFulfillment", "inFulfillment", "completed"]
    assert line(database, number).status == "active"
    assert (final.status_code, final.json()["code"]) == (409, "order_not_in_fulfillment")
    assert final.json()["currentStatus"] == "completed"
    assert (stranger.status_code, stranger.json()["code"]) == (404, "order_not_found")
    assert (not_yet.status_code, not_yet.json()["code"]) == (409, "order_not_in_fulfillment")
    assert {e["actor"] for e in events(client, headers, oid)} == {"sandbox"}


def test_operations_and_customers_end_the_schedule(client, headers, database):
    by_operations, number = submitted(client, headers)
    by_customer, _ = submitted(client, headers)
    start = utcnow()
    due(database, start)  # both handed off
    with database.transaction() as session:
        row = session.execute(select(ORDERS).where(ORDERS.c.id == by_operations)).one()
        row = lifecycle.change_status(
            session, order=row, target=OrderStatus.IN_FULFILLMENT, actor="operator:cli"
        )
        assert row.fulfillment_due_at is not None  # not final: fulfillment goes on
        lifecycle.change_status(session, order=row, target=OrderStatus.COMPLETED, actor="ops")
    cancelled = client.post(f"{BASE}/v1/order/{by_customer}/cancel", headers=headers)

    assert cancelled.status_code == 200, cancelled.text
    assert order_row(database, by_operations).fulfillment_due_at is None
    assert order_row(database, by_customer).fulfillment_due_at is None
    assert due(database, start + timedelta(days=2)) == 0
    assert line(database, number).status == "active"


def test_a_shipment_of_an_order_operations_already_moved_only_adds_its_milestone(
    client, headers, database
):
    oid, _ = submitted(client, headers)
    start = utcnow()
    due(database, start)
    with database.transaction() as session:
        row = session.execute(select(ORDERS).where(ORDERS.c.id == oid)).one()
        lifecycle.change_status(
            session, order=row, target=OrderStatus.IN_FULFILLMENT, actor="operator:cli"
        )

    assert due(database, start + timedelta(seconds=STEP + 1)) == 1
    assert [e["type"] for e in events(client, headers, oid)] == [
        "fulfillment.handed_off",
        "order.inFulfillment",
        "fulfillment.shipped",
    ]
    assert order_row(database, oid).status == "inFulfillment"


class FailsAfterShipping:
    """A fulfillment system that reports a failure once the device has shipped."""

    def hand_off(self, *, shipment):
        return Handoff("REAL-1", STEP)

    def check(self, *, reference, shipment, reached):
        return Progress([Milestone(Step.FAILED, "lost in transit")], None)


def test_a_failure_after_shipping_rejects_the_order_and_frees_its_number(client, headers, database):
    oid, number = submitted(client, headers)
    start = utcnow()
    due(database, start)
    due(database, start + timedelta(seconds=STEP + 1))  # shipped: inFulfillment
    later = start + timedelta(seconds=2 * STEP + 2)

    with database.transaction() as session:
        fulfillment_worker.apply_due(session, fulfillment=FailsAfterShipping(), now=later)

    row = order_row(database, oid)
    assert (row.status, row.state, row.fulfillment_due_at) == ("rejected", "rejected", None)
    assert events(client, headers, oid)[-1]["type"] == "order.rejected"
    assert line(database, number) is None


class BrokenFor:
    """The sandbox, except that asking about one order's shipment raises (a port bug, a
    lost connection): the other orders of the batch must still move."""

    def __init__(self, broken_order_id: str) -> None:
        self.broken_order_id = broken_order_id

    def hand_off(self, *, shipment):
        return SANDBOX.hand_off(shipment=shipment)

    def check(self, *, reference, shipment, reached):
        if shipment.order_id == self.broken_order_id:
            raise RuntimeError("connection reset by the fulfillment system")
        return SANDBOX.check(reference=reference, shipment=shipment, reached=reached)


def test_one_order_the_port_fails_on_does_not_hold_back_the_batch(
    client, headers, database, caplog
):
    broken, _ = submitted(client, headers)
    fine, _ = submitted(client, headers)
    start = utcnow()
    due(database, start)  # both handed off
    later = start + timedelta(seconds=STEP + 1)

    with database.transaction() as session:
        applied = fulfillment_worker.apply_due(session, fulfillment=BrokenFor(broken), now=later)

    assert applied == 2
    assert order_row(database, fine).status == "inFulfillment"
    stuck = order_row(database, broken)
    assert stuck.status == "submitted"
    assert stuck.fulfillment_due_at == later + timedelta(seconds=fulfillment_worker.RETRY_SECONDS)
    assert [e["type"] for e in events(client, headers, broken)] == ["fulfillment.handed_off"]
    assert any(broken in r.getMessage() and r.levelname == "ERROR" for r in caplog.records)


def test_two_workers_take_each_due_step_once(client, headers, database):
    orders = [submitted(client, headers)[0] for _ in range(3)]
    start = utcnow()
    barrier = threading.Barrier(2)

    def work(now: datetime) -> int:
        barrier.wait()
        return due(database, now)

    for step in range(4):  # handed off, shipped, line activated, completed
        now = start + timedelta(seconds=step * (STEP + 1))
        with ThreadPoolExecutor(max_workers=2) as pool:
            applied = list(pool.map(work, [now, now]))
        assert sum(applied) == len(orders), (step, applied)

    for oid in orders:
        assert order_row(database, oid).status == "completed"
        assert [e["type"] for e in events(client, headers, oid)] == [
            "fulfillment.handed_off",
            "fulfillment.shipped",
            "order.inFulfillment",
            "fulfillment.line_activated",
            "fulfillment.completed",
            "order.completed",
        ]


def test_two_worker_processes_fulfil_every_order_once(
    client, headers, database, database_url, tmp_path, monkeypatch
):
    orders = dict(submitted(client, headers) for _ in range(8))
    monkeypatch.setenv("ORDERHUB_FULFILLMENT_STEP_SECONDS", "0")
    workers = Workers(database_url, tmp_path)
    try:
        workers.start()
        workers.start()
        deadline = time.monotonic() + 60
        while any(order_row(database, oid).status != "completed" for oid in orders):
            assert time.monotonic() < deadline, workers.output()
            time.sleep(0.1)
    finally:
        workers.stop_all()

    with database.transaction(write=False) as session:
        history = Counter(
            session.execute(
                select(EVENTS.c.type).where(
                    EVENTS.c.order_id.in_(list(orders)),
                    EVENTS.c.type.like("fulfillment.%") | EVENTS.c.type.like("order.%"),
                )
            ).scalars()
        )
        activated = Counter(
            session.execute(
                select(LINE_EVENTS.c.ctn).where(
                    LINE_EVENTS.c.ctn.in_(list(orders.values())),
                    LINE_EVENTS.c.type == "subscriber.activated",
                )
            ).scalars()
        )
    once = len(orders)
    assert {t: n for t, n in history.items() if t.startswith("fulfillment.") or n != once} == {
        "fulfillment.created": once,  # the shipping details, set before submission
        "fulfillment.handed_off": once,
        "fulfillment.shipped": once,
        "fulfillment.line_activated": once,
        "fulfillment.completed": once,
    }
    assert activated == Counter(orders.values())
    assert all(line(database, ctn).status == "active" for ctn in orders.values())
    assert workers.failures() == [], workers.output()
