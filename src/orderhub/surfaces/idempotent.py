"""Running a create or submit under an optional Idempotency-Key."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from orderhub.idempotency import service as idempotency


def respond(
    request: Request,
    session: Session,
    *,
    scope: str,
    key: str | None,
    body: dict[str, Any],
    status_code: int,
    produce: Callable[[], dict[str, Any]],
    reveal: Callable[[dict[str, Any]], dict[str, Any]] = lambda answer: answer,
    key_field: str = "Idempotency-Key",
) -> JSONResponse:
    """Replay the first answer for a repeated key; otherwise produce one and keep it.

    `reveal` adds what must not be stored with the kept answer (a secret the caller
    sees once); it is applied to the first answer and to every replay alike.
    """
    if key is None:
        return JSONResponse(reveal(produce()), status_code=status_code)
    request_hash = idempotency.fingerprint(request.method, request.url.path, body)
    record = idempotency.replay(
        session,
        scope=scope,
        key=key,
        request_hash=request_hash,
        ttl_seconds=request.app.state.runtime.settings.idempotency_ttl_seconds,
        key_field=key_field,
    )
    if record is not None:
        return JSONResponse(
            reveal(record.body),
            status_code=record.status_code,
            headers={"Idempotent-Replayed": "true"},
        )
    answer = produce()
    idempotency.remember(
        session,
        scope=scope,
        key=key,
        request_hash=request_hash,
        status_code=status_code,
        body=answer,
    )
    return JSONResponse(reveal(answer), status_code=status_code)
