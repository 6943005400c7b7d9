"""The global event stream under concurrency: pollers that never skip an event committed
late, dispatchers that queue each delivery once, and a webhook removed while a dispatch
is at work. Each transaction on its own connection, as in separate processes."""

from __future__ import annotations

import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, text

from orderhub.app import create_app
from orderhub.db import Database
from orderhub.ids import utcnow
from orderhub.webhooks import dispatch, rules, stream
from orderhub.webhooks import service as webhooks
from orderhub.webhooks.models import WebhookDelivery, WebhookSubscription
from tests.outbox import dispatched, eventually

KEY = b"test-key"
OWNERS = ["partner:p_one", "partner:p_two", "customer:c_one", "customer:c_two"]


def _publish(session, owner: str, n: int = 0) -> str:
    return webhooks.publish(
        session, owner=owner, type="order.status_changed", subject="x", data={"n": n}
    )


def _read_all(database: Database, after: stream.Position = stream.START) -> list:
    with database.transaction(write=False) as session:
        return stream.read(session, after=after, limit=100_000)


def _subscribe(database: Database, owner: str) -> str:
    with database.transaction() as session:
        return webhooks.subscribe(
            session,
            owner=owner,
            url="https://hooks.example/x",
            event_types=["*"],
            key=KEY,
            allow_http=False,
        ).subscription.id


def _one_writer_at_a_time(backend: str) -> None:
    if backend == "sqlite":
        pytest.skip("SQLite runs one writer at a time: a transaction cannot commit late")


def test_a_poller_waits_for_a_slower_transaction_rather_than_skip_its_event(
    database, settings, backend
):
    _one_writer_at_a_time(backend)
    with TestClient(create_app(settings)) as client:
        _poll_around_a_slow_transaction(database, client)


def _poll_around_a_slow_transaction(database: Database, client: TestClient) -> None:
    operator = {"Authorization": "Bearer sandbox-operator-token"}
    with database.transaction() as slow:
        early = _publish(slow, "customer:c_slow")  # the lower seq, not committed yet
        with database.transaction() as fast:
            late = _publish(fast, "partner:p_fast")
        # Committed out of seq order: a cursor on seq alone would pass `early` by.
        with database.transaction(write=False) as session:
            seqs = {r.id: r.seq for r in session.execute(select(webhooks.EVENTS))}
        assert late in seqs and early not in seqs

        # The stream holds `late` back while the transaction before it may still commit.
        assert late not in [r.id for r in _read_all(database)]
        polled = client.get("/operator/v1/events", headers=operator).json()
        assert late not in [e["id"] for e in polled["events"]]
        cursor = polled["nextAfter"]
    # Once it has, both come, the slower transaction's first, from the same cursor.
    resumed = eventually(
        lambda: client.get(
            "/operator/v1/events", params={"after": cursor}, headers=operator
        ).json()["events"],
        "the two events",
    )
    assert [e["id"] for e in resumed] == [early, late]


def test_concurrent_publishers_and_pollers_see_every_event_once_in_commit_order(database, settings):
    per_writer, writers = 20, 8
    published: list[str] = []
    done = threading.Event()
    others = [Database(settings.database_url) for _ in range(2)]  # more processes' pools

    def write(index: int) -> None:
        db = others[index % 2]
        for n in range(per_writer):
            owner = OWNERS[(index + n) % len(OWNERS)]
            with db.transaction() as session:
                event_id = _publish(session, owner, n)
                time.sleep(random.uniform(0, 0.01))  # commit a little later, in any order
            published.append(event_id)

    def poll_stream() -> list[str]:
        seen, after = [], stream.START
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            finished = done.is_set()
            with database.transaction(write=False) as session:
                page = stream.read(session, after=after, limit=50)
            seen += [r.id for r in page]
            after = stream.Position.of(page[-1]) if page else after
            if finished and not page and len(seen) >= len(published):
                return seen
            time.sleep(0.002)
        return seen  # short: the assertions below say what was missed

    def poll_partner(owner: str) -> list[str]:
        """A partner polling by seq (GET /b2b/v1/events): publishers take the partner's turn."""
        seen, after = [], 0
        while True:
            finished = done.is_set()
            with database.transaction(write=False) as session:
                page = webhooks.events_after(session, owner=owner, after=after, limit=50)
            seen += [r.id for r in page]
            after = page[-1].seq if page else after
            if finished and not page:
                return seen
            time.sleep(0.002)

    try:
        with ThreadPoolExecutor(max_workers=writers + 3) as pool:
            stream_poller = pool.submit(poll_stream)
            partner_pollers = {o: pool.submit(poll_partner, o) for o in OWNERS[:2]}
            for f in [pool.submit(write, i) for i in range(writers)]:
                f.result()
            done.set()
            seen = stream_poller.result(timeout=60)
            by_partner = {o: f.result(timeout=60) for o, f in partner_pollers.items()}
    finally:
        for db in others:
            db.dispose()

    assert len(seen) == len(set(seen)) == writers * per_writer
    assert set(seen) == set(published)
    assert seen == [r.id for r in _read_all(database)]  # the order every reader sees
    with database.transaction(write=False) as session:
        for owner, ids in by_partner.items():
            theirs = webhooks.events_after(session, owner=owner, after=0, limit=10_000)
            assert ids == [r.id for r in theirs], f"{owner}'s poller skipped an event"


