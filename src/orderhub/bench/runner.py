"""`orderhub bench`: prepare a database, start the servers, drive them, check, report.

OrderHub is served once for its two scenarios (whole orders, then reads), then once more
without its background loops for the other channels' (partner, onboarding, care,
webhooks: channel_runner.py); the floor app is served last on the same database with the
same worker count. Every order a buyer saw submitted is looked up in the database at the
end: none may be missing.
"""

from __future__ import annotations

import importlib.util
import json
import os
import platform
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rich.console import Console
from sqlalchemy.engine import make_url

from orderhub import __version__
from orderhub.bench import channel_runner, report, seed, server
from orderhub.bench.driving import DRAIN_SECONDS
from orderhub.db import normalize_url

DEFAULT_SCENARIOS = ("orders", "floor", "reads")
SCENARIOS = (*DEFAULT_SCENARIOS, *channel_runner.SCENARIOS)
SETUP_SECONDS = 60.0  # the reads scenario's setup orders, and process start-up


class BenchFailed(RuntimeError):
    pass


@dataclass(frozen=True)
class BenchOptions:
    database_url: str | None = None
    workers: int = 1
    buyers: int = 32
    duration: float = 20.0
    scenarios: tuple[str, ...] = DEFAULT_SCENARIOS
    smoke: bool = False
    results_dir: Path = Path("bench/results")

    @property
    def warmup(self) -> float:
        if self.smoke:  # half of a window shortened below 3 s (CI's second invocation)
            return min(1.0, self.duration / 2)
        return 3.0

    @property
    def size(self) -> seed.SeedSize:
        return seed.SMOKE if self.smoke else seed.FULL

    @property
    def webhook_rate(self) -> float:
        """Events per second the webhooks scenario causes: steady, well below saturation."""
        return 10.0 if self.smoke else 50.0

    @property
    def readers(self) -> int:
        """Reads run at four times the buyers' concurrency: reads are cheap and many."""
        return self.buyers * 4


def smoke_options(options: BenchOptions) -> BenchOptions:
    """A few seconds per scenario, for CI: proves the harness runs, measures nothing.
    A shorter --duration than 3 s is kept (CI's second invocation, the other channels)."""
    return BenchOptions(
        database_url=options.database_url,
        workers=options.workers,
        buyers=4,
        duration=min(3.0, options.duration),
        scenarios=options.scenarios,
        smoke=True,
        results_dir=options.results_dir,
    )


def run(options: BenchOptions, console: Console) -> tuple[dict[str, Any], Path]:
    """Run the selected scenarios; returns the result (as written) and where it was written."""
    unknown = set(options.scenarios) - set(SCENARIOS)
    if unknown or not options.scenarios:
        raise BenchFailed(f"scenarios are {', '.join(SCENARIOS)}; got {sorted(unknown) or '-'}")
    started = datetime.now(UTC)
    with _database(options.database_url) as url, tempfile.TemporaryDirectory() as scratch:
        backend = make_url(url).get_backend_name()
        size = options.size
        console.print(
            f"preparing {backend} database ({size.customers:,} bench customers, "
            f"{size.numbers:,} numbers)"
        )
        seeded = seed.prepare(url, size)
        cursor = seed.next_customer(url)
        raw: dict[str, dict[str, Any]] = {}
        work = Path(scratch)
        orderhub_scenarios = [s for s in ("orders", "reads") if s in options.scenarios]
        if orderhub_scenarios:
            with server.serving(
                "orderhub", database_url=url, workers=options.workers, log=work / "orderhub.log"
            ) as running:
                for name in orderhub_scenarios:
                    raw[name] = _drive(name, running, options, console, work, cursor)
                    cursor += raw[name].get("customers_used", 0)
        channels = [s for s in channel_runner.SCENARIOS if s in options.scenarios]
        if channels:
            raw |= channel_runner.run(channels, url, options, console, work, _drive)
        if "floor" in options.scenarios:
            with server.serving(
                "floor", database_url=url, workers=options.workers, log=work / "floor.log"
            ) as running:
                raw["floor"] = _drive("floor", running, options, console, work, cursor)
        submitted = [i for r in raw.values() for i in r.get("submitted_order_ids", [])]
        lost = seed.lost_orders(url, submitted)
    settings = {
        "started_at": started.isoformat(timespec="seconds"),
        "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "backend": backend,
        "workers": options.workers,
        "buyers": options.buyers,
        "readers": options.readers,
        "duration_seconds": options.duration,
        "warmup_seconds": options.warmup,
        "smoke": options.smoke,
        "server": _server_stack(),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "orderhub": __version__,
        },
        "seed": {
            "customers": size.customers,
            "numbers": size.numbers,
            "customers_added": seeded.customers_added,
            "numbers_added": seeded.numbers_added,
        },
    }
    result = report.build(settings=settings, raw=raw, lost=lost, checked=len(submitted))
    path = report.write(result, options.results_dir, started)
    report.render(result, console)
    console.print(f"results: {path}")
    return result, path


def _server_stack() -> dict[str, str]:
    """What uvicorn's "auto" picks here: a figure means little without it."""
    found = {name: importlib.util.find_spec(name) is not None for name in ("uvloop", "httptools")}
    return {
        "loop": "uvloop" if found["uvloop"] else "asyncio",
        "http": "httptools" if found["httptools"] else "h11",
    }


@contextmanager
def _database(given: str | None) -> Iterator[str]:
    """The given database, or a fresh SQLite file removed after the run."""
    if given:
        url = normalize_url(given)
        parsed = make_url(url)
        if parsed.get_backend_name() == "sqlite" and parsed.database in (None, "", ":memory:"):
            raise BenchFailed("an in-memory SQLite database cannot be shared with a server")
        yield url
        return
    with tempfile.TemporaryDirectory(prefix="orderhub-bench-") as folder:
        yield f"sqlite:///{Path(folder) / 'bench.db'}"


def _drive(
    name: str,
    running: server.Running,
    options: BenchOptions,
    console: Console,
    work: Path,
    first_customer: int,
    extra: tuple[str, ...] = (),
) -> dict[str, Any]:
    """Run the load generator as its own process for one scenario and read its result;
    `extra` are more of its options (channels.py's)."""
    concurrency = options.readers if name == "reads" else options.buyers
    out, log = work / f"{name}.json", work / f"{name}-loadgen.log"
    command = [
        sys.executable,
        "-m",
        "orderhub.bench.loadgen",
        f"--scenario={name}",
        f"--url={running.url}",
        f"--concurrency={concurrency}",
        f"--duration={options.duration}",
        f"--warmup={options.warmup}",
        f"--server-pid={running.pid}",
        f"--first-customer={first_customer}",
        f"--customers={options.size.customers}",
        f"--setup-orders={min(16, options.buyers)}",
        f"--out={out}",
        *extra,
    ]
    console.print(
        f"{name}: {concurrency} clients, {options.warmup:g} s warm-up + "
        f"{options.duration:g} s measured"
    )
    timeout = options.warmup + options.duration + 2 * DRAIN_SECONDS + SETUP_SECONDS
    with log.open("w") as sink:
        try:
            done = subprocess.run(command, stdout=sink, stderr=subprocess.STDOUT, timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            raise BenchFailed(f"the {name} load generator ran past {timeout:.0f} s") from exc
    if done.returncode != 0 or not out.exists():
        raise BenchFailed(f"the {name} load generator failed: {log.read_text()[-2000:]}")
    return json.loads(out.read_text())
