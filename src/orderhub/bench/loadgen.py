"""The load generator: a process of its own, so its CPU never counts as the server's.

    python -m orderhub.bench.loadgen --scenario orders --url http://127.0.0.1:8080 \\
        --concurrency 32 --duration 20 --warmup 3 --server-pid 1234 --out result.json

Scenarios: `orders` (whole orders, each by the next unused bench customer), `reads`
(signed-in buyers re-reading offers and their order), `floor` (POST then GET on the floor
app); the other channels' (`partner`, `onboarding`, `care`, `care-fill`, `webhooks`) are
in channels.py. How clients run and what counts: driving.py.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import time
from pathlib import Path
from typing import Any

from orderhub.bench import channels, identities
from orderhub.bench.buyer import Buyer, Purchase
from orderhub.bench.driving import Recorder, drive, summarize
from orderhub.bench.httpclient import Connection


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


SCENARIOS = {"orders": orders, "reads": reads, "floor": floor, **channels.SCENARIOS}


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
    # The other channels' (channels.py): where onboarding identifiers and care lines start,
    # how many lines there are, how many changes a fill accepts, webhook events per second.
    parser.add_argument("--first-identifier", type=int, default=0)
    parser.add_argument("--lines", type=int, default=1_000)
    parser.add_argument("--changes", type=int, default=0)
    parser.add_argument("--rate", type=float, default=20.0)
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
