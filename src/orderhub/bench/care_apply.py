"""Care changes applied per second by `orderhub worker` processes, timed on a backlog.

The care scenario's server runs without its loops, so the changes it accepted wait. Here
N worker processes start on them (the count is the only thing that differs between
measurements) and the database is polled until none of the bench lines' changes is left
to apply. The rate is the backlog over the span from the first change's move to
`scheduled` to the last one's move to `completed`, as the events those moves publish in
their transactions stamp them (`outbox_events.created_at`, real time: the changes' own
`scheduled_at`/`finished_at` are the time a worker cycle began, up to a cycle early), so
process start-up and the poll's granularity stay out of it. The
workers' CPU is read from /proc over the polled interval, start-up excluded as far as the
poll can tell (from the first poll that sees the backlog shrink).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from orderhub.bench import identities, procstat, server
from orderhub.careorders.models import CareChange
from orderhub.db import Database
from orderhub.ids import utcnow
from orderhub.webhooks.models import OutboxEvent

POLL_SECONDS = 0.25
APPLY_TIMEOUT_SECONDS = 300.0
PENDING = ("received", "scheduled")
_BENCH_LINE = CareChange.ctn.like(f"{identities.CARE_CTN_PREFIX}%")


def pending(database: Database) -> int:
    """The bench lines' changes not applied yet."""
    with database.transaction(write=False) as session:
        return session.scalar(
            select(func.count())
            .select_from(CareChange)
            .where(CareChange.status.in_(PENDING), _BENCH_LINE)
        )


def measure(url: str, *, workers: int, log: Path) -> dict[str, Any]:
    """Start `workers` worker processes on the waiting backlog and time its application."""
    database = Database(url)
    try:
        backlog = pending(database)
        began = utcnow()
        cpu_before = cpu_after = None
        left, polled_from = backlog, None
        with server.working(database_url=url, count=workers, log=log) as pids:
            deadline = time.monotonic() + APPLY_TIMEOUT_SECONDS
            while left and time.monotonic() < deadline:
                time.sleep(POLL_SECONDS)
                left = pending(database)
                if cpu_before is None and left < backlog:
                    cpu_before, polled_from = _cpu(pids), time.perf_counter()
            if cpu_before is not None:
                cpu_after = _cpu(pids)
        polled = time.perf_counter() - polled_from if polled_from else None
        return _figures(database, backlog, left, began, workers, cpu_before, cpu_after, polled)
    finally:
        database.dispose()


def _cpu(pids: list[int]) -> float | None:
    seconds = [procstat.cpu_seconds(pid) for pid in pids]
    return None if None in seconds else sum(s for s in seconds if s is not None)


def _figures(
    database: Database,
    backlog: int,
    left: int,
    began: Any,
    workers: int,
    cpu_before: float | None,
    cpu_after: float | None,
    polled: float | None,
) -> dict[str, Any]:
    done = CareChange.finished_at >= began
    stamp = OutboxEvent.created_at
    with database.transaction(write=False) as session:
        # Only the bench's care changes move on a bench database while this runs.
        first, last = session.execute(
            select(func.min(stamp, type_=stamp.type), func.max(stamp, type_=stamp.type)).where(
                OutboxEvent.type == "care_change.status_changed", stamp >= began
            )
        ).one()
        failed = session.scalar(
            select(func.count())
            .select_from(CareChange)
            .where(done, _BENCH_LINE, CareChange.status == "failed")
        )
    span = (last - first).total_seconds() if first and last else None
    cpu = None if cpu_before is None or cpu_after is None else cpu_after - cpu_before
    applied = backlog - left
    return {
        "workers": workers,
        "changes": backlog,
        "applied": applied,
        "failed": failed,
        "left": left,
        "seconds": None if span is None else round(span, 3),
        "changes_per_second": round(applied / span, 1) if span else None,
        "polled_seconds": None if polled is None else round(polled, 3),
        "worker_cpu_seconds": None if cpu is None else round(cpu, 3),
        "worker_cpu_ms_per_change": round(cpu * 1000 / applied, 3) if cpu and applied else None,
        "worker_cpu_cores": round(cpu / polled, 2) if cpu and polled else None,
    }
