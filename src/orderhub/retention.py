"""Nothing grows without bound: the worker deletes what has served its purpose.

Each rule deletes at most `batch` of its oldest rows per transaction, chosen through an
index on the age column, so no table is ever locked as a whole (row locks on PostgreSQL;
on SQLite the write lock is held for one short batch). A cycle runs one batch per rule;
the loop (worker_loop.run) runs cycles back to back while there is work, then naps.

Kept forever: orders and their histories, lines and theirs (audit trails). Pruned:
expired Idempotency-Key answers, spent one-time codes and passkey challenges, finished
webhook deliveries and dispatched outbox events past the retention age (polling sees them
until then), sandbox messages and sandbox payment charges, and idle failed-attempt budgets.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Table, and_, delete, exists, func, or_, select, tuple_
from sqlalchemy.orm import Session

from orderhub import metrics, worker_loop
from orderhub.adapters.messaging import SentMessage
from orderhub.adapters.payments import SandboxCharge
from orderhub.config import Settings
from orderhub.db import Database
from orderhub.idempotency.models import IdempotencyRecord
from orderhub.identity.models import AttemptBudget, OtpChallenge, PasskeyChallenge
from orderhub.ids import utcnow
from orderhub.operators.models import ConsoleSession
from orderhub.webhooks import dispatch
from orderhub.webhooks.models import OutboxEvent, WebhookDelivery

IDEMPOTENCY = IdempotencyRecord.__table__
CHALLENGES = OtpChallenge.__table__
PASSKEY_CHALLENGES = PasskeyChallenge.__table__
DELIVERIES = WebhookDelivery.__table__
EVENTS = OutboxEvent.__table__
MESSAGES = SentMessage.__table__
SANDBOX_CHARGES = SandboxCharge.__table__
BUDGETS = AttemptBudget.__table__
CONSOLE_SESSIONS = ConsoleSession.__table__
# A budget idle this long is forgotten, with the lock escalation it remembered.
IDLE_BUDGET = timedelta(days=7)


@dataclass(frozen=True)
class Rule:
    """Rows of `table` that `expired(now)` selects, oldest first by `age`."""

    table: Table
    age: ColumnElement
    expired: Callable[[datetime], ColumnElement[bool]]

    def prune(self, session: Session, *, now: datetime, batch: int) -> int:
        key = tuple_(*self.table.primary_key.columns)
        oldest = (
            select(*self.table.primary_key.columns)
            .where(self.expired(now))
            .order_by(self.age)
            .limit(batch)
        )
        if session.get_bind().dialect.name == "postgresql":
            # Rows another transaction holds are left for the next cycle, not waited on.
            oldest = oldest.with_for_update(skip_locked=True)
        return session.execute(delete(self.table).where(key.in_(oldest))).rowcount


def rules(settings: Settings) -> list[Rule]:
    keep = timedelta(days=settings.retention_days)
    otp_keep = timedelta(hours=settings.spent_otp_retention_hours)
    idempotency_ttl = timedelta(seconds=settings.idempotency_ttl_seconds)
    messages_keep = timedelta(hours=settings.sandbox_message_retention_hours)
    return [
        Rule(
            IDEMPOTENCY,
            IDEMPOTENCY.c.created_at,
            lambda now: IDEMPOTENCY.c.created_at < now - idempotency_ttl,
        ),
        # Expired codes (consumed ones expire too); the issue limit only counts the last
        # window's challenges, which are far younger than this.
        Rule(
            CHALLENGES,
            CHALLENGES.c.expires_at,
            lambda now: CHALLENGES.c.expires_at < now - otp_keep,
        ),
        # Passkey ceremonies' challenges: single use, five minutes; kept as long as codes.
        Rule(
            PASSKEY_CHALLENGES,
            PASSKEY_CHALLENGES.c.expires_at,
            lambda now: PASSKEY_CHALLENGES.c.expires_at < now - otp_keep,
        ),
        Rule(
            DELIVERIES,
            DELIVERIES.c.created_at,
            lambda now: and_(
                DELIVERIES.c.created_at < now - keep, DELIVERIES.c.status != "pending"
            ),
        ),
        # Deliveries go first: an event is removed once none refers to it, once the
        # dispatcher has passed it (a worker down for longer must still dispatch it), and
        # never the newest one (SQLite would hand its `seq` out again, behind every
        # reader's cursor).
        Rule(
            EVENTS,
            EVENTS.c.created_at,
            lambda now: and_(
                EVENTS.c.created_at < now - keep,
                ~exists().where(DELIVERIES.c.event_seq == EVENTS.c.seq),
                tuple_(EVENTS.c.txid, EVENTS.c.seq) <= tuple_(*dispatch.POSITION),
                EVENTS.c.seq < select(func.max(EVENTS.c.seq)).scalar_subquery(),
            ),
        ),
        Rule(
            MESSAGES, MESSAGES.c.created_at, lambda now: MESSAGES.c.created_at < now - messages_keep
        ),
        # The sandbox's own record of charges, kept as long as webhook deliveries: a
        # payment still pending that long is long settled by the recovery pass.
        Rule(
            SANDBOX_CHARGES,
            SANDBOX_CHARGES.c.created_at,
            lambda now: SANDBOX_CHARGES.c.created_at < now - keep,
        ),
        Rule(
            BUDGETS,
            BUDGETS.c.updated_at,
            lambda now: and_(
                BUDGETS.c.updated_at < now - IDLE_BUDGET,
                or_(BUDGETS.c.locked_until.is_(None), BUDGETS.c.locked_until < now),
            ),
        ),
        # Console sessions that ended by idling or by their hard expiry (sign-out and
        # disabling a user delete theirs at once).
        Rule(
            CONSOLE_SESSIONS,
            CONSOLE_SESSIONS.c.idle_until,
            lambda now: or_(
                CONSOLE_SESSIONS.c.idle_until < now, CONSOLE_SESSIONS.c.expires_at < now
            ),
        ),
    ]


async def prune_due(database: Database, settings: Settings, *, now: datetime | None = None) -> int:
    """One batch per rule, each in its own short transaction; returns the rows deleted."""
    now = now or utcnow()
    total = 0
    for rule in rules(settings):
        async with database.request_transaction(write=True) as session:
            deleted = rule.prune(session, now=now, batch=settings.retention_batch)
        if deleted:
            metrics.PRUNED_ROWS.labels(rule.table.name).inc(deleted)
            total += deleted
    return total


async def run(database: Database, settings: Settings, *, stop: asyncio.Event) -> None:
    """Prune until `stop` is set: back to back while there is work, then every interval."""

    async def cycle() -> int:
        return await prune_due(database, settings)

    await worker_loop.run(
        "retention", cycle, poll_seconds=settings.retention_interval_seconds, stop=stop
    )
