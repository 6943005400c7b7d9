"""Business errors as data: what went wrong, its problem code, and the fields concerned.

Services raise an OrderHubError subclass; the surfaces render it, and every framework
error, as `application/problem+json` (RFC 9457) in surfaces/problems.py. Nothing here
knows about HTTP frameworks, so the domain, the workers and the CLI use it alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class FieldProblem:
    field: str
    rule: str
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"field": self.field, "rule": self.rule, "message": self.message}


class OrderHubError(Exception):
    status = 400
    code = "bad_request"
    title = "Bad request"
    # True when the request's writes must be committed even though it fails.
    keep_changes = False

    def __init__(
        self,
        detail: str,
        *,
        code: str | None = None,
        title: str | None = None,
        errors: list[FieldProblem] | None = None,
        extra: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        if code:
            self.code = code
        if title:
            self.title = title
        self.errors = errors or []
        self.extra = extra or {}
        self.headers = headers


class Unauthorized(OrderHubError):
    status = 401
    code = "unauthorized"
    title = "Not authenticated"


class Forbidden(OrderHubError):
    status = 403
    code = "forbidden"
    title = "Not allowed"


class NotFound(OrderHubError):
    status = 404
    code = "not_found"
    title = "Not found"


class Conflict(OrderHubError):
    status = 409
    code = "conflict"
    title = "Conflict"


class ValidationFailed(OrderHubError):
    status = 422
    code = "validation_failed"
    title = "Request is not valid"

    @classmethod
    def one(cls, field: str, rule: str, message: str) -> ValidationFailed:
        return cls(message, errors=[FieldProblem(field, rule, message)])


class TooManyRequests(OrderHubError):
    status = 429
    code = "too_many_requests"
    title = "Too many requests"
