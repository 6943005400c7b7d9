"""Delivering webhook events: queue the deliveries of new events (dispatch.py), claim
what is due, POST it, record the outcome.

Runs as `orderhub worker`, or inside each `orderhub serve` process (the default, so one
command runs everything). Several workers may run at once: a claim moves the delivery's
`next_attempt_at` a lease ahead (and skips rows another worker has locked, on
PostgreSQL), so a delivery is attempted by one worker at a time; a worker that dies
mid-delivery leaves it due again when the lease runs out. Receivers may still see an
event twice (a 2xx lost on the way back); the event id in every delivery lets them drop
duplicates.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx
from sqlalchemy import bindparam, exists, select, update

from orderhub import metrics, worker_loop
from orderhub.db import Database
from orderhub.ids import iso_z, utcnow
from orderhub.webhooks import dispatch, egress, rules, tmf_events
from orderhub.webhooks.service import DELIVERIES, EVENTS, SUBSCRIPTIONS

log = logging.getLogger(__name__)

LEASE_SECONDS = 60
TIMEOUT_SECONDS = 5.0  # per network step (connect, each read)
ATTEMPT_SECONDS = 15.0  # a whole attempt, well inside the lease
BATCH = 20
# Batches of events dispatched per cycle at most, before the due deliveries are tried.
DISPATCH_ROUNDS = 10

_DUE = (
    select(
        DELIVERIES.c.id,
        DELIVERIES.c.attempts,
        SUBSCRIPTIONS.c.id.label("subscription_id"),
        SUBSCRIPTIONS.c.owner.label("subscription_owner"),
        SUBSCRIPTIONS.c.url,
        SUBSCRIPTIONS.c.secret_version,
        SUBSCRIPTIONS.c.api,
        SUBSCRIPTIONS.c.base_url,
        EVENTS.c.id.label("event_id"),
        EVENTS.c.owner,
        EVENTS.c.type,
        EVENTS.c.subject,
        EVENTS.c.data,
        EVENTS.c.created_at,
    )
    .join(SUBSCRIPTIONS, SUBSCRIPTIONS.c.id == DELIVERIES.c.subscription_id)
    .join(EVENTS, EVENTS.c.seq == DELIVERIES.c.event_seq)
    .where(DELIVERIES.c.status == "pending", DELIVERIES.c.next_attempt_at <= bindparam("now"))
    .order_by(DELIVERIES.c.next_attempt_at, DELIVERIES.c.id)
    .limit(bindparam("limit"))
    .with_for_update(skip_locked=True, of=DELIVERIES)
)
_ANY_DUE = exists(
    select(DELIVERIES.c.id).where(
        DELIVERIES.c.status == "pending", DELIVERIES.c.next_attempt_at <= bindparam("now")
    )
)
# Is there anything to do: a delivery due, an event to dispatch? One read.
_WORK = {
    dialect: select(_ANY_DUE.label("due"), waiting.label("waiting"))
    for dialect, waiting in dispatch.WAITING.items()
}
_LEASE = (
    update(DELIVERIES)
    .where(DELIVERIES.c.id == bindparam("b_id"))
    .values(next_attempt_at=bindparam("until"))
)
# Only a delivery still pending under this worker's lease is updated: one deactivated
# meanwhile stays failed, and one whose lease ran out belongs to whoever claimed it next.
_RECORD = (
    update(DELIVERIES)
    .where(
        DELIVERIES.c.id == bindparam("b_id"),
        DELIVERIES.c.status == "pending",
        DELIVERIES.c.next_attempt_at == bindparam("b_lease"),
    )
    .values(
        status=bindparam("b_status"),
        attempts=bindparam("b_attempts"),
        next_attempt_at=bindparam("b_next"),
        last_status_code=bindparam("b_code"),
        last_error=bindparam("b_error"),
        delivered_at=bindparam("b_delivered"),
    )
)


@dataclass(frozen=True)
class Job:
    delivery_id: str
    lease: datetime
    attempt: int
    url: str
    event_id: str
    event_type: str
    headers: dict[str, str]
    body: bytes


@dataclass(frozen=True)
class Outcome:
    status_code: int | None
    error: str | None

    @property
    def delivered(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


async def deliver_due(
    database: Database,
    key: bytes,
    client: httpx.AsyncClient,
    *,
    retry_base_seconds: float,
    now: datetime | None = None,
) -> int:
    """Queue the deliveries of new events, then attempt every delivery that is due (up
    to a batch); returns how much was done: deliveries tried and events dispatched (0:
    nothing was waiting).

    `client` decides which receivers may be reached: `egress.client()` connects only to
    public addresses, except in the sandbox (receivers on localhost)."""
    now = now or utcnow()
    async with database.request_transaction(write=False) as session:
        work = session.execute(_WORK[session.get_bind().dialect.name], {"now": now}).one()
    dispatched = await _dispatch(database, now) if work.waiting else dispatch.NOTHING
    if not (work.due or dispatched.deliveries):
        return dispatched.events  # the common case costs a read, not the write lock
    async with database.request_transaction(write=True) as session:
        due = session.execute(_DUE, {"now": now, "limit": BATCH}).all()
        until = now + timedelta(seconds=LEASE_SECONDS)
        if due:
            session.execute(_LEASE, [{"b_id": row.id, "until": until} for row in due])
    jobs = [_job(row, key, until) for row in due]
    outcomes = await asyncio.gather(*(_attempt(client, job) for job in jobs))
    finished = utcnow()
    if jobs:
        records = [
            _record(job, outcome, finished, retry_base_seconds)
            for job, outcome in zip(jobs, outcomes, strict=True)
        ]
        async with database.request_transaction(write=True) as session:
            session.execute(_RECORD, records)
        for job, outcome, record in zip(jobs, outcomes, records, strict=True):
            _report(job, outcome, record)
    return len(jobs) + dispatched.events


async def _dispatch(database: Database, now: datetime) -> dispatch.Dispatched:
    """Queue the deliveries of the events waiting, a batch per transaction; how many
    events were dispatched and deliveries queued."""
    events = deliveries = 0
    for _ in range(DISPATCH_ROUNDS):
        async with database.request_transaction(write=True) as session:
            done = dispatch.dispatch(session, now=now)
        events, deliveries = events + done.events, deliveries + done.deliveries
        if done.events < dispatch.BATCH:
            break
    return dispatch.Dispatched(events, deliveries)


def _report(job: Job, outcome: Outcome, record: dict) -> None:
    """Count the attempt; log a failed one with its event and delivery ids."""
    result = {"delivered": "delivered", "pending": "retry", "failed": "failed"}[record["b_status"]]
    metrics.WEBHOOK_DELIVERIES.labels(result).inc()
    if result == "delivered":
        return
    log.warning(
        "webhook delivery %s of event %s failed (attempt %d, %s): %s",
        job.delivery_id,
        job.event_id,
        job.attempt,
        "will retry" if result == "retry" else "gave up",
        outcome.error if outcome.status_code is None else f"HTTP {outcome.status_code}",
        extra={
            "fields": {
                "deliveryId": job.delivery_id,
                "eventId": job.event_id,
                "eventType": job.event_type,
                "attempt": job.attempt,
                "statusCode": outcome.status_code,
                "error": outcome.error,
                "final": result == "failed",
            },
            "fields_in_message": True,
        },
    )


def _payload(row) -> dict:
    """What is posted: the event in OrderHub's envelope, or for a TM Forum listener in
    TMF's (tmf_events.py; the dispatcher queued only events that are one)."""
    if row.api is not None:
        return tmf_events.render(
            api=row.api,
            base_url=row.base_url or "",
            event_id=row.event_id,
            engine_type=row.type,
            subject=row.subject,
            data=row.data,
            created_at=row.created_at,
        ) or {"eventId": row.event_id, "eventType": row.type}
    # Operations hear of every owner's events, so theirs say whose event it is.
    whose = {"owner": row.owner} if row.subscription_owner == rules.OPERATIONS else {}
    return {
        "id": row.event_id,
        "type": row.type,
        **whose,
        "subject": row.subject,
        "createdAt": iso_z(row.created_at),
        "data": row.data,
    }


