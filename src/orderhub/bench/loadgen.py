"""The load generator: a process of its own, so its CPU never counts as the server's.

    python -m orderhub.bench.loadgen --scenario orders --url http://127.0.0.1:8080 \\
        --concurrency 32 --duration 20 --warmup 3 --server-pid 1234 --out result.json

Scenarios: `orders` (whole orders, each by the next unused bench customer), `reads`
(signed-in buyers re-reading offers and their order), `floor` (POST then GET on the floor
app). Clients run through a warm-up, then a measured window, then stop starting work and
let what is in flight finish. Throughput and latencies count only what completed inside
the window; the server's CPU is read from /proc at the window's two edges, so work in
flight at either edge evens out. Errors count everywhere, warm-up and drain included.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import math
import time
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from orderhub.bench import identities, procstat
from orderhub.bench.buyer import Buyer, Purchase
from orderhub.bench.httpclient import Connection

ERROR_PAUSE = 0.05  # after a failed iteration, so a dead server is not hammered in a loop
DRAIN_SECONDS = 30.0  # how long in-flight work may take to finish after the window
SAMPLE_ERRORS = 5


class Recorder:
    """What happened: samples and statuses inside the window, errors at any time."""

    def __init__(self) -> None:
        self.measuring = False
        self.samples: dict[str, list[float]] = defaultdict(list)
        self.statuses: dict[str, Counter[int]] = defaultdict(Counter)
        self.completed = 0  # orders (or floor / read rounds) finished inside the window
        self.errors = 0
        self.error_samples: list[str] = []
        self.submitted: list[str] = []  # every order seen submitted, window or not

    def on_call(self, label: str, status: int, ms: float) -> None:
        if self.measuring:
            self.samples[label].append(ms)
            self.statuses[label][status] += 1

    def error(self, exc: BaseException) -> None:
        self.errors += 1
        message = f"{type(exc).__name__}: {exc}"[:400]
        if len(self.error_samples) < SAMPLE_ERRORS and message not in self.error_samples:
            self.error_samples.append(message)  # distinct ones: one failure repeats a lot

    def done(self) -> None:
        if self.measuring:
            self.completed += 1


# One round of work by client number n, on that client's own keep-alive connection.
Iteration = Callable[[int, Connection], Awaitable[None]]


async def drive(
    rec: Recorder, iteration: Iteration, *, concurrency: int, args: argparse.Namespace
) -> dict[str, Any]:
    """Run `concurrency` clients repeating `iteration` through warm-up, window and drain."""
    stop = asyncio.Event()

    async def client_loop(n: int) -> None:
        connection = Connection(args.url)
        try:
            while not stop.is_set():
                try:
                    await iteration(n, connection)
                except Exception as exc:  # a failed order is a counted error, never a crash
                    rec.error(exc)
                    await asyncio.sleep(ERROR_PAUSE)
        finally:
            connection.close()

    tasks = [asyncio.create_task(client_loop(n)) for n in range(concurrency)]
    await asyncio.sleep(args.warmup)
    # Server CPU first and own CPU second at the start, the reverse at the end, so the
    # scan of /proc is never charged to the load generator's own share.
    server_before = procstat.cpu_seconds(args.server_pid) if args.server_pid else None
    own_before, wall_before = time.process_time(), time.perf_counter()
    rec.measuring = True
    await asyncio.sleep(args.duration)
    rec.measuring = False
    own_after, wall_after = time.process_time(), time.perf_counter()
    server_after = procstat.cpu_seconds(args.server_pid) if args.server_pid else None
    stop.set()
    _, pending = await asyncio.wait(tasks, timeout=DRAIN_SECONDS)
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)
    if pending:  # a client stuck this long is a failure, not slow work
        stuck = f"{len(pending)} clients still busy {DRAIN_SECONDS:g} s after the window"
        rec.error(TimeoutError(stuck))
    server_cpu = (
        server_after - server_before
        if server_before is not None and server_after is not None
        else None
    )
    return {
        "window_seconds": wall_after - wall_before,
        "server_cpu_seconds": server_cpu,
        "loadgen_cpu_seconds": own_after - own_before,
    }


async def orders(rec: Recorder, args: argparse.Namespace) -> dict:
    customers = itertools.count(args.first_customer)

    async def one_order(_: int, connection: Connection) -> None:
        index = next(customers) % args.customers
        purchase = await Buyer(connection, rec.on_call).buy(identities.phone(index))
        rec.submitted.append(purchase.order_id)
        rec.done()

    window = await drive(rec, one_order, concurrency=args.concurrency, args=args)
    return window | {"customers_used": next(customers) - args.first_customer}


async def reads(rec: Recorder, args: argparse.Namespace) -> dict:
    """Orders made in a short unmeasured setup, then re-read at high concurrency."""
    customers = itertools.count(args.first_customer)

    async def setup_order() -> Purchase | None:
        connection = Connection(args.url)
        try:
            index = next(customers) % args.customers
            return await Buyer(connection, rec.on_call).buy(identities.phone(index))
        except Exception as exc:
            rec.error(exc)
            return None
        finally:
            connection.close()

    made = await asyncio.gather(*(setup_order() for _ in range(args.setup_orders)))
    purchases = [p for p in made if p is not None]
    rec.submitted.extend(p.order_id for p in purchases)
    used = {"customers_used": next(customers) - args.first_customer}
    if not purchases:
        return used | {"window_seconds": 0.0, "server_cpu_seconds": None}

    async def read_round(n: int, connection: Connection) -> None:
        purchase = purchases[n % len(purchases)]
        reader, order_id = Buyer(connection, rec.on_call, purchase.headers), purchase.order_id
        await reader.call(
            "GET", "/v1/offers", params={"category": "plan", "zipCode": identities.ZIP_CODE}
        )
        await reader.call("GET", "/v1/order/{id}", path_id=order_id)
        rec.done()

    return used | await drive(rec, read_round, concurrency=args.concurrency, args=args)


async def floor(rec: Recorder, args: argparse.Namespace) -> dict:
    async def insert_then_read(_: int, connection: Connection) -> None:
        caller = Buyer(connection, rec.on_call)
        created = await caller.call("POST", "/floor/items", expect=(201,), json={"body": "x"})
        await caller.call("GET", "/floor/items/{id}", path_id=str(created.json()["id"]))
        rec.done()

    return await drive(rec, insert_then_read, concurrency=args.concurrency, args=args)


SCENARIOS = {"orders": orders, "reads": reads, "floor": floor}


def summarize(samples: list[float]) -> dict[str, float | int]:
    ordered = sorted(samples)

    def rank(p: float) -> float:  # nearest-rank percentile
        return round(ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)], 2)

    return {
        "count": len(ordered),
        "p50_ms": rank(50),
        "p95_ms": rank(95),
        "p99_ms": rank(99),
        "max_ms": round(ordered[-1], 2),
    }


async def main(args: argparse.Namespace) -> dict[str, Any]:
    rec = Recorder()
    started_cpu, started_wall = time.process_time(), time.perf_counter()
    window = await SCENARIOS[args.scenario](rec, args)
    return {
        "scenario": args.scenario,
        "concurrency": args.concurrency,
        "completed": rec.completed,
        "calls": sum(len(s) for s in rec.samples.values()),
        "errors": rec.errors,
        "error_samples": rec.error_samples,
        "endpoints": {
            label: summarize(samples)
            | {"statuses": {str(k): v for k, v in sorted(rec.statuses[label].items())}}
            for label, samples in sorted(rec.samples.items())
        },
        "submitted_order_ids": rec.submitted,
        "process_cpu_seconds": time.process_time() - started_cpu,
        "process_wall_seconds": time.perf_counter() - started_wall,
        **window,
    }


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m orderhub.bench.loadgen")
    parser.add_argument("--scenario", choices=sorted(SCENARIOS), required=True)
    parser.add_argument("--url", required=True)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--duration", type=float, default=20.0)
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--server-pid", type=int, default=None)
    parser.add_argument("--first-customer", type=int, default=0)
    parser.add_argument("--customers", type=int, default=1_000)
    parser.add_argument("--setup-orders", type=int, default=16)
    parser.add_argument("--out", type=Path, required=True)
    return parser.parse_args(argv)


def _run(coroutine: Any) -> Any:
    """uvloop where installed (a dependency off Windows): less client CPU per call."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(coroutine)
    return uvloop.run(coroutine)


if __name__ == "__main__":
    arguments = parse()
    result = _run(main(arguments))
    arguments.out.write_text(json.dumps(result, indent=1))
