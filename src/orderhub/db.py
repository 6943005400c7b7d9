"""Engine, declarative base, the per-request unit of work and SQLite's settings.

One request is one transaction: the session dependency commits once when the
route returns and rolls back on any error, so a failure leaves nothing behind.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import AsyncExitStack, asynccontextmanager, contextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Engine, MetaData, create_engine, event, make_url, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

from orderhub import metrics
from orderhub.errors import OrderHubError
from orderhub.writer_turns import WriterTurns

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC datetimes on every backend (SQLite keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# GET requests read; everything else may write. On SQLite a writer must take the
# write lock up front (BEGIN IMMEDIATE) or two writers deadlock on lock upgrade and
# one fails with "database is locked" instead of waiting out the busy timeout.
# Writers' sessions are bound to an engine copy carrying this execution option. The
# engine for requests' writers has a busy timeout of 0: its BEGIN IMMEDIATE fails at once
# if another process holds the lock, so a request can wait for it without blocking its
# event loop (see Database.request_transaction); the CLI and jobs block up to 30 s.
WRITE_OPTION = "orderhub_write"
BUSY_TIMEOUT_MS = 30_000
POOL_TIMEOUT_SECONDS = 5
# A PostgreSQL that does not answer (a restart, a dead host) costs a request this long.
CONNECT_TIMEOUT_SECONDS = 5


def normalize_url(url: str) -> str:
    """Accept plain `postgresql://` URLs and pick the psycopg 3 driver for them."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def make_engine(
    url: str, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS, autocommit: bool = False
) -> Engine:
    """An engine with our settings. `autocommit` (PostgreSQL): every connection of its pool
    stays in autocommit, set once when it connects instead of at each checkout."""
    url = normalize_url(url)
    if url.startswith("sqlite"):
        # hide_parameters: statement parameters (e-mails, phones) never reach the logs.
        engine = create_engine(
            url,
            connect_args={"timeout": busy_timeout_ms / 1000, "check_same_thread": False},
            hide_parameters=True,
        )
        _configure_sqlite(engine, busy_timeout_ms)
    else:
        # No pre-ping: it costs a round trip per request; a connection lost to a database
        # restart answers 503 once (errors.py) and SQLAlchemy then rebuilds the pool.
        # A request never waits for a second connection while holding one, so the pool
        # is never exhausted by one process's requests; should it be (a bug), checkout
        # gives up after pool_timeout and the request answers 503, not a stalled loop.
        # An autocommit pool has no transaction to roll back when a connection returns.
        per_pool: dict[str, Any] = (
            {"isolation_level": "AUTOCOMMIT", "pool_reset_on_return": None} if autocommit else {}
        )
        engine = create_engine(
            url,
            pool_size=10,
            max_overflow=10,
            pool_timeout=POOL_TIMEOUT_SECONDS,
            hide_parameters=True,
            connect_args={"connect_timeout": CONNECT_TIMEOUT_SECONDS},
            **per_pool,
        )
    _count_checkouts(engine)
    return engine


def _count_checkouts(engine: Engine) -> None:
    @event.listens_for(engine, "checkout")
    def _out(*_: Any) -> None:
        metrics.DB_CONNECTIONS_IN_USE.inc()

    @event.listens_for(engine, "checkin")
    def _in(*_: Any) -> None:
        metrics.DB_CONNECTIONS_IN_USE.dec()


