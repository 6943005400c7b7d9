"""The one place that renders errors as problem+json (RFC 9457): business errors
(errors.py), request validation, unknown routes and methods, a lost database, and
anything unexpected.

Routes never build error responses: services raise an OrderHubError subclass and the
handlers here turn it into `application/problem+json`.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException

from orderhub import metrics
from orderhub.errors import OrderHubError
from orderhub.logs import REQUEST_ID, route_template

log = logging.getLogger("orderhub.errors")

PROBLEM_TYPE_BASE = "https://orderhub.dev/problems/"
PROBLEM_JSON = "application/problem+json"

# Called with (request, status, code) for every problem the handlers render. Empty in
# production; tests register a recorder to check the OpenAPI document lists each
# operation's error codes.
problem_observers: list[Callable[[Request, int, str], None]] = []


def problem(
    status: int,
    code: str,
    title: str,
    detail: str,
    *,
    instance: str | None = None,
    errors: list[dict[str, str]] | None = None,
    extra: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE_BASE + code,
        "title": title,
        "status": status,
        "detail": detail,
        "code": code,
    }
    if instance:
        body["instance"] = instance
    request_id = REQUEST_ID.get()
    if request_id:
        body["requestId"] = request_id
    if errors:
        body["errors"] = errors
    if extra:
        body.update(extra)
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


# Surfaces that answer people, not programs (the console), render their own error page
# for every error under their prefix: (prefix, render(request, status, code, title,
# detail, **kwargs) -> Response).
problem_pages: list[tuple[str, Callable[..., Response]]] = []


def request_problem(
    request: Request, status: int, code: str, title: str, detail: str, **kwargs: Any
) -> Response:
    """A problem answering `request`: its path as `instance`, observers told. Under
    `/tmf-api/` the same error is TM Forum's `Error` object (tmf_error)."""
    for observe in problem_observers:
        observe(request, status, code)
    for prefix, render in problem_pages:
        if request.url.path.startswith(prefix):
            return render(request, status, code, title, detail, **kwargs)
    if request.url.path.startswith(TMF_PREFIX):
        return tmf_error(status, code, title, detail, **kwargs)
    return problem(status, code, title, detail, instance=request.url.path, **kwargs)


TMF_PREFIX = "/tmf-api/"
TMF_JSON = "application/json;charset=utf-8"