def _job(row, key: bytes, lease: datetime) -> Job:
    body = json.dumps(_payload(row), separators=(",", ":")).encode()
    timestamp = int(time.time())
    secret = rules.signing_secret(key, row.subscription_id, row.secret_version)
    attempt = row.attempts + 1
    return Job(
        delivery_id=row.id,
        lease=lease,
        attempt=attempt,
        url=row.url,
        event_id=row.event_id,
        event_type=row.type,
        headers={
            "Content-Type": "application/json",
            "User-Agent": "OrderHub-Webhooks/1",
            "OrderHub-Event-Id": row.event_id,
            "OrderHub-Event-Type": row.type,
            "OrderHub-Delivery-Attempt": str(attempt),
            "OrderHub-Timestamp": str(timestamp),
            "OrderHub-Signature": rules.signature(secret, timestamp, body),
        },
        body=body,
    )


async def _attempt(client: httpx.AsyncClient, job: Job) -> Outcome:
    """One POST, never raising: every way it can go wrong is an outcome to record."""
    try:
        async with asyncio.timeout(ATTEMPT_SECONDS):
            # Streamed and closed unread: only the status matters, and a receiver
            # cannot make the worker hold a huge answer in memory.
            async with client.stream(
                "POST", job.url, content=job.body, headers=job.headers
            ) as response:
                code = response.status_code
    except Exception as exc:  # a bad answer must not stop the batch being recorded
        if isinstance(exc.__cause__, egress.HostNotPublic):
            return Outcome(None, "host not public")
        # The exception's type only: its message can echo the URL's query string.
        return Outcome(None, type(exc).__name__)
    return Outcome(code, None if 200 <= code < 300 else "non-2xx answer")


def _record(job: Job, outcome: Outcome, now: datetime, retry_base_seconds: float) -> dict:
    if outcome.delivered:
        status, next_at, delivered = "delivered", None, now
    elif job.attempt >= rules.MAX_ATTEMPTS:
        status, next_at, delivered = "failed", None, None
    else:
        delay = rules.retry_delay(job.attempt, retry_base_seconds)
        status, next_at, delivered = "pending", now + timedelta(seconds=delay), None
    return {
        "b_id": job.delivery_id,
        "b_lease": job.lease,
        "b_status": status,
        "b_attempts": job.attempt,
        "b_next": next_at,
        "b_code": outcome.status_code,
        "b_error": outcome.error,
        "b_delivered": delivered,
    }


async def run(
    database: Database,
    key: bytes,
    *,
    retry_base_seconds: float,
    poll_seconds: float,
    stop: asyncio.Event,
    allow_private_hosts: bool = False,
) -> None:
    """Deliver until `stop` is set (worker_loop.run: failures logged, never fatal).

    `allow_private_hosts` (sandbox mode) lets receivers on localhost or a private network
    get deliveries; otherwise only public addresses do (egress.py)."""
    async with egress.client(allow_private=allow_private_hosts, timeout=TIMEOUT_SECONDS) as client:

        async def cycle() -> int:
            return await deliver_due(database, key, client, retry_base_seconds=retry_base_seconds)

        await worker_loop.run("webhooks", cycle, poll_seconds=poll_seconds, stop=stop)
