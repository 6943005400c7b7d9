"""The floor: the least a FastAPI app on the same server and database can do per call.

POST /floor/items is one raw-driver insert, GET /floor/items/{id} one read by key, both
`async def` with the driver called on the event loop as OrderHub's routes do. OrderHub's
calls/s divided by the floor's says how much of the machine the order engine itself
costs, a ratio that travels between machines better than either absolute figure.

    ORDERHUB_BENCH_FLOOR_DATABASE_URL=sqlite:///bench.db \\
        uvicorn orderhub.bench.floor:create_app --factory --workers 2
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

import psycopg
from fastapi import FastAPI, HTTPException, Request
from pydantic import BaseModel, Field
from sqlalchemy.engine import make_url

URL_VARIABLE = "ORDERHUB_BENCH_FLOOR_DATABASE_URL"
SQLITE_TABLE = (
    "CREATE TABLE IF NOT EXISTS bench_floor "
    "(id INTEGER PRIMARY KEY, body TEXT NOT NULL, created_at TEXT NOT NULL)"
)
POSTGRES_TABLE = (
    "CREATE TABLE IF NOT EXISTS bench_floor "
    "(id BIGSERIAL PRIMARY KEY, body TEXT NOT NULL, created_at TIMESTAMPTZ NOT NULL)"
)


class ItemIn(BaseModel):
    body: str = Field(max_length=1000)


class ItemOut(BaseModel):
    id: int
    body: str


class Store:
    """One connection for the worker process, used only from its event loop."""

    def __init__(self, url: str) -> None:
        parsed = make_url(url)
        self.sqlite = parsed.get_backend_name() == "sqlite"
        if self.sqlite:
            # The same settings as orderhub.db: WAL, a busy timeout, synchronous=NORMAL,
            # and writers taking the lock up front with BEGIN IMMEDIATE.
            self.conn: Any = sqlite3.connect(
                parsed.database, isolation_level=None, check_same_thread=False, timeout=30
            )
            for pragma in ("journal_mode=WAL", "busy_timeout=30000", "synchronous=NORMAL"):
                self.conn.execute(f"PRAGMA {pragma}")
            self.conn.execute(SQLITE_TABLE)
        else:
            # psycopg's own URL form: no "+psycopg" driver suffix. Autocommit makes the
            # INSERT a transaction of its own, committed like OrderHub's one per request.
            conninfo = parsed.set(drivername="postgresql").render_as_string(hide_password=False)
            self.conn = psycopg.connect(conninfo, autocommit=True)
            self.conn.execute(POSTGRES_TABLE)

    def insert(self, body: str) -> int:
        now = datetime.now(UTC)
        if self.sqlite:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                cursor = self.conn.execute(
                    "INSERT INTO bench_floor (body, created_at) VALUES (?, ?)",
                    (body, now.isoformat()),
                )
                self.conn.execute("COMMIT")
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            return cursor.lastrowid
        row = self.conn.execute(
            "INSERT INTO bench_floor (body, created_at) VALUES (%s, %s) RETURNING id", (body, now)
        ).fetchone()
        return row[0]

    def get(self, item_id: int) -> tuple[int, str] | None:
        marker = "?" if self.sqlite else "%s"
        return self.conn.execute(
            f"SELECT id, body FROM bench_floor WHERE id = {marker}", (item_id,)
        ).fetchone()

    def close(self) -> None:
        self.conn.close()


def ensure_table(url: str) -> None:
    """Create the table before the workers start, so they never race to create it."""
    Store(url).close()


def create_app() -> FastAPI:
    url = os.environ[URL_VARIABLE]

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.store = Store(url)
        yield
        app.state.store.close()

    app = FastAPI(title="OrderHub bench floor", lifespan=lifespan)

    @app.get("/readyz")
    async def readyz() -> dict[str, str]:
        return {"status": "ok"}

    @app.post("/floor/items", status_code=201, response_model=ItemOut)
    async def create_item(item: ItemIn, request: Request) -> ItemOut:
        return ItemOut(id=request.app.state.store.insert(item.body), body=item.body)

    @app.get("/floor/items/{item_id}", response_model=ItemOut)
    async def read_item(item_id: int, request: Request) -> ItemOut:
        row = request.app.state.store.get(item_id)
        if row is None:
            raise HTTPException(404, "no such item")
        return ItemOut(id=row[0], body=row[1])

    return app