def tmf_error(
    status: int,
    code: str,
    title: str,
    detail: str,
    *,
    errors: list[dict[str, str]] | None = None,
    extra: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    """The TM Forum `Error` (TMF630): `code`, `reason`, `message`, `status` (a string),
    `referenceError`, `@type`; every problem listed under `errors` as on the other
    surfaces. A request the TMF specifications answer 400 for (a body or query that is not
    valid) is 400 here where the other surfaces say 422: the published documents list no
    422."""
    if status == 422:
        status = 400
    body: dict[str, Any] = {
        "@type": "Error",
        "code": code,
        "reason": title,
        "message": detail,
        "status": str(status),
        "referenceError": PROBLEM_TYPE_BASE + code,
    }
    request_id = REQUEST_ID.get()
    if request_id:
        body["requestId"] = request_id
    if errors:
        body["errors"] = errors
    if extra:
        # `problems` is an older name of `errors` on the consumer API; TMF has no past.
        body.update({k: v for k, v in extra.items() if k != "problems"})
    return JSONResponse(body, status_code=status, media_type=TMF_JSON, headers=headers)


def _field_path(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or (str(loc[0]) if loc else "body")


def _validation_problem(request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = exc.errors()
    if any(e.get("type") == "json_invalid" for e in errors):
        return request_problem(
            request,
            400,
            "malformed_json",
            "Malformed JSON",
            "The request body is not valid JSON.",
        )
    field_problems = [
        # `input` is never echoed: it may be an SSN, a password or an OTP code.
        {
            "field": _field_path(tuple(e.get("loc", ()))),
            "rule": e.get("type", "invalid"),
            "message": e.get("msg", "invalid value"),
        }
        for e in errors
    ]
    fields = ", ".join(sorted({p["field"] for p in field_problems}))
    return request_problem(
        request,
        422,
        "validation_failed",
        "Request is not valid",
        f"{len(field_problems)} problem(s) with: {fields}.",
        errors=field_problems,
    )


_HTTP_PROBLEMS = {
    401: ("unauthorized", "Not authenticated"),
    404: ("not_found", "Not found"),
    405: ("method_not_allowed", "Method not allowed"),
    413: ("payload_too_large", "Payload too large"),
}


def _allowed_methods(request: Request) -> list[str]:
    """Every method some route answers on this path (asked of the routes themselves)."""
    from starlette.routing import Match

    routes = request.app.router.routes
    return [
        method
        for method in ("DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT")
        if any(
            route.matches({**request.scope, "method": method})[0] is Match.FULL for route in routes
        )
    ]


# What SQLite says when its file is locked, busy or cannot be opened or read: the
# database's trouble. Its other operational errors (no such table, a syntax error) are bugs.
_SQLITE_UNAVAILABLE = ("locked", "busy", "unable to open", "disk i/o", "readonly", "full")


def _connection_trouble(exc: DBAPIError) -> bool:
    """Whether the database could not be reached or dropped the connection (a restart, a
    network failure, a server out of connections, SQLite's file locked or unreadable), as
    opposed to a statement the database refused (a constraint, a bad value: a bug)."""
    if exc.connection_invalidated:
        return True
    if not isinstance(exc, OperationalError | InterfaceError):
        return False
    if type(exc.orig).__module__.startswith("sqlite3"):
        message = str(exc.orig).lower()
        return any(marker in message for marker in _SQLITE_UNAVAILABLE)
    return True


def _database_unavailable(request: Request, exc: Exception) -> JSONResponse:
    # Connections are not pinged before use (a round trip per request): after a database
    # restart the first request on each stale connection lands here, and SQLAlchemy has
    # already dropped the pool, so a retry gets a fresh connection.
    metrics.DB_UNAVAILABLE.inc()
    log.warning(
        "database unavailable (%s) on %s %s",
        type(getattr(exc, "orig", None) or exc).__name__,
        request.method,
        route_template(request.scope),
    )
    return request_problem(
        request,
        503,
        "database_unavailable",
        "Database unavailable",
        "The database could not be reached or the connection was lost; the request may not "
        "have completed. Retry it (with the same Idempotency-Key, for a create or submit).",
        headers={"Retry-After": "1"},
    )


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(OrderHubError)
    async def _orderhub_error(request: Request, exc: OrderHubError) -> JSONResponse:
        return request_problem(
            request,
            exc.status,
            exc.code,
            exc.title,
            exc.detail,
            errors=[e.to_dict() for e in exc.errors] or None,
            extra=exc.extra,
            headers=exc.headers,
        )

    @app.exception_handler(RequestValidationError)
    async def _request_validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        return _validation_problem(request, exc)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = exc.detail if isinstance(exc.detail, str) else "Request failed."
        code, title = _HTTP_PROBLEMS.get(exc.status_code, ("http_error", "Error"))
        headers = getattr(exc, "headers", None)
        if exc.status_code == 405:
            # Starlette names only the first matching route's methods; list them all.
            headers = {"Allow": ", ".join(_allowed_methods(request))}
        return request_problem(request, exc.status_code, code, title, detail, headers=headers)

    @app.exception_handler(DBAPIError)
    async def _database_error(request: Request, exc: DBAPIError) -> JSONResponse:
        if not _connection_trouble(exc):
            return unexpected_problem(request, exc)
        return _database_unavailable(request, exc)

    @app.exception_handler(PoolTimeout)
    async def _pool_timeout(request: Request, exc: PoolTimeout) -> JSONResponse:
        return _database_unavailable(request, exc)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        return unexpected_problem(request, exc)


def unexpected_problem(request: Request, exc: Exception) -> JSONResponse:
    """The 500 for an exception nothing else handled, logged with where it was raised."""
    # The exception's type and where it was raised, not its message: a database error
    # message can quote the row (an e-mail, a phone) that caused it.
    log.error(
        "unhandled %s on %s %s\n%s",
        type(exc).__name__,
        request.method,
        route_template(request.scope),
        "".join(traceback.format_tb(exc.__traceback__)),
    )
    return request_problem(
        request,
        500,
        "internal_error",
        "Internal server error",
        "The server failed to handle the request; retry it (with the same Idempotency-Key, "
        "for a create or submit) or report the requestId.",
    )
