"""What every TM Forum API here shares (TMF630 design guidelines, as the published v4
documents in `specs/` use them): absolute `href`s from the request's base URL,
`fields=` projection, `offset`/`limit` paging with `X-Total-Count` and `X-Result-Count`,
dates in ISO 8601 with zone, request bodies that refuse attributes they do not know, and
the TMF `Error` body for every error (`surfaces/problems.tmf_error`).

A resource is built as a plain dict in the TMF vocabulary by the API's `views` module, then
projected and answered here: the TMF shapes are the published ones, so they are not
declared again as response models (the routes are left out of `/openapi.json`; the TM
Forum documents are the contract, served at `<base>/api-docs`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from importlib import resources
from typing import Annotated, Any

from fastapi import Depends, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict
from pydantic_core import PydanticCustomError

from orderhub.errors import ValidationFailed
from orderhub.ids import iso_z
from orderhub.surfaces.problems import TMF_JSON

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
MAX_OFFSET = 100_000


# Dates a TMF body may carry: with a zone (one without is refused, not guessed), within
# years 2 to 9998 so that moving it to UTC cannot overflow; kept in UTC.
EARLIEST, LATEST = datetime(2, 1, 1, tzinfo=UTC), datetime(9998, 12, 31, tzinfo=UTC)


def _in_range(value: datetime) -> datetime:
    if not EARLIEST <= value <= LATEST:
        raise PydanticCustomError("date_range", "The date must be between years 2 and 9998.")
    return value.astimezone(UTC)


TmfDateTime = Annotated[AwareDatetime, AfterValidator(_in_range)]


class TmfBody(BaseModel):
    """A request body: attribute names as TMF spells them (`@type` and all), and an
    attribute this API does not know is refused (400 `extra_forbidden`), never dropped."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, str_max_length=2000)


@dataclass(frozen=True)
class Api:
    """One TM Forum API: its name in the path and its published document."""

    name: str  # productOrderingManagement
    spec: str  # TMF622-ProductOrdering-v4.0.0.swagger.json

    @property
    def prefix(self) -> str:
        return f"/tmf-api/{self.name}/v4"

    def href(self, request: Request, resource: str, id: str) -> str:
        """The absolute address of a resource, from the base URL the caller used."""
        return f"{str(request.base_url).rstrip('/')}{self.prefix}/{resource}/{id}"

    def document(self) -> dict[str, Any]:
        return json.loads(resources.files(__package__).joinpath("specs", self.spec).read_text())


PRODUCT_ORDERING = Api("productOrderingManagement", "TMF622-ProductOrdering-v4.0.0.swagger.json")
PRODUCT_CATALOG = Api("productCatalogManagement", "TMF620-ProductCatalog-v4.0.0.swagger.json")
CUSTOMER = Api("customerManagement", "TMF629-Customer-v4.0.0.swagger.json")
PRODUCT_INVENTORY = Api("productInventory", "TMF637-ProductInventory-v4.0.0.swagger.json")
APIS = (PRODUCT_ORDERING, PRODUCT_CATALOG, CUSTOMER, PRODUCT_INVENTORY)


def when(value: datetime | date | None) -> str | None:
    """A date-time in ISO 8601 with its zone (UTC, `Z`); a date as midnight UTC."""
    if value is None:
        return None
    if not isinstance(value, datetime):
        return f"{value.isoformat()}T00:00:00Z"
    return iso_z(value)


# ---- fields= --------------------------------------------------------------------------


def fields_of(fields: str | None) -> frozenset[str] | None:
    """The attributes `fields=a,b` asks for, or None for all. Only top-level attribute
    names count (`productOrderItem.id` keeps `productOrderItem` whole)."""
    if fields is None or not fields.strip():
        return None
    return frozenset(f.strip().split(".", 1)[0] for f in fields.split(",") if f.strip())


def project(
    resource: dict[str, Any], fields: frozenset[str] | None, always: Iterable[str] = ()
) -> dict[str, Any]:
    """The resource with only the asked attributes, and `id`, `href`, `@type` and those
    its published schema requires (`always`), so every answer still matches it."""
    if fields is None:
        return resource
    keep = fields | {"id", "href", "@type", *always}
    return {k: v for k, v in resource.items() if k in keep}


FieldsQuery = Annotated[
    str | None,
    Query(
        max_length=1000,
        description="Comma-separated attributes to return (id, href and @type always are).",
    ),
]


# ---- paging ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Window:
    offset: int
    limit: int


async def _window(
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
) -> Window:
    return Window(offset=offset, limit=limit)


WindowDep = Annotated[Window, Depends(_window)]


def answer(body: Any, *, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return JSONResponse(body, status_code=status, media_type=TMF_JSON, headers=headers)


def listing(
    resources_: Sequence[dict[str, Any]],
    *,
    total: int,
    fields: frozenset[str] | None,
    always: Iterable[str] = (),
) -> Response:
    """A page of resources with `X-Total-Count` (all that match) and `X-Result-Count`
    (on this page). 200 whether or not the page holds all of them (the published
    documents list no 206)."""
    body = [project(r, fields, always) for r in resources_]
    return answer(body, headers={"X-Total-Count": str(total), "X-Result-Count": str(len(body))})


def created(resource: dict[str, Any]) -> Response:
    return answer(resource, status=201, headers={"Location": resource["href"]})


def no_content() -> Response:
    """204, with the media type the published documents give every answer (schemathesis
    checks it is there, body or not)."""
    return Response(status_code=204, media_type=TMF_JSON)


# ---- filters --------------------------------------------------------------------------


def filters(request: Request, known: Iterable[str]) -> dict[str, str]:
    """The attribute filters of a list among `known` names (`state=completed`,
    `relatedParty.id=...`, `orderDate.gt=...`); other query parameters are ignored."""
    names = set(known)
    return {k: v for k, v in request.query_params.items() if k in names}


def date_bound(name: str, raw: str, *, end_of_day: bool = False) -> datetime:
    """A filter's date-time (`orderDate.gt=2026-12-01T00:00:00Z`), or a date: its start,
    or with `end_of_day` the next day's start (so `orderDate.lte=2026-12-01` takes the
    whole day). One without a zone is UTC."""
    problem = ValidationFailed.one(
        name, "date_time", f"'{name}' must be an ISO 8601 date or date-time, years 2 to 9998."
    )
    try:
        value = datetime.fromisoformat(raw.replace("Z", "+00:00"))
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        if end_of_day and len(raw.strip()) == 10:  # a date: the whole of it
            value += timedelta(days=1)
        if not EARLIEST <= value <= LATEST:
            raise problem
        return value.astimezone(UTC)
    except (ValueError, OverflowError):
        raise problem from None
