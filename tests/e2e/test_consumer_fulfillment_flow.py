"""Against a real `orderhub serve`: a consumer order, once submitted, is handed off,
shipped, its line activated and completed by the server's own worker, with nothing done
by hand; its number is then an active line in the inventory."""

from __future__ import annotations

import time

import httpx
from sqlalchemy import select

from orderhub.inventory.service import SUBSCRIBERS
from tests.helpers import BASE, ready_order, sign_in


def test_a_submitted_consumer_order_reaches_completed_by_itself(serve, database, monkeypatch):
    monkeypatch.setenv("ORDERHUB_WORKER_POLL_SECONDS", "0.1")
    monkeypatch.setenv("ORDERHUB_FULFILLMENT_STEP_SECONDS", "0.3")
    with httpx.Client(base_url=serve(), timeout=30) as http:
        headers = sign_in(http)
        order = ready_order(http, headers)
        submitted = http.post(
            f"{BASE}/v1/order/submit", json={"orderId": order["id"]}, headers=headers
        )
        assert submitted.status_code == 200, submitted.text

        deadline = time.monotonic() + 30
        while True:
            read = http.get(f"{BASE}/v1/order/{order['id']}", headers=headers).json()
            if read["status"] == "completed" or time.monotonic() > deadline:
                break
            time.sleep(0.05)

    assert read["status"] == "completed", read["events"]
    types = [e["type"] for e in read["events"]]
    assert types[types.index("order.submitted") + 1 :] == [
        "fulfillment.handed_off",
        "fulfillment.shipped",
        "order.inFulfillment",
        "fulfillment.line_activated",
        "fulfillment.completed",
        "order.completed",
    ]
    [number] = [n["number"] for n in read["numbers"]]
    with database.transaction(write=False) as session:
        line = session.execute(select(SUBSCRIBERS).where(SUBSCRIBERS.c.ctn == number)).one()
    assert (line.status, line.source_order_id) == ("active", order["id"])
