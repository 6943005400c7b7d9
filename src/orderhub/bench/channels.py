"""The other channels' scenarios of the load generator (loadgen.py runs them).

`partner`: B2B orders, quote to handoff; `onboarding`: onboarding orders, account to
submit (partner_client.py has both sequences). `care`: care orders of one change each
accepted (202) against the bench's lines, none applied (the server runs without its
loops: runner.py); `care-fill`: `--changes` more accepted as fast as they go, the second
backlog care_apply.py times. `webhooks`: care orders at a steady `--rate`, each
publishing one `care_order.received` event, whose deliveries a local receiver times
(webhook_receiver.py).
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import statistics
import time
import uuid
from typing import Any

from orderhub.bench import identities
from orderhub.bench.driving import Recorder, drive, summarize
from orderhub.bench.httpclient import Connection
from orderhub.bench.partner_client import Caller, onboard, partner_order
from orderhub.bench.webhook_receiver import Receiver

CARE = "/api/orderingMobility/v1/careOrder"
DELIVERY_WAIT_SECONDS = 30.0  # after the window, for deliveries still under way


async def partner(rec: Recorder, args: argparse.Namespace) -> dict:
    customers = itertools.count()
    callers: dict[int, Caller] = {}

    async def one_order(n: int, connection: Connection) -> None:
        caller = callers.setdefault(n, Caller(connection, rec.on_call))
        await partner_order(caller, next(customers) % identities.BUSINESS_CUSTOMERS)
        rec.done()

    return await drive(rec, one_order, concurrency=args.concurrency, args=args)


async def onboarding(rec: Recorder, args: argparse.Namespace) -> dict:
    numbers = itertools.count(args.first_identifier)
    callers: dict[int, Caller] = {}

    async def one_order(n: int, connection: Connection) -> None:
        caller = callers.setdefault(n, Caller(connection, rec.on_call))
        await onboard(caller, next(numbers))
        rec.done()

    window = await drive(rec, one_order, concurrency=args.concurrency, args=args)
    return window | {"identifiers_used": next(numbers) - args.first_identifier}


def care_order(ctn: str, n: int) -> dict[str, Any]:
    """One update of one line: a label, which any active line takes any number of times."""
    change = {
        "type": "updateSubscriber",
        "changeRequestId": "bench-1",
        "ctn": ctn,
        "effectiveDate": "immediate",
        "udl": [{"type": "Bench Label", "value": str(n)}],
    }
    return {
        "careOrderRequest": {
            "foundationAccountNumber": identities.CARE_ACCOUNT,
            "changeRequest": [change],
        }
    }


async def send_care_order(caller: Caller, n: int, lines: int) -> dict[str, Any]:
    await caller.sign_in()
    return await caller.call(
        "POST",
        CARE,
        expect=202,
        json=care_order(identities.care_ctn(n % lines), n),
        headers={
            "X-ATT-ClientId": identities.PARTNER_CLIENT["client_id"],
            "X-ATT-MessageId": str(uuid.uuid4()),
        },
    )


async def care(rec: Recorder, args: argparse.Namespace) -> dict:
    sent = itertools.count()
    accepted = 0
    callers: dict[int, Caller] = {}

    async def one_order(n: int, connection: Connection) -> None:
        nonlocal accepted
        caller = callers.setdefault(n, Caller(connection, rec.on_call))
        await send_care_order(caller, next(sent), args.lines)
        accepted += 1
        rec.done()

    window = await drive(rec, one_order, concurrency=args.concurrency, args=args)
    return window | {"changes_accepted": accepted}


async def care_fill(rec: Recorder, args: argparse.Namespace) -> dict:
    """Accept `--changes` care changes, unmeasured: a backlog for the workers."""
    sent = itertools.count()
    accepted = 0

    async def client() -> None:
        nonlocal accepted
        connection = Connection(args.url)
        caller = Caller(connection, lambda *_: None)
        try:
            while (n := next(sent)) < args.changes:
                try:
                    await send_care_order(caller, n, args.lines)
                    accepted += 1
                except Exception as exc:
                    rec.error(exc)
        finally:
            connection.close()

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(args.concurrency)))
    return {"window_seconds": time.perf_counter() - started, "changes_accepted": accepted}


async def webhooks(rec: Recorder, args: argparse.Namespace) -> dict:
    receiver = Receiver()
    port = await receiver.start()
    connection = Connection(args.url)
    admin = Caller(connection, lambda *_: None)
    await admin.sign_in()
    hook = await admin.call(
        "POST",
        "/b2b/v1/webhooks",
        expect=201,
        keyed=True,
        json={"url": f"http://127.0.0.1:{port}/bench", "eventTypes": ["care_order.received"]},
    )
    receiver.secret = hook["secret"]
    slots = itertools.count()
    accepted: set[str] = set()
    callers: dict[int, Caller] = {}
    try:
        started = time.monotonic()

        async def paced_order(n: int, connection: Connection) -> None:
            # Slot i is due at i / rate seconds: a steady stream, whatever the latency.
            slot = next(slots)
            await asyncio.sleep(max(0.0, started + slot / args.rate - time.monotonic()))
            caller = callers.setdefault(n, Caller(connection, rec.on_call))
            order = await send_care_order(caller, slot, args.lines)
            accepted.add(order["id"])
            rec.done()

        window = await drive(rec, paced_order, concurrency=args.concurrency, args=args)
        opened = window["window_started_epoch"]
        edges = (opened, opened + window["window_seconds"])
        waited = await _await_deliveries(receiver, accepted)
    finally:
        await admin.call("DELETE", "/b2b/v1/webhooks/{id}", ids={"id": hook["id"]})
        connection.close()
        await receiver.close()
    return window | _deliveries(rec, receiver, accepted, edges, waited)


async def _await_deliveries(receiver: Receiver, accepted: set[str]) -> float:
    started = time.monotonic()
    while time.monotonic() - started < DELIVERY_WAIT_SECONDS:
        if accepted <= {a.subject for a in receiver.arrivals.values()}:
            break
        await asyncio.sleep(0.1)
    return time.monotonic() - started


def _deliveries(
    rec: Recorder, receiver: Receiver, accepted: set[str], edges: tuple[float, float], waited: float
) -> dict[str, Any]:
    """Latency of the events published inside the window; every accepted order's event
    must have arrived (else an error), with a valid signature."""
    arrivals = list(receiver.arrivals.values())
    missing = len(accepted - {a.subject for a in arrivals})
    if missing:
        rec.error(RuntimeError(f"{missing} events not delivered {waited:.0f} s after the window"))
    for _ in range(receiver.bad_signatures):
        rec.error(RuntimeError("a delivery's OrderHub-Signature did not verify"))
    start, end = edges
    inside = [a for a in arrivals if start <= a.created < end]
    latencies = [(a.arrived - a.created) * 1000 for a in inside]
    delivered = sum(1 for a in arrivals if start <= a.arrived < end)
    return {
        "events": len(accepted),
        "delivered": len(arrivals),
        "undelivered": missing,
        "duplicates": receiver.duplicates,
        "delivered_in_window": delivered,
        "latency": summarize(latencies) | {"mean_ms": round(statistics.fmean(latencies), 2)}
        if latencies
        else None,
    }


SCENARIOS = {
    "partner": partner,
    "onboarding": onboarding,
    "care": care,
    "care-fill": care_fill,
    "webhooks": webhooks,
}