def test_dispatchers_racing_publishers_queue_each_delivery_once(database, settings):
    operations = _subscribe(database, rules.OPERATIONS)
    partner = _subscribe(database, "partner:p_one")
    done = threading.Event()
    others = [Database(settings.database_url) for _ in range(2)]

    def publish(index: int) -> None:
        for n in range(15):
            with others[index % 2].transaction() as session:
                _publish(session, OWNERS[(index + n) % len(OWNERS)], n)
                time.sleep(random.uniform(0, 0.005))

    def dispatcher(db: Database) -> None:
        while not done.is_set():
            with db.transaction() as session:
                dispatch.dispatch(session, now=utcnow(), limit=7)
            time.sleep(0.001)

    try:
        with ThreadPoolExecutor(max_workers=6) as pool:
            running = [pool.submit(dispatcher, db) for db in others]
            for f in [pool.submit(publish, i) for i in range(4)]:
                f.result()
            done.set()
            for f in running:
                f.result()
    finally:
        for db in others:
            db.dispose()
    dispatched(database)

    events = _read_all(database)
    with database.transaction(write=False) as session:
        queued = session.execute(
            select(
                WebhookDelivery.subscription_id, WebhookDelivery.event_seq, func.count()
            ).group_by(WebhookDelivery.subscription_id, WebhookDelivery.event_seq)
        ).all()
    assert len(events) == 60
    assert all(n == 1 for _, _, n in queued), "an event was dispatched twice"
    assert {seq for sub, seq, _ in queued if sub == operations} == {e.seq for e in events}
    assert {seq for sub, seq, _ in queued if sub == partner} == {
        e.seq for e in events if e.owner == "partner:p_one"
    }


def test_a_webhook_removed_while_a_dispatch_is_at_work_goes_with_all_its_deliveries(
    database, settings, backend
):
    _one_writer_at_a_time(backend)
    owner = "partner:p_one"
    subscription = _subscribe(database, owner)
    with database.transaction() as session:
        _publish(session, owner)
    eventually(lambda: _read_all(database), "the event")
    other = Database(settings.database_url)
    try:
        with database.transaction() as dispatching:
            assert dispatch.dispatch(dispatching, now=utcnow()).deliveries == 1
            removal = threading.Thread(
                target=lambda: _remove(other, owner, subscription), daemon=True
            )
            removal.start()
            removal.join(0.5)
            assert removal.is_alive(), "the removal went ahead of the dispatch"
        removal.join(10)
        assert not removal.is_alive()
    finally:
        other.dispose()
    with database.transaction(write=False) as session:
        assert session.scalar(select(func.count()).select_from(WebhookDelivery)) == 0
        assert session.scalar(select(func.count()).select_from(WebhookSubscription)) == 0


def _remove(database: Database, owner: str, subscription_id: str) -> None:
    with database.transaction() as session:
        webhooks.remove(session, owner=owner, subscription_id=subscription_id)


def test_a_turn_a_rolled_back_savepoint_released_is_taken_again(database, backend):
    """A partner's turn is an advisory lock: a savepoint rolled back releases it, so the
    next publish must take it again (a worker publishes each order in a savepoint)."""
    _one_writer_at_a_time(backend)
    held = text(
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
        "AND pid = pg_backend_pid()"
    )
    with database.transaction() as session:
        with pytest.raises(RuntimeError), session.begin_nested():
            _publish(session, "partner:p_one")
            assert session.execute(held).scalar_one() == 1
            raise RuntimeError("this order failed")
        assert session.execute(held).scalar_one() == 0  # released with the savepoint
        _publish(session, "partner:p_one")
        assert session.execute(held).scalar_one() == 1
        _publish(session, "partner:p_one")  # held now: not taken twice
        assert session.execute(held).scalar_one() == 1
