"""Migration 0015 (one event stream) on a database with events and deliveries from before
it: those keep the deliveries they had and are not dispatched again; events published
after it are dispatched, to the owner's webhook and to operations'."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import insert, select

from orderhub import migrate
from orderhub.db import Database
from orderhub.ids import utcnow
from orderhub.webhooks import dispatch, rules, stream
from orderhub.webhooks import service as webhooks
from tests.outbox import eventually

OWNER = "partner:prt_before"
BEFORE = datetime(2026, 12, 1, tzinfo=UTC)


def _fill_at_0014(database: Database) -> None:
    """A partner's webhook and two events, each with the delivery the code before 0015
    queued when it published them. (The columns written are those 0014 has.)"""
    with database.engine.begin() as conn:
        conn.execute(
            insert(webhooks.SUBSCRIPTIONS),
            {
                "id": "whk_before",
                "owner": OWNER,
                "url": "https://hooks.example/x",
                "event_types": ["*"],
                "active": True,
                "secret_version": 1,
                "created_at": BEFORE,
                "updated_at": BEFORE,
            },
        )
        for n in (1, 2):
            seq = conn.execute(
                insert(webhooks.EVENTS).returning(webhooks.EVENTS.c.seq),
                {
                    "id": f"evt_before_{n}",
                    "owner": OWNER,
                    "type": "order.status_changed",
                    "subject": "bor_before",
                    "data": {"n": n},
                    "created_at": BEFORE,
                },
            ).scalar_one()
            conn.execute(
                insert(webhooks.DELIVERIES),
                {
                    "id": f"dlv_before_{n}",
                    "event_seq": seq,
                    "subscription_id": "whk_before",
                    "status": "delivered",
                    "attempts": 1,
                    "next_attempt_at": BEFORE,
                    "created_at": BEFORE,
                },
            )


def _dispatch(database: Database) -> dispatch.Dispatched:
    with database.transaction() as session:
        return dispatch.dispatch(session, now=utcnow())


def _deliveries(database: Database) -> list[tuple[str, str]]:
    """(subscription, event id) of every delivery queued, in event order."""
    with database.transaction(write=False) as session:
        return [
            (row.subscription_id, row.id)
            for row in session.execute(
                select(webhooks.DELIVERIES.c.subscription_id, webhooks.EVENTS.c.id)
                .join(webhooks.EVENTS, webhooks.EVENTS.c.seq == webhooks.DELIVERIES.c.event_seq)
                .order_by(webhooks.EVENTS.c.seq, webhooks.DELIVERIES.c.subscription_id)
            )
        ]


def test_events_from_before_keep_their_deliveries_and_new_ones_are_dispatched(
    empty_database_url,
):
    database = Database(empty_database_url)
    try:
        migrate.upgrade(database, revision="0014")
        _fill_at_0014(database)
        migrate.upgrade(database)  # to head: 0015, the stream and the dispatcher's cursor

        with database.transaction(write=False) as session:
            old = stream.read(session, after=stream.START, limit=10)
            cursor = session.execute(select(dispatch.CURSORS)).one()
        assert [(e.id, e.txid) for e in old] == [("evt_before_1", 0), ("evt_before_2", 0)]
        assert (cursor.name, cursor.txid, cursor.seq) == ("deliveries", 0, old[-1].seq)

        with database.transaction() as session:
            operations = webhooks.subscribe(
                session,
                owner=rules.OPERATIONS,
                url="https://hooks.example/ops",
                event_types=["*"],
                key=b"test-key",
                allow_http=False,
            ).subscription.id
        with database.transaction() as session:
            new_event = webhooks.publish(
                session, owner=OWNER, type="order.status_changed", subject="bor_after", data={}
            )
        # On PostgreSQL the event joins the stream once older transactions have ended.
        assert eventually(lambda: _dispatch(database).events, "the new event") == 1
        assert _dispatch(database) == dispatch.NOTHING

        # The old events kept their one delivery each; the new one went to both webhooks.
        assert _deliveries(database) == [
            ("whk_before", "evt_before_1"),
            ("whk_before", "evt_before_2"),
            *sorted((sub, new_event) for sub in ("whk_before", operations)),
        ]
    finally:
        database.dispose()
