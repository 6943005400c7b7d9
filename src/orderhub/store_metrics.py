"""Gauges read from the store when /metrics is scraped: orders of every channel by
status, the webhook backlog, care changes due. A handful of indexed counts, read at
most once per metrics.STORE_CACHE_SECONDS per process."""

from __future__ import annotations

from sqlalchemy import Table, bindparam, func, select

from orderhub import clock, metrics
from orderhub.careorders.models import CareChange, CareOrder
from orderhub.db import Database
from orderhub.ids import utcnow
from orderhub.ledger.models import Order
from orderhub.onboarding.models import OnboardingOrder
from orderhub.partner_orders.models import PartnerOrder
from orderhub.webhooks.models import WebhookDelivery

CHANNELS: dict[str, Table] = {
    "direct": Order.__table__,
    "partner": PartnerOrder.__table__,
    "onboarding": OnboardingOrder.__table__,
    "care": CareOrder.__table__,
}
_BY_STATUS = {
    channel: select(table.c.status, func.count()).group_by(table.c.status)
    for channel, table in CHANNELS.items()
}
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
        due = metrics.gauge(
            "orderhub_care_changes_due",
            "Care-order changes whose effective time has come and that are not applied yet.",
        )
        with database.transaction(write=False) as session:
            for channel, statement in _BY_STATUS.items():
                for status, count in session.execute(statement):
                    orders.add_metric([channel, status], count)
            pending, since = session.execute(_PENDING).one()
            now = utcnow()
            backlog.add_metric([], pending)
            oldest.add_metric([], (now - since).total_seconds() if since else 0.0)
            care_now = clock.now(session, sandbox=sandbox)
            due.add_metric([], session.execute(_CHANGES_DUE, {"now": care_now}).scalar_one())
        return [orders, backlog, oldest, due]

    return metrics.StoreCollector(read)
