"""Dependencies shared by every surface: the runtime, the unit of work, the caller."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from orderhub.errors import Unauthorized
from orderhub.identity import tokens
from orderhub.runtime import Runtime


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


_bearer = HTTPBearer(auto_error=False, description="An access token from POST /msapi/order/v1/auth")


# Routes list PrincipalDep before SessionDep: FastAPI resolves dependencies in parameter
# order, so a request without a valid token is refused before it opens a transaction
# (on SQLite, before it waits for the write lock).
async def current_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> tokens.Principal:
    if credentials is None:
        raise Unauthorized(
            "Send 'Authorization: Bearer <accessToken>'.", headers={"WWW-Authenticate": "Bearer"}
        )
    principal = tokens.verify(request.app.state.runtime.key, credentials.credentials, time.time())
    if principal is None:
        raise Unauthorized(
            "The access token is invalid or has expired.",
            code="invalid_token",
            headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
        )
    # For the access line: the customer's id, never a prospect's phone or e-mail.
    request.state.caller = (
        f"customer:{principal.customer_id}" if principal.customer_id else "prospect"
    )
    return principal


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]
# scope="function": commit when the route returns, before the response is sent, so a
# client never sees success for a transaction that then fails to commit.
SessionDep = Annotated[Session, Depends(db_session, scope="function")]
ReadSessionDep = Annotated[Session, Depends(read_session, scope="function")]
PrincipalDep = Annotated[tokens.Principal, Depends(current_principal)]
