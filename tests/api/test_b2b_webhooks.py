"""Webhooks and event polling through the B2B API, delivered to a real local receiver."""

from __future__ import annotations

import asyncio

from orderhub.webhooks import egress, rules, worker
from orderhub.webhooks import service as webhooks
from tests.api.b2b_helpers import B2B, OPERATOR, SANDBOX_CLIENT_B, file_exception, partner_headers
from tests.helpers import is_problem, sign_in
from tests.outbox import dispatched
from tests.receiver import Receiver


def _partner_id(client, headers) -> str:
    """The partner behind a token, from its own events' owner (publish needs it)."""
    from orderhub.partners import tokens

    token = headers["Authorization"].removeprefix("Bearer ")
    principal = tokens.verify(client.app.state.runtime.key, token, 0)
    assert principal is not None
    return principal.partner_id


def _publish(client, partner_id: str, type: str = "order.status_changed") -> str:
    with client.app.state.runtime.database.transaction() as session:
        return webhooks.publish(
            session, owner=f"partner:{partner_id}", type=type, subject="bor_x", data={"n": 1}
        )


def _deliver(client) -> int:
    runtime = client.app.state.runtime
    dispatched(runtime.database)

    async def once() -> int:
        async with egress.client(allow_private=True, timeout=5) as http:
            return await worker.deliver_due(
                runtime.database, runtime.key, http, retry_base_seconds=10
            )

    return asyncio.run(once())


def test_a_registered_webhook_receives_signed_events(client):
    receiver = Receiver()
    try:
        headers = partner_headers(client)
        created = client.post(
            f"{B2B}/webhooks",
            json={"url": receiver.url, "eventTypes": ["order.*"]},
            headers=headers | {"Idempotency-Key": "wh-1"},
        )
        assert created.status_code == 201, created.text
        hook = created.json()
        assert hook["secret"].startswith("whsec_") and hook["active"] is True
        listed = client.get(f"{B2B}/webhooks", headers=headers).json()["webhooks"]
        assert [w["id"] for w in listed] == [hook["id"]] and "secret" not in listed[0]

        event_id = _publish(client, _partner_id(client, headers))
        assert _deliver(client) == 1
        [got] = receiver.received
        timestamp = int(got.headers["OrderHub-Timestamp"])
        assert got.headers["OrderHub-Event-Id"] == event_id
        assert got.headers["OrderHub-Signature"] == rules.signature(
            hook["secret"], timestamp, got.body
        )
        [delivery] = client.get(f"{B2B}/webhooks/{hook['id']}/deliveries", headers=headers).json()[
            "deliveries"
        ]
        assert (delivery["eventId"], delivery["status"], delivery["lastStatusCode"]) == (
            event_id,
            "delivered",
            204,
        )
    finally:
        receiver.close()


def test_polling_pages_through_the_partners_own_events(client):
    headers = partner_headers(client)
    partner_id = _partner_id(client, headers)
    first, second = _publish(client, partner_id), _publish(client, partner_id, "quote.locked")
    _publish(client, _partner_id(client, partner_headers(client, SANDBOX_CLIENT_B)))

    page = client.get(f"{B2B}/events", params={"limit": 1}, headers=headers).json()
    assert [e["id"] for e in page["events"]] == [first]
    rest = client.get(f"{B2B}/events", params={"after": page["nextAfter"]}, headers=headers)
    assert [e["id"] for e in rest.json()["events"]] == [second]
    assert rest.json()["events"][0]["type"] == "quote.locked"


def test_rotating_and_deactivating_a_webhook(client):
    headers = partner_headers(client)
    hook = client.post(
        f"{B2B}/webhooks",
        json={"url": "https://hooks.example/x", "eventTypes": ["*"]},
        headers=headers,
    ).json()
    rotated = client.post(f"{B2B}/webhooks/{hook['id']}/rotate-secret", headers=headers).json()
    assert rotated["secret"] != hook["secret"]
    gone = client.delete(f"{B2B}/webhooks/{hook['id']}", headers=headers)
    assert gone.status_code == 200 and gone.json()["active"] is False
    _publish(client, _partner_id(client, headers))
    assert _deliver(client) == 0  # an inactive webhook gets nothing


def test_bad_webhooks_are_refused_naming_the_field(client):
    headers = partner_headers(client)
    response = client.post(
        f"{B2B}/webhooks",
        json={"url": "ftp://hooks.example/x", "eventTypes": ["Order Status!"]},
        headers=headers,
    )
    assert is_problem(response, 422, "validation_failed")
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"url", "eventTypes.0"}
    empty = client.post(
        f"{B2B}/webhooks", json={"url": "https://h.example/", "eventTypes": []}, headers=headers
    )
    assert is_problem(empty, 422)


def test_another_partners_webhook_does_not_exist(client):
    mine = client.post(
        f"{B2B}/webhooks",
        json={"url": "https://hooks.example/x", "eventTypes": ["*"]},
        headers=partner_headers(client),
    ).json()
    theirs = partner_headers(client, SANDBOX_CLIENT_B)
    for call in (
        client.get(f"{B2B}/webhooks/{mine['id']}", headers=theirs),
        client.delete(f"{B2B}/webhooks/{mine['id']}", headers=theirs),
        client.post(f"{B2B}/webhooks/{mine['id']}/rotate-secret", headers=theirs),
        client.get(f"{B2B}/webhooks/{mine['id']}/deliveries", headers=theirs),
    ):
        assert is_problem(call, 404, "webhook_not_found")


def test_consumer_tokens_are_refused(client):
    response = client.get(f"{B2B}/events", headers=sign_in(client))
    assert is_problem(response, 401)


def test_an_operators_decision_reaches_the_partner_by_webhook_and_by_polling(client):
    receiver = Receiver()
    try:
        headers = partner_headers(client)
        client.post(
            f"{B2B}/webhooks",
            json={"url": receiver.url, "eventTypes": ["exception_request.*"]},
            headers=headers,
        )
        request = file_exception(client, headers)
        decided = client.post(
            f"/operator/v1/exception-requests/{request['id']}/approve",
            json={"note": "OK"},
            headers=OPERATOR,
        )
        assert decided.status_code == 200, decided.text

        [event] = client.get(f"{B2B}/events", headers=headers).json()["events"]
        assert event["type"] == "exception_request.approved"
        assert event["subject"] == request["id"]
        assert event["data"]["status"] == "approved"
        assert _deliver(client) == 1
        assert [r.headers["OrderHub-Event-Id"] for r in receiver.received] == [event["id"]]
    finally:
        receiver.close()


def test_a_replayed_create_shows_the_secret_that_is_never_stored(client):
    from sqlalchemy import select

    from orderhub.idempotency.models import IdempotencyRecord

    headers = partner_headers(client) | {"Idempotency-Key": "wh-replay"}
    body = {"url": "https://hooks.example/x", "eventTypes": ["*"]}
    first = client.post(f"{B2B}/webhooks", json=body, headers=headers)
    again = client.post(f"{B2B}/webhooks", json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    with client.app.state.runtime.database.transaction(write=False) as session:
        kept = session.execute(select(IdempotencyRecord.body)).scalars().all()
    assert kept and all("secret" not in answer for answer in kept)


def test_bad_query_values_are_422_not_500(client):
    headers = partner_headers(client)
    assert is_problem(client.get(f"{B2B}/events", params={"after": 10**30}, headers=headers), 422)
    assert is_problem(
        client.get(f"{B2B}/quotes", params={"customerId": "a\x00b"}, headers=headers), 422
    )
