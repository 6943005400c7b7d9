"""Operations' event stream: every owner's events by polling (`GET /operator/v1/events`)
and by webhook (`/operator/v1/webhooks`, the partners' routes with owner `operations`),
signed and retried like a partner's; a partner still hears only its own events."""

from __future__ import annotations

import asyncio
import json

from orderhub.webhooks import egress, rules, worker
from orderhub.webhooks import service as webhooks
from tests.api.b2b_helpers import B2B, OPERATOR, draft_order, partner_headers
from tests.helpers import BASE, create_order, is_problem, sign_in
from tests.outbox import dispatched, eventually
from tests.receiver import Receiver

EVENTS = "/operator/v1/events"
HOOKS = "/operator/v1/webhooks"


def _deliver(client) -> int:
    """What the worker's cycle does: dispatch the new events, then deliver what is due."""
    runtime = client.app.state.runtime
    dispatched(runtime.database)

    async def once() -> int:
        async with egress.client(allow_private=True, timeout=5) as http:
            return await worker.deliver_due(
                runtime.database, runtime.key, http, retry_base_seconds=10
            )

    return asyncio.run(once())


def _poll(client, **params) -> dict:
    response = client.get(EVENTS, params=params, headers=OPERATOR)
    assert response.status_code == 200, response.text
    return response.json()


def _other_partner_s_event(client) -> str:
    """An event of another partner (prt_sandbox_b), published as its changes do."""
    with client.app.state.runtime.database.transaction() as session:
        return webhooks.publish(
            session,
            owner="partner:prt_sandbox_b",
            type="order.status_changed",
            subject="bor_theirs",
            data={"orderId": "bor_theirs", "status": "accepted"},
        )


def _all(client, count: int) -> list[dict]:
    """The whole stream, once it holds at least `count` events (tests/outbox.py)."""

    def read() -> list[dict]:
        found = _poll(client, limit=200)["events"]
        return found if len(found) >= count else []

    return eventually(read, f"{count} events in the operations stream")


def test_operations_poll_every_owner_s_events_in_commit_order_page_by_page(client):
    consumer = create_order(client, sign_in(client))
    partner_order = draft_order(client, partner_headers(client))
    theirs = _other_partner_s_event(client)

    everything = _all(client, 3)

    opened = {e["subject"]: e for e in everything if e["type"] == "ledger.order_opened"}
    assert opened[consumer["id"]]["owner"] == "customer:cus_alex_bell"
    assert opened[partner_order["id"]]["owner"] == "partner:prt_sandbox"
    assert {e["owner"] for e in everything if e["id"] == theirs} == {"partner:prt_sandbox_b"}
    # Page by page from the start, the same events in the same order, none twice.
    paged, after = [], None
    while True:
        page = _poll(client, limit=1, **({"after": after} if after else {}))
        if not page["events"]:
            assert page["nextAfter"] == after  # nothing new: poll again from the same place
            break
        [event] = page["events"]
        assert page["nextAfter"] == event["cursor"]
        paged.append(event)
        after = page["nextAfter"]
    assert [e["id"] for e in paged] == [e["id"] for e in everything]


def test_a_partner_hears_only_its_own_events(client):
    headers = partner_headers(client)
    mine = draft_order(client, headers)
    theirs = _other_partner_s_event(client)
    consumer = create_order(client, sign_in(client))
    _all(client, 3)  # every one of them is committed and in the stream

    polled = client.get(f"{B2B}/events", params={"limit": 200}, headers=headers).json()

    assert mine["id"] in {e["subject"] for e in polled["events"]}
    assert theirs not in {e["id"] for e in polled["events"]}
    assert consumer["id"] not in {e["subject"] for e in polled["events"]}
    assert {e["type"] for e in polled["events"]} == {"ledger.order_opened"}


