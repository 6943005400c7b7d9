"""The provisioning worker: which B2B orders are due a provisioning check, and the loop
that applies what the port reports (partner_orders/progress.py) until it is stopped."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta

from sqlalchemy import Row, bindparam, select
from sqlalchemy.orm import Session

from orderhub import worker_loop
from orderhub.adapters.provisioning import Provisioning
from orderhub.db import Database
from orderhub.partner_orders.progress import SET_ORDER_STATUS, check
from orderhub.partner_orders.service import PARTNER_ORDERS, SUBS
from orderhub.webhooks import service as webhooks

log = logging.getLogger(__name__)

BATCH = 20
# A check that fails is tried again this much later.
RETRY_SECONDS = 60

_ANY_DUE = (
    select(PARTNER_ORDERS.c.id)
    .where(PARTNER_ORDERS.c.provisioning_due_at <= bindparam("now"))
    .limit(1)
)
# Several workers may run: each claims due orders it alone holds (PostgreSQL skips rows
# another has locked; SQLite's single writer runs one claim at a time), and moves their
# due time before it commits, so no order is advanced twice for one step.
_DUE = (
    select(PARTNER_ORDERS)
    .where(PARTNER_ORDERS.c.provisioning_due_at <= bindparam("now"))
    .order_by(PARTNER_ORDERS.c.provisioning_due_at, PARTNER_ORDERS.c.id)
    .limit(bindparam("limit"))
    .with_for_update(skip_locked=True)
)
_SUBS_OF_ORDERS = (
    select(SUBS)
    .where(SUBS.c.order_id.in_(bindparam("order_ids", expanding=True)))
    .order_by(SUBS.c.order_id, SUBS.c.position)
)


def apply_due(session: Session, *, provisioning: Provisioning, now: datetime) -> int:
    """Check every order whose provisioning check is due (up to a batch)."""
    due = session.execute(_DUE, {"now": now, "limit": BATCH}).all()
    if not due:
        return 0
    # The partners' outbox turns, all at once, in one order and outside the savepoints
    # below (webhooks.take_turns): taken one by one as each order publishes, two workers
    # with batches of the same partners could deadlock.
    webhooks.take_turns(session, (f"partner:{o.partner_id}" for o in due))
    subs: dict[str, list[Row]] = {o.id: [] for o in due}
    for sub in session.execute(_SUBS_OF_ORDERS, {"order_ids": list(subs)}):
        subs[sub.order_id].append(sub)
    for order in due:
        try:
            # One savepoint per order: whatever goes wrong with one order (a move a state
            # table refuses, the port failing) undoes only its own writes; the batch goes on.
            with session.begin_nested():
                check(
                    session,
                    order=order,
                    sub_orders=subs[order.id],
                    provisioning=provisioning,
                    actor="provisioning",
                    now=now,
                )
        except Exception as exc:
            worker_loop.log_retry(log, "provisioning update", order.id, exc, RETRY_SECONDS)
            session.execute(
                SET_ORDER_STATUS,
                {
                    "b_id": order.id,
                    "b_status": order.status,
                    "b_due": now + timedelta(seconds=RETRY_SECONDS),
                    "b_now": now,
                },
            )
    return len(due)


async def run(
    database: Database, provisioning: Provisioning, *, poll_seconds: float, stop: asyncio.Event
) -> None:
    """Apply due milestones until `stop` is set (worker_loop.run: failures logged)."""
    cycle = worker_loop.due_cycle(
        database,
        any_due=_ANY_DUE,
        apply=lambda session, now: apply_due(session, provisioning=provisioning, now=now),
    )
    await worker_loop.run("provisioning", cycle, poll_seconds=poll_seconds, stop=stop)
