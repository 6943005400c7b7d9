"""Racing partners' requests, each on its own connection: one handoff, one order per
quote, one signature, and no provisioning step applied twice by two workers."""

from __future__ import annotations

import dataclasses
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from orderhub.adapters.provisioning import SandboxProvisioning
from orderhub.app import create_app
from orderhub.contracts import service as contracts
from orderhub.errors import Conflict
from orderhub.ids import utcnow
from orderhub.ledger.models import OrderEvent
from orderhub.partner_orders import provisioning_worker
from orderhub.partner_orders import service as orders
from orderhub.partner_orders import submit as handoff
from orderhub.webhooks.models import OutboxEvent
from tests.api.b2b_helpers import (
    B2B,
    approved_quote,
    contract_body,
    draft_order,
    enrichment,
    partner_headers,
    signed_quote,
)

PARTNER = "prt_sandbox"
RACERS = 6


def _race(action) -> list[str]:
    barrier = threading.Barrier(RACERS)

    def run(_: int) -> str:
        barrier.wait()
        try:
            action()
            return "done"
        except Conflict:
            return "refused"

    with ThreadPoolExecutor(max_workers=RACERS) as pool:
        return list(pool.map(run, range(RACERS)))


def _count(database, model, *where) -> int:
    with database.transaction(write=False) as session:
        return session.scalar(select(func.count()).select_from(model).where(*where))


def test_concurrent_handoffs_submit_once_and_orders_are_one_per_quote(settings, database):
    with TestClient(create_app(settings)) as client:
        headers = partner_headers(client)
        order = draft_order(client, headers)
        client.patch(f"{B2B}/orders/{order['id']}", json=enrichment(), headers=headers)
        contract = signed_quote(client, headers)

    def submit() -> None:
        with database.transaction() as session:
            handoff.submit(
                session,
                partner_id=PARTNER,
                order_id=order["id"],
                provisioning=SandboxProvisioning(30),
            )

    def create() -> None:
        with database.transaction() as session:
            orders.create(session, partner_id=PARTNER, quote_id=contract["quoteId"])

    assert sorted(_race(submit)) == ["done"] + ["refused"] * (RACERS - 1)
    assert sorted(_race(create)) == ["done"] + ["refused"] * (RACERS - 1)
    assert _count(database, OutboxEvent, OutboxEvent.type == "order.status_changed") == 1
    moved = OutboxEvent.type == "ledger.status_changed", OutboxEvent.subject == order["id"]
    assert _count(database, OutboxEvent, *moved) == 1
    assert (
        _count(
            database,
            OrderEvent,
            OrderEvent.order_id == order["id"],
            OrderEvent.type == "order.status_changed",
        )
        == 1
    )


def test_concurrent_signatures_sign_once(settings, database):
    with TestClient(create_app(settings)) as client:
        headers = partner_headers(client)
        quote = approved_quote(client, headers)
        contract = client.post(
            f"{B2B}/quotes/{quote['id']}/contract", json=contract_body(), headers=headers
        ).json()

    def sign() -> None:
        with database.transaction() as session:
            contracts.sign(
                session, partner_id=PARTNER, contract_id=contract["id"], signed_by={"name": "P"}
            )

    assert sorted(_race(sign)) == ["done"] + ["refused"] * (RACERS - 1)


def test_two_workers_apply_a_due_step_once(settings, database):
    with TestClient(create_app(dataclasses.replace(settings, provisioning_step_seconds=30))) as c:
        headers = partner_headers(c)
        order = draft_order(c, headers)
        url = f"{B2B}/orders/{order['id']}"
        c.patch(url, json=enrichment(), headers=headers)
        c.post(f"{url}/submit", headers=headers)
    later = utcnow() + timedelta(seconds=31)
    barrier = threading.Barrier(2)

    def work(_: int) -> int:
        barrier.wait()
        with database.transaction() as session:
            return provisioning_worker.apply_due(
                session, provisioning=SandboxProvisioning(30), now=later
            )

    with ThreadPoolExecutor(max_workers=2) as pool:
        applied = sorted(pool.map(work, range(2)))

    assert applied == [0, 1]
    # submitted, accepted: each once, with the ledger's own event
    for type in ("order.status_changed", "ledger.status_changed"):
        assert _count(database, OutboxEvent, OutboxEvent.type == type) == 2