def serialize_on(session: Session, key: str) -> None:
    """Make concurrent transactions that check-then-insert under `key` run one at a time.

    PostgreSQL: a transaction-scoped advisory lock. SQLite: nothing to do, because its
    writers already hold the database's one write lock for the whole transaction.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"), {"key": key}
        )


def _configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control from the sqlite3 module so BEGIN is ours to emit.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={busy_timeout_ms}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        write = connection.get_execution_options().get(WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


class DatabaseBusy(OrderHubError):
    status = 503
    code = "database_busy"
    title = "Database busy"


def _is_busy(exc: OperationalError) -> bool:
    return "locked" in str(exc.orig) or "busy" in str(exc.orig)


class Database:
    """The engine and session factory of one process."""

    def __init__(self, url: str) -> None:
        self.url = normalize_url(url)
        self.engine = make_engine(self.url)
        # PostgreSQL readers run in autocommit: under READ COMMITTED every statement sees
        # its own snapshot even inside a transaction, so BEGIN and COMMIT would only add
        # two round trips. They have a pool of their own whose connections stay in
        # autocommit: switching a shared connection at each checkout and back at each
        # return cost four driver calls per read request (docs/performance.md).
        # SQLite readers keep BEGIN: there it pins one WAL snapshot.
        self._reading_engine = None if self.is_sqlite else make_engine(self.url, autocommit=True)
        self.readers = sessionmaker(
            self._reading_engine or self.engine, expire_on_commit=False, autoflush=False
        )
        self.writers = sessionmaker(
            self.engine.execution_options(**{WRITE_OPTION: True}),
            expire_on_commit=False,
            autoflush=False,
        )
        self._turns: WriterTurns | None = None
        # SQLite only: a second pool whose connections never wait for the lock.
        self._trying_engine = make_engine(self.url, busy_timeout_ms=0) if self.is_sqlite else None
        self.trying_writers = sessionmaker(
            self._trying_engine.execution_options(**{WRITE_OPTION: True})
            if self._trying_engine
            else self.engine,
            expire_on_commit=False,
            autoflush=False,
        )

    @property
    def engines(self) -> list[Engine]:
        """Every engine (and so pool) of this process's database."""
        engines = (self.engine, self._trying_engine, self._reading_engine)
        return [e for e in engines if e is not None]

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def transaction(self, *, write: bool = True) -> Iterator[Session]:
        """One unit of work: commit on success, roll back on any error.

        The transaction begins at the first statement. On SQLite a writer waits for the
        write lock there, blocking its thread: right for the CLI and jobs, not for a
        request on the event loop (use `request_transaction`).
        """
        with self._unit_of_work((self.writers if write else self.readers)()) as session:
            yield session

    @asynccontextmanager
    async def request_transaction(self, *, write: bool) -> AsyncIterator[Session]:
        """The unit of work of one request.

        On SQLite, a writer takes the write lock before the route runs. The server's
        writers take turns (writer_turns.py); a lock held by another program (the CLI) is
        waited for with `asyncio.sleep`. Either way the event loop goes on serving other
        requests (reads need no lock in WAL mode). After 30 s: 503.
        """
        if not (write and self.is_sqlite):
            with self._unit_of_work((self.writers if write else self.readers)()) as session:
                yield session
            return
        async with AsyncExitStack() as turn:
            with metrics.DB_WAITING.track_inprogress():  # counted while waiting for the lock
                await turn.enter_async_context(self._writer_turns().turn())
                session = await self._begin_write_without_blocking()
            with self._unit_of_work(session):
                yield session

    def _writer_turns(self) -> WriterTurns:
        if self._turns is None:  # made on first use, inside the server's event loop
            path = make_url(self.url).database
            on_disk = bool(path) and path != ":memory:" and not path.startswith("file:")
            self._turns = WriterTurns(f"{path}-writers.lock" if on_disk else None)
        return self._turns

    async def _begin_write_without_blocking(self) -> Session:
        deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
        delay = 0.0005
        while True:
            session = self.trying_writers()
            try:
                session.connection()  # BEGIN IMMEDIATE, failing at once if held
                return session
            except OperationalError as exc:
                session.close()
                if not _is_busy(exc):
                    raise
            if time.monotonic() > deadline:
                raise DatabaseBusy("The database stayed locked by other writers; retry.")
            await asyncio.sleep(delay)
            delay = min(delay * 2, 0.01)

    @staticmethod
    @contextmanager
    def _unit_of_work(session: Session) -> Iterator[Session]:
        try:
            yield session
            session.commit()
        except OrderHubError as exc:
            # A few failures are themselves facts to keep (a wrong OTP try counts).
            if exc.keep_changes:
                session.commit()
            else:
                session.rollback()
            raise
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def dispose(self) -> None:
        for engine in self.engines:
            engine.dispose()
        if self._turns is not None:
            self._turns.close()
