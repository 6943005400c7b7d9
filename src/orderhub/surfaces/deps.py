"""Dependencies shared by every surface: the runtime, the unit of work, the
Idempotency-Key header and the paging of lists. Who is calling is callers.py's."""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Header, Request
from sqlalchemy.orm import Session

from orderhub.runtime import Runtime
from orderhub.surfaces.schemas import limit_query, offset_query


async def get_runtime(request: Request) -> Runtime:
    # async: a plain `def` dependency would run in the thread pool, a needless hop.
    return request.app.state.runtime


async def db_session(request: Request) -> AsyncIterator[Session]:
    """One transaction per request, committed once when the route returns.

    `async` on purpose: the work is short and synchronous, and running it on the event
    loop avoids a thread-pool hop per request (see docs/architecture.md).
    """
    database = request.app.state.runtime.database
    async with database.request_transaction(write=request.method not in ("GET", "HEAD")) as session:
        yield session


async def read_session(request: Request) -> AsyncIterator[Session]:
    """A read-only transaction for a POST that changes nothing (e.g. a number search),
    so that on SQLite it does not take the write lock."""
    async with request.app.state.runtime.database.request_transaction(write=False) as session:
        yield session


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]
# scope="function": commit when the route returns, before the response is sent, so a
# client never sees success for a transaction that then fails to commit.
SessionDep = Annotated[Session, Depends(db_session, scope="function")]
ReadSessionDep = Annotated[Session, Depends(read_session, scope="function")]


# ---- Idempotency-Key ---------------------------------------------------------------------


def _idempotency_key(description: str) -> Any:
    return Annotated[
        str | None,
        Header(alias="Idempotency-Key", min_length=1, max_length=200, description=description),
    ]


# One header everywhere (optional, 1 to 200 characters; surfaces/idempotent.py replays it).
# Only its published description differs, and each surface keeps its own: the partner
# APIs (B2B, onboarding, webhooks) word it for a create, the consumer API for any request.
IdempotencyKey = _idempotency_key(
    "Repeat a create safely: the same key and body return the first answer."
)
ConsumerIdempotencyKey = _idempotency_key(
    "Repeat a request safely: the same key and body return the first answer."
)


# ---- paging -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    """The slice of a list asked for: `limit` items after skipping `offset`."""

    limit: int
    offset: int


def paging(*, default_limit: int = 20, max_limit: int = 100, max_offset: int = 100_000) -> Any:
    """A list's `limit` and `offset` query parameters as one dependency giving a `Page`.

    The defaults are most lists' (docs/api-conventions.md#pagination); a list whose
    published bounds differ passes its own."""

    async def page(limit: int, offset: int) -> Page:
        return Page(limit=limit, offset=offset)

    # The parameters' types carry this call's bounds, so the signature FastAPI reads is
    # built here: the module's annotations are strings, resolved in its globals.
    keyword = inspect.Parameter.KEYWORD_ONLY
    page.__signature__ = inspect.Signature(
        [
            inspect.Parameter(
                "limit", keyword, default=default_limit, annotation=limit_query(max_limit)
            ),
            inspect.Parameter("offset", keyword, default=0, annotation=offset_query(max_offset)),
        ],
        return_annotation=Page,
    )
    return Annotated[Page, Depends(page)]


PageDep = paging()
