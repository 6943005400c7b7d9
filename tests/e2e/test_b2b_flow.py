"""The whole partner flow of seed 002 over HTTP against a real `orderhub serve`: an
alliance-only customer blocked until its exception is approved, a two-site, two-product
quote, validation, credit, contract, signature, the locked quote, the order, enrichment,
handoff, and provisioning milestones heard by a real local webhook receiver."""

from __future__ import annotations

import json
import re
import subprocess
import time
import uuid

import httpx

from orderhub.partner_orders.models import PartnerOrder
from orderhub.webhooks import rules
from tests.api.b2b_helpers import (
    ALLIANCE_ONLY_CUSTOMER,
    B2B,
    OPERATOR,
    contract_body,
    enrichment,
    site,
    token_form,
)
from tests.e2e.conftest import ORDERHUB
from tests.receiver import Receiver

MILESTONES = ["submitted", "accepted", "design", "installationScheduled", "installed", "completed"]


def _two_products() -> list[dict]:
    return site()["products"] + [
        {"productId": "voice-sip", "accessSpeed": "10M", "installationOption": "remote"}
    ]


def _expect(response: httpx.Response, status: int) -> dict:
    assert response.status_code == status, f"{response.request.url}: {response.text}"
    return response.json()


def test_a_partner_quotes_contracts_orders_and_hears_every_milestone(serve, monkeypatch):
    monkeypatch.setenv("ORDERHUB_WORKER_POLL_SECONDS", "0.1")
    monkeypatch.setenv("ORDERHUB_PROVISIONING_STEP_SECONDS", "0.3")
    receiver = Receiver()
    try:
        with httpx.Client(base_url=serve(), timeout=30) as http:
            token = _expect(http.post("/oauth/token", data=token_form()), 200)["access_token"]
            auth = {"Authorization": f"Bearer {token}"}

            def keyed() -> dict[str, str]:
                return auth | {"Idempotency-Key": str(uuid.uuid4())}

            hook = _expect(
                http.post(
                    f"{B2B}/webhooks",
                    json={"url": receiver.url, "eventTypes": ["order.*"]},
                    headers=auth,
                ),
                201,
            )

            # Alliance-only: found, not quotable until operations approve an exception.
            found = _expect(
                http.post(f"{B2B}/customers/lookup", json={"taxId": "753334321"}, headers=auth),
                200,
            )["customers"][0]
            assert (found["allianceStatus"], found["canQuote"]) == ("allianceOnly", False)
            quote_body = {
                "customerId": ALLIANCE_ONLY_CUSTOMER,
                "name": "Campus and clinic",
                "billingPreferences": {"billingEmail": "ap@redriver.example.com"},
                "sites": [
                    site(name="Campus", products=_two_products()),
                    site("5800 Legacy Drive", "75024", name="Clinic", products=_two_products()),
                ],
            }
            blocked = http.post(f"{B2B}/quotes", json=quote_body, headers=auth)
            assert blocked.status_code == 409 and blocked.json()["code"] == "customer_not_quotable"
            exception = _expect(
                http.post(
                    f"{B2B}/customers/{ALLIANCE_ONLY_CUSTOMER}/exception-requests",
                    json={"reason": "Two sites to connect."},
                    headers=keyed(),
                ),
                201,
            )
            _expect(
                http.post(
                    f"/operator/v1/exception-requests/{exception['id']}/approve", headers=OPERATOR
                ),
                200,
            )

            # Quote, validate, credit, contract, sign; the signed quote is locked.
            quote = _expect(http.post(f"{B2B}/quotes", json=quote_body, headers=keyed()), 201)
            quote_url = f"{B2B}/quotes/{quote['id']}"
            assert _expect(http.post(f"{quote_url}/validate", headers=auth), 200)["valid"]
            credit = _expect(http.post(f"{quote_url}/credit-check", headers=auth), 200)
            assert credit["decision"] == "approved"
            contract = _expect(
                http.post(f"{quote_url}/contract", json=contract_body(), headers=keyed()), 201
            )
            _expect(
                http.post(
                    f"{B2B}/contracts/{contract['id']}/sign",
                    json={"signedBy": {"name": "Dana Reyes", "title": "CIO"}},
                    headers=auth,
                ),
                200,
            )
            locked = http.patch(quote_url, json={"name": "Changed"}, headers=auth)
            assert locked.status_code == 409 and locked.json()["contractId"] == contract["id"]

            # The order: one sub-order per site and product; enrichment; handoff.
            create = keyed()
            order = _expect(
                http.post(f"{B2B}/orders", json={"quoteId": quote["id"]}, headers=create), 201
            )
            replay = http.post(f"{B2B}/orders", json={"quoteId": quote["id"]}, headers=create)
            assert replay.json()["id"] == order["id"]
            assert [(s["siteName"], s["productId"]) for s in order["subOrders"]] == [
                ("Campus", "dia"),
                ("Campus", "voice-sip"),
                ("Clinic", "dia"),
                ("Clinic", "voice-sip"),
            ]
            order_url = f"{B2B}/orders/{order['id']}"
            incomplete = http.post(f"{order_url}/submit", headers=auth)
            assert incomplete.status_code == 409 and len(incomplete.json()["errors"]) == 4
            _expect(http.patch(order_url, json=enrichment(), headers=auth), 200)
            _expect(
                http.patch(
                    f"{order_url}/sub-orders/{order['subOrders'][3]['id']}",
                    json={"billingConfiguration": {"processId": "P-CLINIC"}},
                    headers=auth,
                ),
                200,
            )
            ack = _expect(http.post(f"{order_url}/submit", headers=keyed()), 200)
            assert ack["status"] == "submitted" and ack["acknowledgementId"].startswith("ack_")

            # The server's worker applies each milestone on schedule and delivers them.
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                if http.get(order_url, headers=auth).json()["status"] == "completed":
                    break
                time.sleep(0.2)
            done = _expect(http.get(order_url, headers=auth), 200)
            assert done["status"] == "completed"
            assert {s["status"] for s in done["subOrders"]} == {"completed"}
            history = _expect(http.get(f"{order_url}/history", headers=auth), 200)["events"]
            assert [e["toStatus"] for e in history if e["type"] == "order.status_changed"] == (
                MILESTONES
            )

            while time.monotonic() < deadline and len(receiver.received) < len(MILESTONES):
                time.sleep(0.1)
        # A batch of deliveries goes out concurrently: order them by when they happened.
        bodies = sorted(
            (json.loads(r.body) for r in receiver.received), key=lambda b: b["data"]["changedAt"]
        )
        assert [b["data"]["status"] for b in bodies] == MILESTONES
        assert {b["subject"] for b in bodies} == {order["id"]}
        for got in receiver.received:
            timestamp = int(got.headers["OrderHub-Timestamp"])
            assert got.headers["OrderHub-Signature"] == rules.signature(
                hook["secret"], timestamp, got.body
            )
        assert len({r.headers["OrderHub-Event-Id"] for r in receiver.received}) == len(MILESTONES)
    finally:
        receiver.close()


def test_demo_flow_partner_completes_an_order_against_a_running_server(serve, database):
    url = serve()
    run = subprocess.run(
        [ORDERHUB, "demo", "--flow", "partner", "--url", url],
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert run.returncode == 0, run.stdout + run.stderr
    order_id = re.search(r"B2B order (bor_\w+) status=completed", run.stdout).group(1)
    with database.transaction(write=False) as session:
        order = session.get(PartnerOrder, order_id)
        assert order.status == "completed" and order.customer_id == ALLIANCE_ONLY_CUSTOMER
