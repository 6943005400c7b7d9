"""What every scenario of the load generator shares: the recorder and the client loop.

Clients run through a warm-up, then a measured window, then stop starting work and let
what is in flight finish. Throughput and latencies count only what completed inside the
window; the server's CPU is read from /proc at the window's two edges, so work in flight
at either edge evens out. Errors count everywhere, warm-up and drain included.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import time
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable
from typing import Any

from orderhub.bench import procstat
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
    epoch_before = time.time()
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
        "window_started_epoch": epoch_before,  # to match timestamps of other processes
        "server_cpu_seconds": server_cpu,
        "loadgen_cpu_seconds": own_after - own_before,
    }


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
