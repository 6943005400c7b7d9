"""What matters, counted for Prometheus (`GET /metrics`).

Counters and histograms are updated where things happen (requests, deliveries, worker
cycles, pruning). Gauges that describe the store (orders by channel and status, the
outbox backlog, care changes due) are read from the database when scraped, at most once
per `STORE_CACHE_SECONDS` per process, so a scrape never costs more than a few indexed
counts however often it comes.

With `orderhub serve --workers N` each server process counts its own; the serve command
points `PROMETHEUS_MULTIPROC_DIR` at a fresh directory before the workers start, and a
scrape of any worker sums them all (prometheus_client's multiprocess mode).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import REGISTRY, Collector

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
STORE_CACHE_SECONDS = 10.0

HTTP_REQUESTS = Counter(
    "orderhub_http_requests",
    "HTTP requests answered, by method, route template and status.",
    ["method", "route", "status"],
)
HTTP_SECONDS = Histogram(
    "orderhub_http_request_duration_seconds",
    "Time to answer an HTTP request, by method and route template.",
    ["method", "route"],
    buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
DB_CONNECTIONS_IN_USE = Gauge(
    "orderhub_db_connections_in_use",
    "Database connections checked out of the pools.",
    multiprocess_mode="livesum",
)
DB_WAITING = Gauge(
    "orderhub_db_requests_waiting",
    "Requests waiting for a database connection or, on SQLite, their turn to write.",
    multiprocess_mode="livesum",
)
DB_UNAVAILABLE = Counter(
    "orderhub_db_unavailable",
    "Requests answered 503 because the database connection was lost or refused.",
)
SIGN_INS_REFUSED = Counter(
    "orderhub_sign_ins_refused",
    "Sign-ins refused before any check: `busy` (too many at once) or `locked`.",
    ["reason"],
)
CONSOLE_SIGN_INS = Counter(
    "orderhub_console_sign_ins",
    "Operations console sign-ins by outcome: ok, wrong (password or username), locked.",
    ["outcome"],
)
WEBHOOK_DELIVERIES = Counter(
    "orderhub_webhook_deliveries",
    "Webhook delivery attempts by outcome: delivered, retry (failed, will retry), "
    "failed (gave up).",
    ["outcome"],
)
WORKER_CYCLES = Histogram(
    "orderhub_worker_cycle_duration_seconds",
    "Time one worker cycle took, by loop (webhooks, provisioning, care, retention).",
    ["loop"],
    buckets=(0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60),
)
WORKER_FAILURES = Counter(
    "orderhub_worker_failures",
    "Worker cycles that failed (logged with the error type), by loop.",
    ["loop"],
)
CARE_CHANGES_APPLIED = Counter(
    "orderhub_care_changes_applied",
    "Care-order changes the worker finished, by outcome (completed, failed).",
    ["outcome"],
)
PRUNED_ROWS = Counter(
    "orderhub_retention_pruned_rows",
    "Rows the retention loop deleted, by table.",
    ["table"],
)


def observe_request(method: str, route: str, status: int, seconds: float) -> None:
    HTTP_REQUESTS.labels(method, route, str(status)).inc()
    HTTP_SECONDS.labels(method, route).observe(seconds)


class StoreCollector(Collector):
    """Gauges read from the database at scrape time (cached briefly)."""

    def __init__(self, read: Callable[[], list[Metric]]) -> None:
        self._read = read
        self._cached: list[Metric] = []
        self._read_at = 0.0

    def collect(self) -> Iterable[Metric]:
        now = time.monotonic()
        if now - self._read_at >= STORE_CACHE_SECONDS or not self._cached:
            self._cached = self._read()
            self._read_at = now
        return self._cached


def gauge(name: str, documentation: str, labels: list[str] | None = None) -> GaugeMetricFamily:
    return GaugeMetricFamily(name, documentation, labels=labels)


def exposition(store: StoreCollector | None) -> tuple[bytes, str]:
    """The text a scrape gets: this process's (or every worker's) metrics and the store's."""
    if os.environ.get(MULTIPROC_ENV):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = CollectorRegistry()
        registry.register(_Process())
    if store is not None:
        registry.register(store)
    return generate_latest(registry), CONTENT_TYPE_LATEST


class _Process(Collector):
    """This process's own metrics (one process: no multiprocess directory)."""

    def collect(self) -> Iterable[Metric]:
        return REGISTRY.collect()
