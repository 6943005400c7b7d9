"""Resolving payments left pending: a request that ended between recording the intent and
recording the outcome (a crash, a lost connection) and was not retried.

The pass asks the payments port what became of each pending payment's key once it is
older than any request lives (`STALE_AFTER`): a charge the port made is recorded as it
was made; a key the port never saw was never charged, and the payment is closed as
`failed` with `declineCode` `not_charged` (a charge that still turns up later replaces
that: payments.settle). Run by every worker (background.py) and by `run_once`: passes in
several processes may meet on one payment, and the settle is a conditional update, so
only the one that changes the row records the history event. A lookup that fails is
logged and counted (orderhub_worker_failures{loop="payment recovery"}); that payment
waits for the next pass, the others are resolved.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta

from sqlalchemy import Row, bindparam, select
from sqlalchemy.orm import Session

from orderhub import metrics, worker_loop
from orderhub.adapters import payments as cards
from orderhub.db import Database
from orderhub.ids import utcnow
from orderhub.onboarding import payments

log = logging.getLogger(__name__)
STALE_AFTER = timedelta(minutes=15)
ACTOR = "payments:recovery"
LOOP = "payment recovery"  # the worker loop's name, also its failures' metric label
_STALE = (
    select(payments.PAYMENTS)
    .where(
        payments.PAYMENTS.c.status == payments.PENDING,
        payments.PAYMENTS.c.created_at < bindparam("b_before"),
    )
    .order_by(payments.PAYMENTS.c.created_at)
    .limit(bindparam("b_limit"))
)


def stale(session: Session, *, before: datetime, limit: int) -> list[Row]:
    return list(session.execute(_STALE, {"b_before": before, "b_limit": limit}))


async def resolve_pending(
    database: Database,
    provider: cards.PaymentProvider,
    *,
    now: datetime,
    older_than: timedelta = STALE_AFTER,
    limit: int = 50,
) -> int:
    """Settle up to `limit` payments pending since before `now - older_than`; how many."""
    async with database.request_transaction(write=False) as session:
        found = stale(session, before=now - older_than, limit=limit)
    for payment in found:
        try:
            charge = await asyncio.to_thread(provider.lookup, payment.port_key)
        except Exception:
            # One payment the provider cannot answer about stays pending for the next
            # pass; the others are still resolved. (Logged by id only: no card data.)
            log.exception("payment %s: the payments port's lookup failed", payment.id)
            metrics.WORKER_FAILURES.labels(LOOP).inc()
            continue
        if charge is None:
            charge = cards.Charge("failed", None, payments.NOT_CHARGED)
        async with database.request_transaction(write=True) as session:
            payments.settle(session, payment=payment, charge=charge, actor=ACTOR)
        log.info("payment %s was pending: recorded %s", payment.id, charge.status)
    return len(found)


async def run(
    database: Database,
    provider: cards.PaymentProvider,
    *,
    poll_seconds: float,
    stop: asyncio.Event,
) -> None:
    """The recovery pass, every `poll_seconds` until `stop` is set."""
    await worker_loop.run(
        LOOP,
        lambda: resolve_pending(database, provider, now=utcnow()),
        poll_seconds=poll_seconds,
        stop=stop,
    )
