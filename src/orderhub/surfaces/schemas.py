"""Wire conventions shared by every surface: camelCase JSON, no unknown fields, bounded
text, lists and integers, and the problem schema."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from fastapi import Path, Query
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    model_validator,
)
from pydantic.alias_generators import to_camel
from pydantic_core import PydanticCustomError

from orderhub import contacts
from orderhub.surfaces.problems import PROBLEM_JSON

# ---- bounded values ---------------------------------------------------------------------
#
# Every string, list and free-form object a request may carry has an upper bound, so a
# request's size is known from the document and nothing unbounded is stored
# (tests/api/test_request_bounds.py walks /openapi.json and holds every surface to it).
# The bounds below are the shared ones; a surface declares its own where its vocabulary
# (seed documents) fixes another.

# An opaque id we issued (`ord_...`, `whk_...`) or a catalog id (`plan-unlimited`).
Id = Annotated[str, Field(min_length=1, max_length=64)]
ID_PATTERN = r"^[A-Za-z0-9_-]+$"
# A name of a person, a role, a label.
Name = Annotated[str, Field(min_length=1, max_length=100)]
# A name of a business, a site, a contact's full name.
LongName = Annotated[str, Field(min_length=1, max_length=200)]
# Contact e-mails and phones follow one rule, orderhub/contacts.py. As typed, they are
# only bounded here and the domain reads them (`contacts.normalize_email`/`_phone`: 422
# `email_format` / `phone_format`, stored lower-cased / as ten digits):
Email = Annotated[str, Field(min_length=3, max_length=contacts.EMAIL_MAX_LENGTH)]
Phone = Annotated[
    str,
    Field(
        min_length=contacts.PHONE_TYPED_MIN_LENGTH,
        max_length=contacts.PHONE_TYPED_MAX_LENGTH,
        examples=["2145550100"],
    ),
]
# Where an API takes them exactly as stored (care, onboarding accounts), the schema checks
# the rule's patterns and the value is kept as sent.
CheckedEmail = Annotated[
    str, Field(max_length=contacts.EMAIL_MAX_LENGTH, pattern=contacts.EMAIL_PATTERN)
]
PhoneDigits = Annotated[str, Field(max_length=10, pattern=contacts.PHONE_PATTERN)]
# Free text a person writes: a reason, a note.
Text = Annotated[str, Field(min_length=1, max_length=1000)]
# How many keys a free-form object may have.
MAX_PROPERTIES = 50


def path_id(description: str | None = None) -> Any:
    """A path segment naming one of our ids: letters, digits, `_` and `-`, 1 to 64."""
    return Annotated[
        str, Path(min_length=1, max_length=64, pattern=ID_PATTERN, description=description)
    ]


# ---- integers, booleans, dates ----------------------------------------------------------
#
# A JSON integer is an integer: `1.0`, `"1"` and `true` are refused (pydantic's lax mode
# would take all three). Body fields use it with their bounds:
# `Annotated[JsonInt, Field(ge=1, le=10)]`. Likewise a JSON boolean is `true` or `false`
# (not `0`, `"yes"`), and a date is the text `YYYY-MM-DD` (not `0`, a Unix time).
JsonInt = StrictInt
JsonBool = StrictBool
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _iso_date_text(value: Any) -> Any:
    if isinstance(value, date) or (isinstance(value, str) and _ISO_DATE.fullmatch(value)):
        return value
    raise PydanticCustomError("date_type", "Input should be a date, YYYY-MM-DD")


JsonDate = Annotated[date, BeforeValidator(_iso_date_text)]

# A query value is an integer only as ASCII digits with an optional minus: `+0.0`, `1e3`,
# ` 1`, `1_000` and fullwidth `\uff10` are refused before the integer parse, which would
# take some of them.
_ASCII_INTEGER = re.compile(r"-?[0-9]{1,20}")


def _ascii_integer(value: Any) -> Any:
    if isinstance(value, str) and not _ASCII_INTEGER.fullmatch(value):
        raise PydanticCustomError(
            "int_parsing", "Input should be a whole number in ASCII digits (e.g. 20)"
        )
    return value


def query_int(*, ge: int, le: int, description: str | None = None) -> Any:
    """A bounded integer query parameter of ASCII digits.

    The digits check comes after the bounds in `Annotated`: the other way round, pydantic
    writes the bounds into the document as `ge`/`le` instead of `minimum`/`maximum`."""
    return Annotated[
        int, Query(ge=ge, le=le, description=description), BeforeValidator(_ascii_integer)
    ]


def limit_query(most: int) -> Any:
    """`limit`: how many items a list answers, 1 to `most`."""
    return query_int(ge=1, le=most, description=f"How many to return, 1 to {most}.")


def offset_query(most: int) -> Any:
    """`offset`: how many items a list skips, 0 to `most`."""
    return query_int(ge=0, le=most, description=f"How many to skip, 0 to {most}.")


# Lists paged by limit and offset take both as one dependency, `PageDep` or `paging()`
# (deps.py, docs/api-conventions.md#pagination). `Limit` alone, with the usual bound, is
# for the lists that answer the latest few.
Limit = limit_query(100)


class WireModel(BaseModel):
    """A response body: camelCase on the wire."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)


# Text no database can store: PostgreSQL refuses NUL, and unpaired surrogates (valid as
# JSON escapes) cannot be encoded as UTF-8. Refused up front as a 422, never a 500.
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def _unstorable_path(value: Any, path: str = "") -> str | None:
    if isinstance(value, str):
        return path or "body" if UNSTORABLE.search(value) else None
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return None
    for key, item in items:
        if isinstance(key, str) and UNSTORABLE.search(key):
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
    """One problem: the field (dotted path in wire names), the rule it breaks, a message.

    Every surface lists its problems this way, in `errors`. An item may carry more keys
    where a surface needs them (`serviceId`, `itemId`, `maxLines`)."""

    model_config = ConfigDict(extra="allow")

    field: str
    rule: str
    message: str
    code: str | None = Field(
        None,
        deprecated=True,
        description="Deprecated: the same as `rule`, on the problems that used to carry "
        "`code` (consumer submission, quote validation). Read `rule`.",
    )


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
    problems: list[FieldProblemOut] | None = Field(
        None,
        deprecated=True,
        description="Deprecated: the same list as `errors`, on the 409s that used to name "
        "it `problems` (consumer and onboarding submit). Read `errors`.",
    )


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    descriptions = {
        400: "Malformed request (e.g. invalid JSON)",
        401: "Missing, invalid or expired credentials",
        403: "Not allowed",
        404: "Not found, or not yours",
        409: "Conflicts with the current state",
        422: "A field breaks a rule; `errors` names each",
        429: "Too many requests or tries",
        500: "Unexpected server error; the request was rolled back",
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
