"""Retention: the worker deletes what has served its purpose, in small batches, and keeps
what is still young or still needed."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import timedelta

from sqlalchemy import func, insert, select, update

from orderhub import retention
from orderhub.ids import new_id, utcnow
from orderhub.retention import (
    BUDGETS,
    CHALLENGES,
    DELIVERIES,
    EVENTS,
    IDEMPOTENCY,
    MESSAGES,
    PASSKEY_CHALLENGES,
    SANDBOX_CHARGES,
)
from orderhub.webhooks.dispatch import CURSOR, CURSORS
from orderhub.webhooks.models import WebhookSubscription

SUBSCRIPTIONS = WebhookSubscription.__table__


def _rows(session, table) -> int:
    return session.execute(select(func.count()).select_from(table)).scalar_one()


def _seed(session, *, age: timedelta, tag: str, status: str = "delivered") -> None:
    """One row of every prunable kind, `age` old."""
    then = utcnow() - age
    session.execute(
        insert(IDEMPOTENCY),
        {
            "scope": "customer:x",
            "key": f"key-{tag}",
            "request_hash": "0" * 64,
            "status_code": 201,
            "body": {},
            "created_at": then,
        },
    )
    session.execute(
        insert(CHALLENGES),
        {
            "id": new_id("otp"),
            "identifier": "4695550100",
            "channel": "sms",
            "code_hash": "0" * 64,
            "attempts": 0,
            "expires_at": then + timedelta(minutes=10),
            "consumed_at": None,
            "created_at": then,
        },
    )
    session.execute(
        insert(PASSKEY_CHALLENGES),
        {
            "id": new_id("pkc"),
            "purpose": "authentication",
            "challenge_hash": "0" * 64,
            "customer_id": None,
            "expires_at": then + timedelta(minutes=5),
            "consumed_at": None,
            "created_at": then,
        },
    )
    seq = session.execute(
        insert(EVENTS).returning(EVENTS.c.seq),
        {
            "id": new_id("evt"),
            "owner": "partner:prt_sandbox",
            "type": "order.status_changed",
            "subject": "bor_x",
            "data": {},
            "created_at": then,
        },
    ).scalar_one()
    subscription = new_id("whk")
    session.execute(
        insert(SUBSCRIPTIONS),
        {
            "id": subscription,
            "owner": "partner:prt_sandbox",
            "url": "https://partner.example/hook",
            "event_types": ["*"],
            "active": True,
            "secret_version": 1,
            "created_at": then,
            "updated_at": then,
        },
    )
    session.execute(
        insert(DELIVERIES),
        {
            "id": new_id("dlv"),
            "event_seq": seq,
            "subscription_id": subscription,
            "status": status,
            "attempts": 1,
            "next_attempt_at": then if status == "pending" else None,
            "created_at": then,
        },
    )
    session.execute(
        insert(SANDBOX_CHARGES),
        {
            "key": f"charge-{tag}",
            "amount_cents": 8900,
            "currency": "USD",
            "status": "succeeded",
            "decline_code": None,
            "reference": f"ch_{tag}",
            "created_at": then,
        },
    )
    session.execute(
        insert(MESSAGES),
        {"recipient": "4695550100", "channel": "sms", "body": "code", "created_at": then},
    )
    session.execute(
        insert(BUDGETS),
        {
            "key": f"password:{tag}@example.com",
            "failed_attempts": 2,
            "locks": 0,
            "locked_until": None,
            "updated_at": then,
        },
    )


def _dispatched_all(session) -> None:
    """As if the dispatcher had passed every event (SQLite and PostgreSQL alike: the
    largest txid and seq)."""
    session.execute(
        update(CURSORS)
        .where(CURSORS.c.name == CURSOR)
        .values(
            txid=select(func.max(EVENTS.c.txid)).scalar_subquery(),
            seq=select(func.max(EVENTS.c.seq)).scalar_subquery(),
        )
    )


def _prune_all(database, settings) -> list[int]:
    cycles = []
    while deleted := asyncio.run(retention.prune_due(database, settings)):
        cycles.append(deleted)
    return cycles


def test_old_rows_are_pruned_in_batches_and_young_ones_kept(database, settings):
    settings = dataclasses.replace(settings, retention_batch=2, retention_days=30)
    with database.transaction() as session:
        before = {
            t.name: _rows(session, t)
            for t in (
                IDEMPOTENCY,
                CHALLENGES,
                PASSKEY_CHALLENGES,
                EVENTS,
                DELIVERIES,
                MESSAGES,
                SANDBOX_CHARGES,
                BUDGETS,
            )
        }
        for n in range(3):
            _seed(session, age=timedelta(days=40), tag=f"old{n}")
        _seed(session, age=timedelta(hours=1), tag="young")
        # An old delivery still being retried keeps itself and its event.
        _seed(session, age=timedelta(days=40), tag="pending", status="pending")
        _dispatched_all(session)

    cycles = _prune_all(database, settings)

    # Three old rows of each kind were deleted, two per batch: more than one cycle.
    assert len(cycles) >= 2
    with database.transaction() as session:
        after = {
            t.name: _rows(session, t)
            for t in (
                IDEMPOTENCY,
                CHALLENGES,
                PASSKEY_CHALLENGES,
                EVENTS,
                DELIVERIES,
                MESSAGES,
                SANDBOX_CHARGES,
                BUDGETS,
            )
        }
    # The young rows stay; the pending delivery and its event stay; the old idempotency
    # keys, codes, messages and budgets of the pending seed go too (they are old).
    assert after["idempotency_records"] == before["idempotency_records"] + 1
    assert after["otp_challenges"] == before["otp_challenges"] + 1
    assert after["passkey_challenges"] == before["passkey_challenges"] + 1
    assert after["sandbox_payment_charges"] == before["sandbox_payment_charges"] + 1
    assert after["sandbox_messages"] == before["sandbox_messages"] + 1
    assert after["attempt_budgets"] == before["attempt_budgets"] + 1
    assert after["webhook_deliveries"] == before["webhook_deliveries"] + 2
    assert after["outbox_events"] == before["outbox_events"] + 2
    assert sum(cycles) == 3 * 8 + 6  # 3 old seeds x 8 kinds, and the pending seed's 6


def test_a_locked_budget_is_kept_however_idle(database, settings):
    with database.transaction() as session:
        session.execute(
            insert(BUDGETS),
            {
                "key": "otp:4695550100",
                "failed_attempts": 0,
                "locks": 3,
                "locked_until": utcnow() + timedelta(hours=2),
                "updated_at": utcnow() - timedelta(days=30),
            },
        )
    _prune_all(database, settings)
    with database.transaction() as session:
        assert session.execute(
            select(BUDGETS.c.key).where(BUDGETS.c.key == "otp:4695550100")
        ).first()


def test_an_event_not_dispatched_yet_and_the_newest_event_are_kept(database, settings):
    """A worker down for longer than the retention age must still dispatch what waits;
    and on SQLite deleting the newest event would hand its `seq` out again, behind every
    reader's cursor."""
    old = utcnow() - timedelta(days=40)

    def event() -> int:
        return session.execute(
            insert(EVENTS).returning(EVENTS.c.seq),
            {
                "id": new_id("evt"),
                "owner": "customer:c_old",
                "type": "ledger.status_changed",
                "subject": "ord_x",
                "data": {},
                "created_at": old,
            },
        ).scalar_one()

    with database.transaction() as session:
        dispatched = [event(), event()]
        _dispatched_all(session)
        waiting = event()
    _prune_all(database, settings)
    with database.transaction(write=False) as session:
        left = set(session.execute(select(EVENTS.c.seq)).scalars())
    assert dispatched[0] not in left  # old and dispatched: gone
    assert dispatched[1] in left or waiting in left  # never every event
    assert waiting in left  # not dispatched yet: kept, however old

    with database.transaction() as session:
        _dispatched_all(session)
    _prune_all(database, settings)
    with database.transaction(write=False) as session:
        left = set(session.execute(select(EVENTS.c.seq)).scalars())
    assert waiting in left and dispatched[1] not in left  # the newest stays
