"""Webhook delivery end to end: outbox rows, a real local receiver, retries, concurrency."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from orderhub.db import Database
from orderhub.ids import utcnow
from orderhub.webhooks import egress, rules, worker
from orderhub.webhooks import service as webhooks
from orderhub.webhooks.service import DELIVERIES, EVENTS
from tests.outbox import dispatched, in_stream
from tests.receiver import Receiver

KEY = b"test-key"
OWNER = "partner:p_test"


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.close()


def _subscribe(database: Database, url: str, types: list[str]) -> webhooks.NewSubscription:
    with database.transaction() as session:
        return webhooks.subscribe(
            session, owner=OWNER, url=url, event_types=types, key=KEY, allow_http=True
        )


def _publish(database: Database, type: str = "order.status_changed", **data) -> str:
    with database.transaction() as session:
        return webhooks.publish(
            session, owner=OWNER, type=type, subject="bor_1", data=data or {"status": "accepted"}
        )


def _deliver(database: Database, now=None) -> int:
    dispatched(database, now)

    async def once() -> int:
        async with egress.client(allow_private=True, timeout=5) as client:
            return await worker.deliver_due(database, KEY, client, retry_base_seconds=10, now=now)

    return asyncio.run(once())


def _deliveries(database: Database) -> list:
    with database.transaction(write=False) as session:
        return list(session.execute(select(DELIVERIES).order_by(DELIVERIES.c.created_at)))


def test_an_event_reaches_the_receiver_signed_with_its_id(database, receiver):
    new = _subscribe(database, receiver.url, ["order.*"])
    event_id = _publish(database, status="accepted")

    assert _deliver(database) == 1

    [got] = receiver.received
    body = json.loads(got.body)
    assert body["id"] == event_id == got.headers["OrderHub-Event-Id"]
    assert body["type"] == "order.status_changed"
    assert body["data"] == {"status": "accepted"}
    timestamp = int(got.headers["OrderHub-Timestamp"])
    assert got.headers["OrderHub-Signature"] == rules.signature(new.secret, timestamp, got.body)
    [delivery] = _deliveries(database)
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("delivered", 1, 204)
    assert _deliver(database) == 0  # nothing left to send


def test_a_failed_delivery_is_retried_after_the_backoff_then_delivered(database):
    receiver = Receiver(statuses=[500, 200])
    try:
        _subscribe(database, receiver.url, ["*"])
        _publish(database)
        assert _deliver(database) == 1
        [delivery] = _deliveries(database)
        assert (delivery.status, delivery.attempts, delivery.last_status_code) == (
            "pending",
            1,
            500,
        )
        assert _deliver(database) == 0  # not due before the backoff
        assert _deliver(database, now=utcnow() + timedelta(seconds=11)) == 1
        [delivery] = _deliveries(database)
        assert (delivery.status, delivery.attempts) == ("delivered", 2)
        assert [r.headers["OrderHub-Delivery-Attempt"] for r in receiver.received] == ["1", "2"]
        assert len({r.headers["OrderHub-Event-Id"] for r in receiver.received}) == 1
    finally:
        receiver.close()


def test_a_delivery_that_keeps_failing_ends_failed(database):
    _subscribe(database, "http://127.0.0.1:9/unreachable", ["*"])
    _publish(database)
    later = utcnow()
    for _ in range(rules.MAX_ATTEMPTS):
        assert _deliver(database, now=later) == 1
        later += timedelta(hours=2)
    [delivery] = _deliveries(database)
    assert (delivery.status, delivery.attempts) == ("failed", rules.MAX_ATTEMPTS)
    assert delivery.last_error == "ConnectError"
    assert _deliver(database, now=later) == 0


def test_only_subscriptions_that_want_the_type_get_it(database, receiver):
    _subscribe(database, receiver.url, ["quote.*"])
    _publish(database, type="order.status_changed")
    assert _deliveries(database) == []
    assert _deliver(database) == 0


def test_an_event_of_a_rolled_back_change_does_not_exist(database, receiver):
    _subscribe(database, receiver.url, ["*"])
    with pytest.raises(RuntimeError), database.transaction() as session:
        webhooks.publish(session, owner=OWNER, type="order.created", subject="x", data={})
        raise RuntimeError("the change failed")
    with database.transaction(write=False) as session:
        assert session.execute(select(EVENTS)).first() is None
    assert _deliveries(database) == []


def test_polling_returns_the_owners_events_after_a_cursor(database):
    first = _publish(database, status="accepted")
    second = _publish(database, status="design")
    with database.transaction() as session:
        webhooks.publish(session, owner="partner:other", type="order.created", subject="y", data={})
    with database.transaction(write=False) as session:
        page = webhooks.events_after(session, owner=OWNER, after=0, limit=10)
        assert [e.id for e in page] == [first, second]
        rest = webhooks.events_after(session, owner=OWNER, after=page[0].seq, limit=10)
        assert [e.id for e in rest] == [second]


def test_rotating_the_secret_signs_with_the_new_one(database, receiver):
    new = _subscribe(database, receiver.url, ["*"])
    with database.transaction() as session:
        rotated = webhooks.rotate_secret(
            session, owner=OWNER, subscription_id=new.subscription.id, key=KEY
        )
    assert rotated.secret != new.secret
    _publish(database)
    _deliver(database)
    [got] = receiver.received
    timestamp = int(got.headers["OrderHub-Timestamp"])
    assert got.headers["OrderHub-Signature"] == rules.signature(rotated.secret, timestamp, got.body)


def test_another_owners_subscription_does_not_exist(database, receiver):
    new = _subscribe(database, receiver.url, ["*"])
    with pytest.raises(webhooks.SubscriptionNotFound), database.transaction() as session:
        webhooks.get(session, owner="partner:other", subscription_id=new.subscription.id)


def test_two_workers_at_once_send_each_delivery_once(database, settings, receiver):
    _subscribe(database, receiver.url, ["*"])
    for n in range(30):
        _publish(database, n=n)
    in_stream(database, 30)  # then the four dispatch them, each event once, and deliver
    other = Database(settings.database_url)  # a second process's engine and pool

    async def both() -> list[int]:
        async with egress.client(allow_private=True, timeout=5) as client:
            return await asyncio.gather(
                *(
                    worker.deliver_due(db, KEY, client, retry_base_seconds=10)
                    for db in (database, other, database, other)
                )
            )

    try:
        while sum(asyncio.run(both())):
            pass
    finally:
        other.dispose()
    ids = [r.headers["OrderHub-Event-Id"] for r in receiver.received]
    assert len(ids) == 30 and len(set(ids)) == 30
    assert {d.status for d in _deliveries(database)} == {"delivered"}


def test_outside_the_sandbox_a_private_receiver_gets_nothing(database, receiver):
    _subscribe(database, receiver.url, ["*"])
    _publish(database)
    dispatched(database)

    async def production_worker() -> int:
        async with egress.client(allow_private=False, timeout=5) as client:
            return await worker.deliver_due(database, KEY, client, retry_base_seconds=10)

    assert asyncio.run(production_worker()) == 1
    assert receiver.received == []
    [delivery] = _deliveries(database)
    assert (delivery.status, delivery.last_error) == ("pending", "host not public")


def test_a_receiver_that_never_answers_is_given_up_on_and_recorded(database, monkeypatch):
    monkeypatch.setattr(worker, "ATTEMPT_SECONDS", 0.5)
    import socket

    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)  # accepts connections, never answers
    try:
        _subscribe(database, f"http://127.0.0.1:{silent.getsockname()[1]}/", ["*"])
        _publish(database)
        assert _deliver(database) == 1
    finally:
        silent.close()
    [delivery] = _deliveries(database)
    assert (delivery.status, delivery.attempts, delivery.last_error) == (
        "pending",
        1,
        "TimeoutError",
    )
