"""The fulfillment worker: which consumer orders are due, and the loop that takes their
next step (orders/progress.py: hand-off, milestones) until it is stopped."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from orderhub import worker_loop
from orderhub.adapters.fulfillment import Fulfillment
from orderhub.db import Database
from orderhub.ledger.states import Channel
from orderhub.orders.progress import ACTOR, SCHEDULE, check, facts_of, hand_off
from orderhub.orders.service import ORDERS
from orderhub.orders.states import LIFECYCLE

log = logging.getLogger(__name__)

BATCH = 20
# A check whose move the state table refuses is tried again this much later.
RETRY_SECONDS = 60.0

_ANY_DUE = select(ORDERS.c.id).where(ORDERS.c.fulfillment_due_at <= bindparam("now")).limit(1)
# Several workers may run: each claims due orders it alone holds (PostgreSQL skips rows
# another has locked; SQLite's single writer runs one claim at a time), and moves their
# due time (or ends it) before it commits, so no order takes one step twice.
_DUE = (
    select(ORDERS)
    .where(ORDERS.c.fulfillment_due_at <= bindparam("now"), ORDERS.c.channel == Channel.DIRECT)
    .order_by(ORDERS.c.fulfillment_due_at, ORDERS.c.id)
    .limit(bindparam("limit"))
    .with_for_update(skip_locked=True)
)


def apply_due(session: Session, *, fulfillment: Fulfillment, now: datetime) -> int:
    """Take the next step of every consumer order that is due (up to a batch): hand off
    those that are new, ask about the others."""
    due = session.execute(_DUE, {"now": now, "limit": BATCH}).all()
    if not due:
        return 0
    facts = facts_of(session, orders=due)
    ended = [o for o in due if LIFECYCLE.is_final(o.status)]
    if ended:
        # Ended some other way (operations): nothing more to ask.
        session.execute(SCHEDULE, [{"b_id": o.id, "b_due": None, "b_now": now} for o in ended])
    going = [o for o in due if not LIFECYCLE.is_final(o.status)]
    new = [facts[o.id].shipment for o in going if facts[o.id].reference is None]
    hand_off(session, shipments=new, fulfillment=fulfillment, actor=ACTOR, now=now)
    for order in going:
        if facts[order.id].reference is None:
            continue  # just handed off: first asked a step from now
        try:
            # One savepoint per order: whatever goes wrong with one order (a move the
            # state table refuses, say a failure reported after shipment, or the port
            # failing) undoes only its own writes, and the batch goes on.
            with session.begin_nested():
                check(
                    session,
                    order=order,
                    facts=facts[order.id],
                    fulfillment=fulfillment,
                    actor=ACTOR,
                    now=now,
                )
        except Exception as exc:
            # Asked again later; operations may settle the order with
            # `orderhub orders set-status`.
            worker_loop.log_retry(log, "fulfillment update", order.id, exc, RETRY_SECONDS)
            retry = now + timedelta(seconds=RETRY_SECONDS)
            session.execute(SCHEDULE, {"b_id": order.id, "b_due": retry, "b_now": now})
    return len(due)


async def run(
    database: Database, fulfillment: Fulfillment, *, poll_seconds: float, stop: asyncio.Event
) -> None:
    """Apply due fulfillment steps until `stop` is set (worker_loop.run: failures logged)."""
    cycle = worker_loop.due_cycle(
        database,
        any_due=_ANY_DUE,
        apply=lambda session, now: apply_due(session, fulfillment=fulfillment, now=now),
    )
    await worker_loop.run("fulfillment", cycle, poll_seconds=poll_seconds, stop=stop)
