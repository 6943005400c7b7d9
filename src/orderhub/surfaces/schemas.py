"""Wire conventions shared by every surface: camelCase JSON, no unknown fields, problems."""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict, model_validator
from pydantic.alias_generators import to_camel

from orderhub.errors import PROBLEM_JSON


class WireModel(BaseModel):
    """A response body: camelCase on the wire."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)


# Text no database can store: PostgreSQL refuses NUL, and unpaired surrogates (valid as
# JSON escapes) cannot be encoded as UTF-8. Refused up front as a 422, never a 500.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def _unstorable_path(value: Any, path: str = "") -> str | None:
    if isinstance(value, str):
        return path or "body" if _UNSTORABLE.search(value) else None
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return None
    for key, item in items:
        if isinstance(key, str) and _UNSTORABLE.search(key):
            return f"{path}.{key!r}".lstrip(".")
        found = _unstorable_path(item, f"{path}.{key}".lstrip("."))
        if found:
            return found
    return None


class RequestModel(WireModel):
    """A request body: unknown fields are refused (no mass assignment of status or prices)."""

    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, extra="forbid", str_strip_whitespace=True
    )

    @model_validator(mode="before")
    @classmethod
    def _storable_text(cls, data: Any) -> Any:
        where = _unstorable_path(data)
        if where:
            raise ValueError(f"'{where}' holds a NUL character or an unpaired surrogate")
        return data


class FieldProblemOut(WireModel):
    field: str
    rule: str
    message: str


class ProblemOut(WireModel):
    """RFC 9457 problem details, with `code` and the failing fields."""

    model_config = ConfigDict(extra="allow")

    type: str
    title: str
    status: int
    detail: str
    code: str
    instance: str | None = None
    errors: list[FieldProblemOut] | None = None


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    descriptions = {
        400: "Malformed request (e.g. invalid JSON)",
        401: "Missing, invalid or expired credentials",
        403: "Not allowed",
        404: "Not found, or not yours",
        409: "Conflicts with the current state",
        422: "A field breaks a rule; `errors` names each",
        429: "Too many requests or tries",
        500: "Unexpected server error; nothing was changed",
        503: "A required outside system is not available",
    }
    schema = {"$ref": "#/components/schemas/ProblemOut"}
    return {
        s: {"description": descriptions[s], "content": {PROBLEM_JSON: {"schema": schema}}}
        for s in statuses
    }


def money(cents: int) -> str:
    """Amounts travel as decimal strings ("45.00") so no client rounds them through floats."""
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return f"{sign}{cents // 100}.{cents % 100:02d}"
