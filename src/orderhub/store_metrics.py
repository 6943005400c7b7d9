"""Gauges read from the store when /metrics is scraped: orders of every channel by
status (from the ledger), the events not dispatched yet, the webhook backlog, care changes
due. Four queries (the order count scans an index of the ledger), read at most once per
metrics.STORE_CACHE_SECONDS per process."""

from __future__ import annotations

from sqlalchemy import bindparam, func, select

from orderhub import clock, metrics
from orderhub.careorders.models import CareChange
from orderhub.db import Database
from orderhub.ids import utcnow
from orderhub.ledger.models import Order
from orderhub.webhooks import dispatch
from orderhub.webhooks.models import WebhookDelivery

ORDERS = Order.__table__
# Every channel's orders are ledger rows: one count for all of them.
_BY_CHANNEL_AND_STATUS = select(ORDERS.c.channel, ORDERS.c.status, func.count()).group_by(
    ORDERS.c.channel, ORDERS.c.status
)
DELIVERIES = WebhookDelivery.__table__
_PENDING = select(func.count(), func.min(DELIVERIES.c.created_at)).where(
    DELIVERIES.c.status == "pending"
)
CHANGES = CareChange.__table__
_CHANGES_DUE = select(func.count()).where(
    CHANGES.c.status.in_(("received", "scheduled")), CHANGES.c.due_at <= bindparam("now")
)


def collector(database: Database, *, sandbox: bool) -> metrics.StoreCollector:
    def read() -> list:
        orders = metrics.gauge(
            "orderhub_orders", "Orders in the store, by channel and status.", ["channel", "status"]
        )
        backlog = metrics.gauge(
            "orderhub_webhook_backlog", "Webhook deliveries waiting to be delivered."
        )
        oldest = metrics.gauge(
            "orderhub_webhook_backlog_oldest_age_seconds",
            "Age of the oldest webhook delivery still waiting (0 when none waits).",
        )
        undispatched = metrics.gauge(
            "orderhub_outbox_undispatched",
            "Outbox events no webhook delivery has been queued for yet (the dispatcher's "
            "backlog; it grows while no worker runs).",
        )
        due = metrics.gauge(
            "orderhub_care_changes_due",
            "Care-order changes whose effective time has come and that are not applied yet.",
        )
        with database.transaction(write=False) as session:
            for channel, status, count in session.execute(_BY_CHANNEL_AND_STATUS):
                orders.add_metric([channel, status], count)
            undispatched.add_metric([], dispatch.undispatched(session))
            pending, since = session.execute(_PENDING).one()
            now = utcnow()
            backlog.add_metric([], pending)
            oldest.add_metric([], (now - since).total_seconds() if since else 0.0)
            care_now = clock.now(session, sandbox=sandbox)
            due.add_metric([], session.execute(_CHANGES_DUE, {"now": care_now}).scalar_one())
        return [orders, undispatched, backlog, oldest, due]

    return metrics.StoreCollector(read)
