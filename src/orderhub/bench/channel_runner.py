"""The other channels' scenarios, as `orderhub bench` runs them (runner.py calls `run`).

One `orderhub serve` without its background loops (ORDERHUB_WORKER_IN_SERVER=0) serves
them all, so that partner, onboarding and care figures are the requests' own and the
worker count of the care and webhooks scenarios is exactly the `orderhub worker`
processes started for them:

* `partner`, `onboarding`: whole orders, like `orders`;
* `care`: care orders accepted in the window, which wait (no loop runs); 1 worker is
  started and timed on that backlog (care_apply.py); as many changes again are accepted
  (`care-fill`, unmeasured) and 2 workers timed on them;
* `webhooks`: 1 worker delivers; once it has dispatched every event the earlier
  scenarios left (none of them had a dispatcher running all along), care orders at a
  steady rate, one event each, timed from the event's commit to the local receiver's
  2xx (webhook_receiver.py).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console
from sqlalchemy import func, select

from orderhub.bench import care_apply, channel_seed, procstat, server
from orderhub.db import Database
from orderhub.webhooks import dispatch, stream
from orderhub.webhooks.models import OutboxEvent

if TYPE_CHECKING:
    from orderhub.bench.runner import BenchOptions

SCENARIOS = ("partner", "onboarding", "care", "webhooks")
APPLY_WORKERS = (1, 2)
CATCH_UP_SECONDS = 120.0

# runner._drive: runs the load generator for one scenario and returns its raw result.
Drive = Callable[..., dict[str, Any]]


def run(
    names: list[str],
    url: str,
    options: BenchOptions,
    console: Console,
    work: Path,
    drive: Drive,
) -> dict[str, dict[str, Any]]:
    database = Database(url)
    try:
        added = channel_seed.prepare(database, lines=options.size.lines)
        first_identifier = channel_seed.next_identifier(database)
    finally:
        database.dispose()
    console.print(
        f"channels: {options.size.lines:,} care lines "
        f"({added['lines_added']:,} added), server loops off"
    )
    lines = f"--lines={options.size.lines}"
    raw: dict[str, dict[str, Any]] = {}
    with server.serving(
        "orderhub",
        database_url=url,
        workers=options.workers,
        log=work / "channels.log",
        background=False,
    ) as running:

        def load(name: str, *extra: str) -> dict[str, Any]:
            return drive(name, running, options, console, work, 0, extra)

        for name in names:
            if name == "partner":
                raw[name] = load(name)
            elif name == "onboarding":
                raw[name] = load(name, f"--first-identifier={first_identifier}")
            elif name == "care":
                raw[name] = _care(url, console, work, load, lines)
            elif name == "webhooks":
                raw[name] = _webhooks(url, console, work, load, lines, options.webhook_rate)
    return raw


def _webhooks(
    url: str,
    console: Console,
    work: Path,
    load: Callable[..., dict[str, Any]],
    lines: str,
    rate: float,
) -> dict[str, Any]:
    """Deliveries by one worker, started before the window and caught up with the
    stream first: a backlog of earlier events would be timed, not the steady state."""
    database = Database(url)  # one engine for the polls, not one per poll
    try:
        with server.working(database_url=url, count=1, log=work / "webhooks-worker") as pids:
            started, left = time.monotonic(), _undispatched(database)
            while left and time.monotonic() - started < CATCH_UP_SECONDS:
                time.sleep(0.25)
                left = _undispatched(database)
            console.print(
                "webhooks: the worker dispatched earlier events in "
                f"{time.monotonic() - started:.1f} s"
            )
            cpu_before = procstat.cpu_seconds(pids[0])
            raw = load("webhooks", lines, f"--rate={rate:g}")
            cpu_after = procstat.cpu_seconds(pids[0])
    finally:
        database.dispose()
    if cpu_before is not None and cpu_after is not None:
        # Over the load generator's whole run (window, drain, the wait for deliveries).
        cpu = cpu_after - cpu_before
        raw["worker_cpu_seconds"] = round(cpu, 3)
        raw["worker_cpu_cores"] = round(cpu / raw["process_wall_seconds"], 2)
    return raw


def _undispatched(database: Database) -> int:
    """Events past the dispatcher's cursor (0 before it has one)."""
    with database.transaction(write=False) as session:
        dialect = session.get_bind().dialect.name
        return session.scalar(
            select(func.count())
            .select_from(OutboxEvent)
            .where(stream.past(dialect, *dispatch.POSITION))
        )


def _care(
    url: str, console: Console, work: Path, load: Callable[..., dict[str, Any]], lines: str
) -> dict[str, Any]:
    """Accepting, then applying by 1 and by 2 workers; a failed or unapplied change is
    an error of the scenario."""
    raw = load("care", lines)
    raw["apply"], raw["fill"] = [], None
    for workers in APPLY_WORKERS:
        if workers > 1:  # a second backlog, as big as the first
            fill = load("care-fill", lines, f"--changes={raw['apply'][0]['changes']}")
            raw["fill"] = {
                "changes_accepted": fill["changes_accepted"],
                "seconds": round(fill["window_seconds"], 3),
                "errors": fill["errors"],
            }
            raw["errors"] += fill["errors"]
            raw["error_samples"] += fill["error_samples"]
        applied = care_apply.measure(url, workers=workers, log=work / f"care-w{workers}")
        console.print(
            f"care: {workers} worker(s) applied {applied['applied']:,} of "
            f"{applied['changes']:,} changes in {applied['seconds']} s"
        )
        raw["apply"].append(applied)
        if applied["failed"] or applied["left"]:
            raw["errors"] += applied["failed"] + applied["left"]
            raw["error_samples"].append(
                f"{workers} worker(s): {applied['failed']} changes failed, "
                f"{applied['left']} not applied"
            )
    return raw
