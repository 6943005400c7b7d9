"""Time every console page on the sandbox data: the figures in docs/console.md.

    .venv/bin/python scripts/console_page_times.py [--backend sqlite|postgresql] [--rounds 30]

Starts `orderhub serve` on a fresh database (SQLite file, or a new PostgreSQL database on
the local server), makes an order of every channel through the real APIs (the demo flows),
signs in as the sandbox's ops-admin (who may open every page) and fetches each page
`--rounds` times, one at a time, over loopback. Prints the median and the 95th percentile
per page, as the client saw them: an upper bound of the server's own time, which the
200 ms target is about.
"""

from __future__ import annotations

import argparse
import re
import statistics
import tempfile
import time
import uuid
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text

from orderhub import migrate
from orderhub.bench.server import serving
from orderhub.db import Database
from orderhub.demo import care, consumer, onboarding, partner
from orderhub.sandbox import loader

OPERATOR = {"Authorization": "Bearer sandbox-operator-token"}
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def _fresh(backend: str, folder: Path) -> tuple[str, str | None]:
    if backend == "sqlite":
        url = f"sqlite:///{folder / 'console.db'}"
        name = None
    else:
        name = f"oh_console_times_{uuid.uuid4().hex[:8]}"
        admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        url = PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"
    database = Database(url)
    migrate.upgrade(database)
    with database.transaction() as session:
        loader.load(session)
    database.dispose()
    return url, name


def _sign_in(client: httpx.Client) -> None:
    form = CSRF.search(client.get("/console/sign-in").text).group(1)
    answer = client.post(
        "/console/sign-in",
        data={"csrf_token": form, "username": "ops-admin", "password": "orderhub-sandbox"},
    )
    if answer.status_code != 303:
        raise SystemExit(f"sign-in answered {answer.status_code}, not 303")


def _pages(client: httpx.Client) -> dict[str, str]:
    orders = {}
    for channel in ("direct", "partner", "onboarding", "care"):
        found = client.get(
            "/operator/v1/orders", params={"channel": channel, "limit": 1}, headers=OPERATOR
        ).json()["orders"]
        if found:
            orders[channel] = found[0]
    pages = {
        "dashboard": "/console/",
        "orders": "/console/orders",
        "orders filtered": "/console/orders?channel=partner&state=completed",
        "search (reference)": f"/console/search?q={orders['direct']['id']}",
        "search (name)": "/console/search?q=Bell",
        "queues": "/console/queues",
        "customers": "/console/customers",
        "operators": "/console/operators",
        "partners": "/console/partners",
        "webhooks": "/console/webhooks",
    }
    for channel, order in orders.items():
        pages[f"order ({channel})"] = f"/console/orders/{order['id']}"
        party = order["party"]
        pages[f"customer ({party['kind']})"] = f"/console/customers/{party['kind']}/{party['id']}"
    return pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url, pg_name = _fresh(args.backend, Path(folder))
        log = Path(folder) / "server.log"
        try:
            with serving("orderhub", database_url=url, workers=1, log=log) as running:
                with httpx.Client(base_url=running.url, timeout=30) as api:
                    consumer.run(api)
                    partner.run(api)
                    onboarding.run(api)
                    care.run(api)
                with httpx.Client(base_url=running.url, timeout=30) as client:
                    _sign_in(client)
                    pages = _pages(client)
                    print(f"{'page':28} {'p50 ms':>8} {'p95 ms':>8}  status")
                    for name, path in pages.items():
                        times, status = [], 0
                        for _ in range(args.rounds):
                            started = time.perf_counter()
                            status = client.get(path).status_code
                            times.append((time.perf_counter() - started) * 1000)
                        times.sort()
                        p95 = times[max(0, int(len(times) * 0.95) - 1)]
                        print(f"{name:28} {statistics.median(times):8.1f} {p95:8.1f}  {status}")
        finally:
            if pg_name:
                admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
                with admin.connect() as conn:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)'))
                admin.dispose()


if __name__ == "__main__":
    main()
