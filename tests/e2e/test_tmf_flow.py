"""TMF622 against a real server: a sandbox customer's order placed through the TM Forum
API, found in the list with `fields=` and filters, seen in the direct channel and the
operator's ledger, its `ProductOrderStateChangeEvent`s received by a listener registered
through `/hub` until `completed`; another cancelled with `cancelProductOrder`."""

from __future__ import annotations

import hashlib
import hmac
import json
import time

import httpx

from tests.helpers import sign_in
from tests.receiver import Receiver

ORDERING = "/tmf-api/productOrderingManagement/v4"
OPERATOR = {"Authorization": "Bearer sandbox-operator-token"}
ALEX = "cus_alex_bell"


def _order(http: httpx.Client, external_id: str) -> dict:
    response = http.post(
        f"{ORDERING}/productOrder",
        json={
            "externalId": external_id,
            "relatedParty": [{"id": ALEX, "role": "customer", "@referredType": "Individual"}],
            "productOrderItem": [
                {"id": "1", "action": "add", "productOffering": {"id": "plan-unlimited-extra"}}
            ],
        },
        headers=OPERATOR,
    )
    assert response.status_code == 201, response.text
    return response.json()


def _signed(secret: str, received) -> bool:
    timestamp = received.headers["OrderHub-Timestamp"]
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + received.body, hashlib.sha256)
    return received.headers["OrderHub-Signature"] == "v1=" + mac.hexdigest()


def test_a_tmf_order_is_placed_followed_to_completed_and_another_cancelled(serve, monkeypatch):
    monkeypatch.setenv("ORDERHUB_FULFILLMENT_STEP_SECONDS", "0.3")
    monkeypatch.setenv("ORDERHUB_WORKER_POLL_SECONDS", "0.1")
    monkeypatch.setenv("ORDERHUB_WEBHOOK_POLL_SECONDS", "0.1")
    receiver = Receiver()
    try:
        url = serve()
        with httpx.Client(base_url=url, timeout=30) as http:
            hub = http.post(
                f"{ORDERING}/hub",
                json={
                    "callback": receiver.url,
                    "query": "eventType=ProductOrderCreateEvent,ProductOrderStateChangeEvent",
                },
                headers=OPERATOR,
            )
            assert hub.status_code == 201, hub.text
            secret = hub.json()["secret"]

            order = _order(http, "E2E-TMF-1")
            assert order["state"] == "acknowledged"
            listed = http.get(
                f"{ORDERING}/productOrder",
                params={
                    "externalId": "E2E-TMF-1",
                    "relatedParty.id": ALEX,
                    "state": "acknowledged",
                    "fields": "state,externalId",
                },
                headers=OPERATOR,
            )
            assert listed.headers["X-Total-Count"] == "1"
            assert [(o["id"], o["state"]) for o in listed.json()] == [(order["id"], "acknowledged")]
            assert set(listed.json()[0]) == {
                "id",
                "href",
                "@type",
                "state",
                "externalId",
                "productOrderItem",
            }
            # The same order in the consumer's own channel and in the operator's ledger.
            alex = sign_in(http)
            direct = http.get(f"/msapi/order/v1/order/{order['id']}", headers=alex).json()
            assert direct["id"] == order["id"] and direct["confirmationNumber"]
            ledger = http.get(f"/operator/v1/orders/{order['id']}", headers=OPERATOR).json()
            assert ledger["channel"] == "direct"

            deadline = time.monotonic() + 60
            states: list[str] = []
            while "completed" not in states and time.monotonic() < deadline:
                time.sleep(0.2)
                events = [json.loads(r.body) for r in list(receiver.received)]
                states = [
                    e["event"]["productOrder"]["state"]
                    for e in events
                    if e["eventType"] == "ProductOrderStateChangeEvent"
                    and e["event"]["productOrder"]["id"] == order["id"]
                ]
            # Opened as a cart (`pending`) and submitted in the same request. Events of
            # one batch are posted concurrently: they may arrive in any order.
            assert sorted(states) == ["acknowledged", "completed", "inProgress"], states
            mine = [
                json.loads(r.body)
                for r in receiver.received
                if json.loads(r.body)["event"]["productOrder"]["id"] == order["id"]
            ]
            (created,) = [e for e in mine if e["eventType"] == "ProductOrderCreateEvent"]
            assert created["event"]["productOrder"]["href"] == order["href"]
            assert all(_signed(secret, r) for r in receiver.received)
            shown = http.get(f"{ORDERING}/productOrder/{order['id']}", headers=OPERATOR).json()
            assert shown["state"] == "completed" and shown["completionDate"]

            other = _order(http, "E2E-TMF-2")
            cancel = http.post(
                f"{ORDERING}/cancelProductOrder",
                json={"productOrder": {"id": other["id"]}, "cancellationReason": "Not needed"},
                headers=alex,
            )
            assert cancel.status_code == 201, cancel.text
            assert cancel.json()["state"] == "done"
            cancelled = http.get(f"{ORDERING}/productOrder/{other['id']}", headers=alex).json()
            assert cancelled["state"] == "cancelled"
    finally:
        receiver.close()
