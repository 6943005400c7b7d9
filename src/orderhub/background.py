"""The background work of a process: the loops `orderhub worker` runs, and each
`orderhub serve` process too unless ORDERHUB_WORKER_IN_SERVER=0."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any

from orderhub import retention
from orderhub.careorders import worker as care
from orderhub.ids import utcnow
from orderhub.onboarding import payment_recovery
from orderhub.orders import fulfillment_worker
from orderhub.partner_orders import provisioning_worker
from orderhub.runtime import Runtime
from orderhub.webhooks import egress
from orderhub.webhooks import worker as delivery


def loops(runtime: Runtime, stop: asyncio.Event) -> list[Coroutine[Any, Any, None]]:
    """Every loop, each running until `stop` is set."""
    settings = runtime.settings
    poll = settings.worker_poll_seconds
    return [
        delivery.run(
            runtime.database,
            runtime.key,
            retry_base_seconds=settings.webhook_retry_base_seconds,
            poll_seconds=min(poll, settings.webhook_poll_seconds),
            stop=stop,
            # Sandbox receivers are on localhost; production ones must be public.
            allow_private_hosts=settings.sandbox,
        ),
        # B2B provisioning milestones, on the sandbox provisioning system's schedule.
        provisioning_worker.run(
            runtime.database, runtime.adapters.provisioning, poll_seconds=poll, stop=stop
        ),
        # Consumer orders: hand-off and milestones, on the sandbox fulfillment's schedule.
        fulfillment_worker.run(
            runtime.database, runtime.adapters.fulfillment, poll_seconds=poll, stop=stop
        ),
        # Care orders: schedule received change requests and apply the due ones.
        care.run(
            runtime.database,
            key=runtime.key,
            messenger=runtime.adapters.messenger,
            sandbox=settings.sandbox,
            poll_seconds=poll,
            stop=stop,
        ),
        retention.run(runtime.database, settings, stop=stop),
        # Onboarding payments a crash left pending: ask the payments port about them.
        payment_recovery.run(
            runtime.database, runtime.adapters.payments, poll_seconds=poll, stop=stop
        ),
    ]


async def run_once(runtime: Runtime) -> None:
    """Everything due now, until nothing is left (`orderhub worker --once`)."""
    settings = runtime.settings
    database = runtime.database
    applied = 1
    while applied:
        async with database.request_transaction(write=True) as session:
            applied = provisioning_worker.apply_due(
                session, provisioning=runtime.adapters.provisioning, now=utcnow()
            )
    applied = 1
    while applied:
        async with database.request_transaction(write=True) as session:
            applied = fulfillment_worker.apply_due(
                session, fulfillment=runtime.adapters.fulfillment, now=utcnow()
            )
    care_args = {
        "key": runtime.key,
        "messenger": runtime.adapters.messenger,
        "sandbox": settings.sandbox,
    }
    while await care.process_due(database, **care_args):
        pass
    async with egress.client(
        allow_private=settings.sandbox, timeout=delivery.TIMEOUT_SECONDS
    ) as client:
        while await delivery.deliver_due(
            database, runtime.key, client, retry_base_seconds=settings.webhook_retry_base_seconds
        ):
            pass
    while await retention.prune_due(database, settings):
        pass
