"""Deleting a webhook removes it and its deliveries; its registration is bounded."""

from __future__ import annotations

from sqlalchemy import func, select

from orderhub.partners import tokens
from orderhub.webhooks import service as webhooks
from orderhub.webhooks.models import OutboxEvent, WebhookDelivery, WebhookSubscription
from tests.api.b2b_helpers import B2B, partner_headers
from tests.helpers import is_problem
from tests.outbox import dispatched


def _owner(client, headers) -> str:
    token = headers["Authorization"].removeprefix("Bearer ")
    principal = tokens.verify(client.app.state.runtime.key, token, 0)
    assert principal is not None
    return f"partner:{principal.partner_id}"


def _publish(client, owner: str) -> str:
    """An event, and its deliveries queued (what the worker's dispatcher does)."""
    database = client.app.state.runtime.database
    with database.transaction() as session:
        event_id = webhooks.publish(
            session, owner=owner, type="order.status_changed", subject="bor_x", data={"n": 1}
        )
    dispatched(database)
    return event_id


def _count(client, model, **where) -> int:
    with client.app.state.runtime.database.transaction(write=False) as session:
        query = select(func.count()).select_from(model)
        for name, value in where.items():
            query = query.where(getattr(model, name) == value)
        return session.execute(query).scalar_one()


def _register(client, headers, **extra) -> dict:
    response = client.post(
        f"{B2B}/webhooks",
        json={"url": "https://hooks.example/x", "eventTypes": ["order.*"]},
        headers=headers | extra,
    )
    assert response.status_code == 201, response.text
    return response.json()


def test_deleting_a_webhook_removes_it_and_its_deliveries_and_keeps_the_events(client):
    headers = partner_headers(client)
    owner = _owner(client, headers)
    gone, kept = _register(client, headers), _register(client, headers)
    first = _publish(client, owner)
    # One of its deliveries delivered, one failed, one still pending.
    with client.app.state.runtime.database.transaction() as session:
        session.execute(
            WebhookDelivery.__table__.update()
            .where(WebhookDelivery.subscription_id == gone["id"])
            .values(status="delivered")
        )
    _publish(client, owner)
    with client.app.state.runtime.database.transaction() as session:
        session.execute(
            WebhookDelivery.__table__.update()
            .where(
                WebhookDelivery.subscription_id == gone["id"],
                WebhookDelivery.status == "pending",
            )
            .values(status="failed")
        )
    _publish(client, owner)
    assert _count(client, WebhookDelivery, subscription_id=gone["id"]) == 3

    deleted = client.delete(f"{B2B}/webhooks/{gone['id']}", headers=headers)

    assert deleted.status_code == 200, deleted.text
    assert deleted.json()["id"] == gone["id"] and deleted.json()["active"] is False
    assert _count(client, WebhookSubscription, id=gone["id"]) == 0
    assert _count(client, WebhookDelivery, subscription_id=gone["id"]) == 0
    assert _count(client, WebhookDelivery, subscription_id=kept["id"]) == 3
    assert is_problem(
        client.get(f"{B2B}/webhooks/{gone['id']}", headers=headers), 404, "webhook_not_found"
    )
    assert is_problem(
        client.delete(f"{B2B}/webhooks/{gone['id']}", headers=headers), 404, "webhook_not_found"
    )
    listed = client.get(f"{B2B}/webhooks", headers=headers).json()["webhooks"]
    assert [w["id"] for w in listed] == [kept["id"]]
    # The events stay in the outbox: polling still reads them, from the first.
    assert _count(client, OutboxEvent, owner=owner) == 3
    polled = client.get(f"{B2B}/events", headers=headers).json()["events"]
    assert [e["id"] for e in polled][:1] == [first] and len(polled) == 3
    # A new event queues nothing for it.
    _publish(client, owner)
    assert _count(client, WebhookDelivery, subscription_id=gone["id"]) == 0


def test_a_replayed_registration_of_a_deleted_webhook_is_a_409(client):
    headers = partner_headers(client)
    hook = _register(client, headers, **{"Idempotency-Key": "wh-gone"})
    assert client.delete(f"{B2B}/webhooks/{hook['id']}", headers=headers).status_code == 200
    again = client.post(
        f"{B2B}/webhooks",
        json={"url": "https://hooks.example/x", "eventTypes": ["order.*"]},
        headers=headers | {"Idempotency-Key": "wh-gone"},
    )
    assert is_problem(again, 409, "webhook_deleted")
    assert "secret" not in again.json()


def test_a_registration_is_bounded(client):
    headers = partner_headers(client)
    for body, field, rule in (
        ({"eventTypes": ["order." + "x" * 80]}, "eventTypes.0", "string_too_long"),
        ({"eventTypes": ["*"] * 21}, "eventTypes", "too_long"),
        ({"url": "https://hooks.example/" + "x" * 2000}, "url", "string_too_long"),
    ):
        response = client.post(
            f"{B2B}/webhooks",
            json={"url": "https://hooks.example/x", "eventTypes": ["*"]} | body,
            headers=headers,
        )
        assert is_problem(response, 422), response.text
        assert [(e["field"], e["rule"]) for e in response.json()["errors"]] == [(field, rule)]
