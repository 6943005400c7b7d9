"""PostgreSQL restarted under load: every request that meets the restart answers 503
`database_unavailable` (never 500), nothing acknowledged is lost, and the server serves
again within seconds, by itself.

The restart is real (`pg_ctl restart -m fast`), on a private PostgreSQL cluster this test
starts in a temporary directory, so the suite's other tests, sharing the machine's
server, are not disturbed.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import shutil
import subprocess
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from orderhub.bench import identities, seed
from orderhub.bench.buyer import Buyer, BuyerFailed
from orderhub.bench.httpclient import Connection
from orderhub.bench.server import serving
from tests.conftest import REQUIRE_PG

PG_BIN = next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin"))), None)
BASE = "/msapi/order"
CLIENTS = 12
OK = (200, 201, 409, 503)
BEFORE, AFTER = 3.0, 6.0  # seconds of load before the restart, and after it


def _as_postgres(*command: str, **kwargs) -> subprocess.CompletedProcess:
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    return subprocess.run([*prefix, *command], check=True, capture_output=True, **kwargs)


@pytest.fixture
def private_postgres() -> Iterator[tuple[str, Path]]:
    """A PostgreSQL cluster of this test's own: (URL of its database, data directory)."""
    if PG_BIN is None or (os.geteuid() == 0 and shutil.which("runuser") is None):
        if REQUIRE_PG:
            pytest.fail("PostgreSQL's server binaries are required to restart a private cluster")
        pytest.skip("no PostgreSQL server binaries to start a private cluster")
    # Under /tmp itself: pytest's own temporary directories are private to root, and the
    # server runs as the postgres user.
    home = Path(tempfile.mkdtemp(prefix="orderhub-pg-"))
    data = home / "pg"
    data.mkdir()
    if os.geteuid() == 0:
        shutil.chown(home, "postgres")
        shutil.chown(data, "postgres")
    port = 20000 + uuid.uuid4().int % 20000
    _as_postgres(
        str(PG_BIN / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "--no-sync"
    )
    options = f"-p {port} -k {data} -c listen_addresses=127.0.0.1 -c fsync=off"
    _as_postgres(
        str(PG_BIN / "pg_ctl"),
        "-D",
        str(data),
        "-o",
        options,
        "-w",
        "-l",
        str(data / "log"),
        "start",
    )
    try:
        _as_postgres(
            str(PG_BIN / "createdb"),
            "-h",
            "127.0.0.1",
            "-p",
            str(port),
            "-U",
            "postgres",
            "orderhub",
        )
        yield f"postgresql://postgres@127.0.0.1:{port}/orderhub", data
    finally:
        _as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop")
        shutil.rmtree(home, ignore_errors=True)


async def _buyer(url: str, customers, stop_at: float, log: list, bought: list) -> None:
    """Whole orders (the bench's buyer: sign-in, credit, fulfillment, number search and
    reservation, validate, submit), one customer after another, until `stop_at`. A call
    that answers 503 ends that order; the buyer starts the next."""
    connection = Connection(url, timeout=30)
    while time.monotonic() < stop_at:
        buyer = Buyer(
            connection,
            lambda label, status, ms: log.append((time.monotonic(), label, status)),
        )
        try:
            bought.append(await buyer.buy(identities.phone(next(customers))))
        except BuyerFailed:
            await asyncio.sleep(0.05)  # Retry-After is 1 s; the test retries sooner


def test_a_database_restart_under_load_is_503s_then_service_again(private_postgres, tmp_path):
    url, data = private_postgres
    seed.prepare(url, seed.SeedSize(customers=600, numbers=6000))
    with serving("orderhub", database_url=url, workers=2, log=tmp_path / "server.log") as server:
        log: list = []
        bought: list = []
        customers = itertools.count()
        started = time.monotonic()
        stop_at = started + BEFORE + AFTER

        async def load() -> float:
            buyers = [
                asyncio.create_task(_buyer(server.url, customers, stop_at, log, bought))
                for _ in range(CLIENTS)
            ]
            await asyncio.sleep(BEFORE)
            # The restart, while the buyers keep buying (pg_ctl waits in a thread).
            await asyncio.to_thread(
                _as_postgres,
                str(PG_BIN / "pg_ctl"),
                "-D",
                str(data),
                "-m",
                "fast",
                "-w",
                # The new server logs to the file, not to our pipes (or run() would wait
                # for them to close, which the server never does).
                "-l",
                str(data / "log"),
                "restart",
            )
            restarted = time.monotonic()
            await asyncio.gather(*buyers)
            return restarted

        restarted = asyncio.run(load())

        # Every call answered what the flow expects (409: a number another buyer took), or
        # 503 where it met the restart; never a 500, never no answer.
        unexpected = Counter((label, status) for _, label, status in log if status not in OK)
        assert not unexpected, unexpected
        unavailable = [t for t, _, status in log if status == 503]
        assert unavailable, "no request met the restart"
        # Whole orders are bought again within seconds, by themselves.
        assert any(t > restarted + 3 for t in _submitted_at(log)), Counter(s for *_, s in log)
        # Nothing acknowledged was lost: every submitted order is there, submitted.
        missing = asyncio.run(_missing(server.url, bought))
        assert not missing, missing
        assert len(bought) > CLIENTS


def _submitted_at(log: list) -> list[float]:
    return [t for t, label, status in log if label == "POST /v1/order/submit" and status == 200]


async def _missing(url: str, bought: list) -> list[str]:
    connection = Connection(url, timeout=30)
    missing = []
    for purchase in bought:
        response = await connection.request(
            "GET", f"{BASE}/v1/order/{purchase.order_id}", headers=purchase.headers
        )
        if response.status_code != 200 or response.json()["status"] != "submitted":
            missing.append(f"{purchase.order_id}: {response.status_code}")
    return missing
