"""Test databases: every DB test runs on SQLite and on PostgreSQL, each in a fresh database.

A migrated and seeded template is built once per backend per run; each test gets a copy
(a file copy on SQLite, CREATE DATABASE ... TEMPLATE on PostgreSQL) and drops it after.
On PostgreSQL a copy takes some 0.3-0.5 s, nearly all of it waiting for the server to
sync the new files to disk, so a thread makes the next copies while tests run and drops
the used ones (`SpareDatabases`).
PostgreSQL comes from ORDERHUB_TEST_POSTGRES_URL (default: the local `test` database);
if it is unreachable its tests are skipped, unless ORDERHUB_REQUIRE_POSTGRES=1 (CI).
"""

from __future__ import annotations

import dataclasses
import os
import queue
import shutil
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from orderhub import migrate
from orderhub.config import Settings
from orderhub.db import Database
from orderhub.sandbox import loader

PG_ADMIN_URL = os.environ.get(
    "ORDERHUB_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
REQUIRE_PG = os.environ.get("ORDERHUB_REQUIRE_POSTGRES") == "1"
RUN_ID = uuid.uuid4().hex[:8]


def _pg_admin():
    return create_engine(
        PG_ADMIN_URL.replace("postgresql://", "postgresql+psycopg://", 1),
        isolation_level="AUTOCOMMIT",
    )


def _pg_available() -> str | None:
    try:
        engine = _pg_admin()
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
        return None
    except Exception as exc:  # any failure to connect means "not here"
        return f"{type(exc).__name__}: {exc}"[:200]


def _pg_url(name: str) -> str:
    url = make_url(PG_ADMIN_URL.replace("postgresql://", "postgresql+psycopg://", 1))
    return url.set(database=name).render_as_string(hide_password=False)


def _seed(url: str) -> None:
    database = Database(url)
    migrate.upgrade(database)
    with database.transaction() as session:
        loader.load(session)
    database.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    _seed(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str]:
    reason = _pg_available()
    if reason:
        if REQUIRE_PG:
            pytest.fail(f"PostgreSQL is required but unreachable: {reason}")
        pytest.skip(f"PostgreSQL unreachable: {reason}")
    name = f"oh_tpl_{RUN_ID}"
    admin = _pg_admin()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    _seed(_pg_url(name))
    yield name
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


class SpareDatabases:
    """Copies of the PostgreSQL template made ahead, and used ones dropped, by a thread of
    their own: a test takes a ready copy instead of waiting for CREATE DATABASE."""

    AHEAD = 2

    def __init__(self, template: str) -> None:
        self.template = template
        self.ready: queue.Queue[str | BaseException] = queue.Queue()
        self.jobs: queue.Queue[tuple[str, str | None]] = queue.Queue()
        self.broken: BaseException | None = None
        for _ in range(self.AHEAD):
            self.jobs.put(("create", None))
        self.thread = threading.Thread(target=self._work, name="spare-databases", daemon=True)
        self.thread.start()

    def take(self) -> str:
        if self.broken:
            raise self.broken
        self.jobs.put(("create", None))  # one more, for the test after
        name = self.ready.get(timeout=300)
        if isinstance(name, BaseException):
            raise name
        return name

    def drop(self, name: str) -> None:
        self.jobs.put(("drop", name))

    def close(self) -> None:
        self.jobs.put(("stop", None))
        self.thread.join(timeout=300)
        # Every copy this process made, whether spare, or used and its drop failed.
        admin = _pg_admin()
        with admin.connect() as conn:
            names = conn.scalars(text("SELECT datname FROM pg_database")).all()
            for name in names:
                if name.startswith(f"oh_t_{RUN_ID}_"):
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    def _work(self) -> None:
        # psycopg itself, not an engine: tests counting SQLAlchemy's statements
        # (test_*statement_budget.py) must not count these.
        dsn = make_url(PG_ADMIN_URL).set(drivername="postgresql").render_as_string(False)
        try:
            conn = psycopg.connect(dsn, autocommit=True)
        except Exception as exc:
            self.broken = exc
            self.ready.put(exc)
            return
        with conn:
            while (job := self.jobs.get())[0] != "stop":
                action, name = job
                try:
                    if action == "create":
                        name = f"oh_t_{RUN_ID}_{uuid.uuid4().hex[:8]}"
                        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"')
                        self.ready.put(name)
                    else:
                        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                except Exception as exc:  # handed to the test waiting for a copy
                    if action == "create":
                        self.ready.put(exc)


@pytest.fixture(scope="session")
def pg_spares(pg_template: str) -> Iterator[SpareDatabases]:
    spares = SpareDatabases(pg_template)
    yield spares
    spares.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@contextmanager
def sandbox_database(request: pytest.FixtureRequest, backend: str, directory: Path):
    """A fresh copy of the migrated, seeded template on `backend`, dropped after."""
    if backend == "sqlite":
        path = directory / "orderhub.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    spares: SpareDatabases = request.getfixturevalue("pg_spares")
    name = spares.take()
    try:
        yield _pg_url(name)
    finally:
        spares.drop(name)


@pytest.fixture
def database_url(request: pytest.FixtureRequest, backend: str, tmp_path: Path) -> Iterator[str]:
    """A fresh, migrated database with the sandbox data, dropped after the test."""
    with sandbox_database(request, backend, tmp_path) as url:
        yield url


@pytest.fixture
def empty_database_url(request: pytest.FixtureRequest, backend: str, tmp_path: Path):
    """A database with nothing in it, not even the schema."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    request.getfixturevalue("pg_template")  # skipped (or failed) as conftest decides
    name = f"oh_e_{RUN_ID}_{uuid.uuid4().hex[:8]}"
    admin = _pg_admin()
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield _pg_url(name)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def settings(database_url: str) -> Settings:
    # No webhook worker in in-process apps: its polls would land in the statement counts
    # and timings of unrelated tests. Served processes (tests/e2e) run theirs.
    return dataclasses.replace(
        Settings.from_env(),
        database_url=database_url,
        sandbox=True,
        secret_key=None,
        worker_in_server=False,
        # Tests sign in faster than any person: the gate's rate has tests of its own.
        sign_ins_per_second=10_000,
    )


@pytest.fixture
def database(settings: Settings) -> Iterator[Database]:
    db = Database(settings.database_url)
    yield db
    db.dispose()


# What a test of each heavy kind takes on average on this machine, in seconds (from
# `--durations`; the first prefix that matches counts): tests that serve processes, drive a
# browser or race workers. The rest (tests/api, tests/unit) take well under one.
HEAVY = {
    "tests/e2e/test_schemathesis.py": 90.0,
    "tests/e2e/test_tmf_conformance.py": 35.0,
    "tests/e2e/": 8.0,
    "tests/browser/": 5.0,
    "tests/integration/": 1.0,
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Order the run so that no worker is left with long tests at the end.

    `--dist worksteal` (pyproject.toml) hands each xdist worker an equal share of the run,
    in order, and an idle worker steals from the end of another's share. So every share
    starts with heavy files, shared out by their weight, and ends with quick tests, which
    are what gets stolen. A file's tests stay together and in order, so a module-scoped
    server or browser (tests/browser) starts once. Every worker orders alike, as xdist
    requires."""
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    heavy: dict[str, list[pytest.Item]] = {}
    light: list[pytest.Item] = []
    for item in items:
        path = item.nodeid.split("::", 1)[0]
        (heavy.setdefault(path, []) if _weight(path) else light).append(item)
    shares: list[list[pytest.Item]] = [[] for _ in range(workers)]
    loads = [0.0] * workers
    for path, tests in sorted(heavy.items(), key=lambda kv: -_weight(kv[0]) * len(kv[1])):
        lightest = min(range(workers), key=lambda n: loads[n])
        shares[lightest] += tests
        loads[lightest] += _weight(path) * len(tests)
    ordered: list[pytest.Item] = []
    left = len(items)
    for n, share in enumerate(shares):
        size = left // (workers - n)  # what worksteal hands this worker first
        fill = max(0, size - len(share))
        ordered += share + light[:fill]
        light = light[fill:]
        left -= size
    items[:] = ordered + light


def _weight(path: str) -> float:
    return next((w for prefix, w in HEAVY.items() if path.startswith(prefix)), 0.0)
