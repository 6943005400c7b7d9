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
) -> JSONResponse:
    """Replay the first answer for a repeated key; otherwise produce one and keep it."""
    if key is None:
        return JSONResponse(produce(), status_code=status_code)
    request_hash = idempotency.fingerprint(request.method, request.url.path, body)
    record = idempotency.replay(
        session,
        scope=scope,
        key=key,
        request_hash=request_hash,
        ttl_seconds=request.app.state.runtime.settings.idempotency_ttl_seconds,
    )
    if record is not None:
        return JSONResponse(
            record.body, status_code=record.status_code, headers={"Idempotent-Replayed": "true"}
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
    return JSONResponse(answer, status_code=status_code)
