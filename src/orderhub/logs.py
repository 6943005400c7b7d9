"""Log lines for the whole process: text or JSON, every line carrying its request id.

`dict_config()` is handed to uvicorn, which applies it in each server process, and
`configure()` applies it in the CLI and `orderhub worker`: one handler on the root logger,
so uvicorn's, SQLAlchemy's and our own lines share one format. Structured
values travel as `extra={"fields": {...}}`: JSON lines keep them as keys, text lines
append them as `key=value`. Nothing here ever formats a request's body or query values:
callers pass only what is safe to keep (route templates, ids, counts).
"""

from __future__ import annotations

import json
import logging
import logging.config
import sys
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

FORMATS = ("text", "json")
# The id of the request being handled (surfaces/middleware.py sets it), or None in a
# worker or the CLI.
REQUEST_ID: ContextVar[str | None] = ContextVar("orderhub_request_id", default=None)


def route_template(scope: dict[str, Any]) -> str:
    """The matched route's template (`/b2b/v1/orders/{id}`), or `unmatched`: logs and
    metrics name routes, never paths, since a path holds whatever the client typed."""
    # FastAPI >= 0.16x keeps the full template of an included router's route here; older
    # versions put the flattened route, with its full path, in scope["route"].
    context = scope.get("fastapi", {}).get("effective_route_context")
    path = getattr(context, "path", None) or getattr(scope.get("route"), "path", None)
    return path or "unmatched"


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = REQUEST_ID.get() or "-"
        return True


def _fields(record: logging.LogRecord) -> dict[str, Any]:
    fields = getattr(record, "fields", None)
    return fields if isinstance(fields, dict) else {}


class JsonFormatter(logging.Formatter):
    """One JSON object per line, for log shippers."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC)
            .isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", "-")
        if request_id != "-":
            entry["requestId"] = request_id
        entry.update(_fields(record))
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, separators=(",", ":"))


class TextFormatter(logging.Formatter):
    """`time level logger [request id] message key=value...`, for people."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        fields = _fields(record)
        if fields and not getattr(record, "fields_in_message", False):
            line += " " + " ".join(f"{key}={value}" for key, value in fields.items())
        return line


class StderrHandler(logging.StreamHandler):
    """Writes to whatever `sys.stderr` is when a line is written, not when logging was
    configured (a test runner swaps it, and closes the one it swapped in)."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property  # type: ignore[override]
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, _value: Any) -> None:
        pass


def dict_config(*, level: str = "info", fmt: str = "text") -> dict[str, Any]:
    """A `logging.config.dictConfig` for the whole process: one stderr handler on the root
    logger, in `fmt`, from `level` up. uvicorn applies it in each of its processes."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": RequestIdFilter}},
        "formatters": {"main": {"()": JsonFormatter if fmt == "json" else TextFormatter}},
        "handlers": {
            "stderr": {
                "()": StderrHandler,
                "formatter": "main",
                "filters": ["request_id"],
            }
        },
        "root": {"handlers": ["stderr"], "level": level.upper()},
        # uvicorn's loggers go through the root handler. Its access log is replaced by
        # ours (surfaces/middleware.py), which knows the route template and the caller.
        "loggers": {
            "uvicorn": {"handlers": [], "propagate": True},
            "uvicorn.error": {"handlers": [], "propagate": True},
            "uvicorn.access": {"handlers": [], "propagate": False},
            # A line per outbound request or migration step is noise at info level.
            "httpx": {"level": "WARNING"},
            "alembic": {"level": "WARNING"},
        },
    }


def configure(*, level: str = "info", fmt: str = "text") -> None:
    """Configure logging for a process that uvicorn does not start (the CLI, workers)."""
    logging.config.dictConfig(dict_config(level=level, fmt=fmt))