def test_an_operations_webhook_receives_a_consumer_order_s_events_signed_like_a_partner_s(
    client,
):
    receiver, partners = Receiver(), Receiver()
    try:
        created = client.post(
            HOOKS, json={"url": receiver.url, "eventTypes": ["ledger.*"]}, headers=OPERATOR
        )
        assert created.status_code == 201, created.text
        hook = created.json()
        # A partner's webhook for everything still hears nothing of a consumer's order.
        client.post(
            f"{B2B}/webhooks",
            json={"url": partners.url, "eventTypes": ["*"]},
            headers=partner_headers(client),
        )
        customer = sign_in(client)
        order = create_order(client, customer)
        cancelled = client.post(f"{BASE}/v1/order/{order['id']}/cancel", headers=customer)
        assert cancelled.status_code == 200, cancelled.text

        assert _deliver(client) == 2

        got = {json.loads(r.body)["type"]: r for r in receiver.received}
        assert set(got) == {"ledger.order_opened", "ledger.status_changed"}
        for delivery in got.values():
            body = json.loads(delivery.body)
            timestamp = int(delivery.headers["OrderHub-Timestamp"])
            assert delivery.headers["OrderHub-Signature"] == rules.signature(
                hook["secret"], timestamp, delivery.body
            )
            assert delivery.headers["OrderHub-Event-Id"] == body["id"]
            assert delivery.headers["OrderHub-Event-Type"] == body["type"]
            assert delivery.headers["OrderHub-Delivery-Attempt"] == "1"
            assert (body["owner"], body["subject"]) == ("customer:cus_alex_bell", order["id"])
        moved = json.loads(got["ledger.status_changed"].body)["data"]
        assert (moved["previousStatus"], moved["status"]) == ("draft", "cancelled")
        assert (moved["previousState"], moved["state"]) == ("pending", "cancelled")
        assert partners.received == []
        [first, *_] = client.get(f"{HOOKS}/{hook['id']}/deliveries", headers=OPERATOR).json()[
            "deliveries"
        ]
        assert first["status"] == "delivered" and first["lastStatusCode"] == 204
    finally:
        receiver.close()
        partners.close()


def test_operations_manage_their_webhooks_as_partners_do(client):
    body = {"url": "https://hooks.example/ops", "eventTypes": ["order.*"]}
    keyed = OPERATOR | {"Idempotency-Key": "ops-hook-1"}
    hook = client.post(HOOKS, json=body, headers=keyed).json()
    again = client.post(HOOKS, json=body, headers=keyed)
    assert again.headers["Idempotent-Replayed"] == "true" and again.json() == hook
    assert hook["secret"].startswith("whsec_")
    listed = client.get(HOOKS, headers=OPERATOR).json()["webhooks"]
    assert [w["id"] for w in listed] == [hook["id"]] and "secret" not in listed[0]
    assert client.get(f"{HOOKS}/{hook['id']}", headers=OPERATOR).json()["url"] == body["url"]
    rotated = client.post(f"{HOOKS}/{hook['id']}/rotate-secret", headers=OPERATOR).json()
    assert rotated["secret"] != hook["secret"]
    assert client.post(f"{HOOKS}/{hook['id']}/redeliver", headers=OPERATOR).json() == {"queued": 0}
    assert client.get(f"{HOOKS}/{hook['id']}/deliveries", headers=OPERATOR).json() == {
        "deliveries": []
    }
    # Operations' webhooks and partners' are apart: neither finds the other's.
    headers = partner_headers(client)
    partners = client.post(f"{B2B}/webhooks", json=body, headers=headers).json()
    assert is_problem(
        client.get(f"{HOOKS}/{partners['id']}", headers=OPERATOR), 404, "webhook_not_found"
    )
    assert is_problem(
        client.get(f"{B2B}/webhooks/{hook['id']}", headers=headers), 404, "webhook_not_found"
    )
    assert [w["id"] for w in client.get(HOOKS, headers=OPERATOR).json()["webhooks"]] == [hook["id"]]

    deleted = client.delete(f"{HOOKS}/{hook['id']}", headers=OPERATOR)
    assert deleted.status_code == 200 and deleted.json()["active"] is False
    assert is_problem(
        client.get(f"{HOOKS}/{hook['id']}", headers=OPERATOR), 404, "webhook_not_found"
    )
    assert is_problem(client.post(HOOKS, json=body, headers=keyed), 409, "webhook_deleted")


def test_the_stream_needs_the_operator_token_and_a_cursor_it_gave(client):
    headers = partner_headers(client)
    assert is_problem(client.get(EVENTS, headers=headers), 401, "invalid_token")
    assert is_problem(client.get(HOOKS, headers=headers), 401, "invalid_token")
    assert is_problem(client.get(EVENTS), 401, "unauthorized")
    for after in ("abc", "1-", "-1", "12", "1-2147483648", "9" * 19 + "-1", "1-2-3"):
        response = client.get(EVENTS, params={"after": after}, headers=OPERATOR)
        assert is_problem(response, 422, "validation_failed"), (after, response.text)
    assert is_problem(client.get(EVENTS, params={"limit": 0}, headers=OPERATOR), 422)
    assert _poll(client, after="0-0")["events"] == _poll(client)["events"]
