"""Seed 004 over HTTP against a real `orderhub serve`: the seed's example care order sent
verbatim, the sandbox test clock moved past the line's billing cycle, the server's own
worker applying the change within seconds, and a real webhook receiver hearing each
status change."""

from __future__ import annotations

import json
import time
from pathlib import Path

import httpx

from tests.api.b2b_helpers import token_form
from tests.receiver import Receiver

SEED = json.loads((Path(__file__).parents[1] / "data" / "care_order_seed.json").read_text())
CARE = "/api/orderingMobility/v1/careOrder"


def _expect(response: httpx.Response, status: int) -> dict:
    assert response.status_code == status, f"{response.request.url}: {response.text}"
    return response.json()


def _wait_for(http: httpx.Client, url: str, headers: dict, status: str) -> dict:
    deadline = time.monotonic() + 15
    while True:
        order = _expect(http.get(url, headers=headers), 200)
        if order["status"] == status or time.monotonic() > deadline:
            return order
        time.sleep(0.1)


def test_the_seed_care_order_is_applied_by_the_servers_worker(serve, monkeypatch):
    monkeypatch.setenv("ORDERHUB_WORKER_POLL_SECONDS", "0.1")
    receiver = Receiver()
    try:
        with httpx.Client(base_url=serve(), timeout=30) as http:
            token = _expect(http.post("/oauth/token", data=token_form()), 200)["access_token"]
            auth = {"Authorization": f"Bearer {token}"}
            _expect(
                http.post(
                    "/b2b/v1/webhooks",
                    json={"url": receiver.url, "eventTypes": ["care_order.*", "care_change.*"]},
                    headers=auth,
                ),
                201,
            )
            headers = auth | {"X-ATT-ClientId": "sandbox-partner", "X-ATT-MessageId": "e2e-1"}
            accepted = http.post(CARE, json=SEED, headers=headers)
            order = _expect(accepted, 202)
            url = accepted.headers["Location"]
            change = order["changeRequests"][0]
            assert (change["changeRequestId"], change["status"]) == ("ChangeID1", "received")

            # Scheduled by the worker, but not applied before the billing cycle.
            scheduled = _wait_for(http, url, auth, "scheduled")
            assert scheduled["changeRequests"][0]["status"] == "scheduled"
            time.sleep(0.5)  # several worker polls: still waiting for its date
            assert _expect(http.get(url, headers=auth), 200)["status"] == "scheduled"

            _expect(http.post("/sandbox/v1/clock", json={"advanceDays": 32}), 200)
            done = _wait_for(http, url, auth, "completed")
            assert done["status"] == "completed", done
            line = _expect(http.get("/inventory/v1/subscribers/1234567890", headers=auth), 200)
            assert "sku12037300017" in [f["sku"] for f in line["features"]]
            assert {"type": "User Name", "value": "Laura Madison"} in line["udl"]
            assert line["device"]["imei"] == "359194077165207"

            deadline = time.monotonic() + 15
            while len(receiver.received) < 5 and time.monotonic() < deadline:
                time.sleep(0.1)
            heard = [json.loads(r.body) for r in receiver.received]
            statuses = [(e["type"], e["data"]["status"]) for e in heard]
            for expected in (
                ("care_order.received", "received"),
                ("care_change.status_changed", "scheduled"),
                ("care_order.status_changed", "scheduled"),
                ("care_change.status_changed", "completed"),
                ("care_order.status_changed", "completed"),
            ):
                assert expected in statuses, statuses
    finally:
        receiver.close()
