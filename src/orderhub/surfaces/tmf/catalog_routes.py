"""TMF620 Product Catalog over the engine's three catalogs (docs/tmf.md, "Product catalog").

Everybody signed in reads catalogs, categories, product offerings, their prices and
product specifications (catalog_views.py says what each is in the engine). Operations
create, change and delete product offerings, which are consumer offers
(catalog/offerings.py), and change a consumer offering's price. Every other write, and
import and export jobs, is 405: those resources are the engine's data files'
(`orderhub catalog load` and its siblings).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from sqlalchemy.orm import Session

from orderhub.catalog import offerings
from orderhub.errors import OrderHubError
from orderhub.surfaces.deps import ReadSessionDep, SessionDep
from orderhub.surfaces.tmf import catalog_input as read
from orderhub.surfaces.tmf import catalog_views as views
from orderhub.surfaces.tmf.callers import OPERATOR, TmfCaller, TmfCallerDep
from orderhub.surfaces.tmf.catalog_schemas import (
    ProductOfferingCreate,
    ProductOfferingPriceUpdate,
    ProductOfferingUpdate,
)
from orderhub.surfaces.tmf.conventions import (
    FieldsQuery,
    WindowDep,
    answer,
    created,
    fields_of,
    filters,
    listing,
    no_content,
    project,
)

router = APIRouter(include_in_schema=False)


class NotAllowed(OrderHubError):
    status = 405
    code = "method_not_allowed"
    title = "Method not allowed"


async def _operator(caller: TmfCallerDep) -> TmfCaller:
    caller.require_operator("change the product catalog")
    return caller


OperatorDep = Annotated[TmfCaller, Depends(_operator)]


def _shelf(request: Request, session: Session, caller: TmfCaller) -> views.Shelf:
    return views.shelf(request, offerings.sources(session), operator=caller.kind == OPERATOR)


# ---- reading every resource ------------------------------------------------------------


def _readers(kind: str) -> None:
    @router.get(f"/{kind}", name=f"list_{kind}")
    async def list_resources(
        request: Request,
        caller: TmfCallerDep,
        session: ReadSessionDep,
        window: WindowDep,
        fields: FieldsQuery = None,
    ) -> Response:
        found = views.matching(
            _shelf(request, session, caller).kind(kind).values(),
            filters(request, views.FILTERS[kind]),
        )
        page = found[window.offset : window.offset + window.limit]
        return listing(page, total=len(found), fields=fields_of(fields))

    @router.get(f"/{kind}/{{id}}", name=f"retrieve_{kind}")
    async def retrieve_resource(
        request: Request,
        id: str,
        caller: TmfCallerDep,
        session: ReadSessionDep,
        fields: FieldsQuery = None,
    ) -> Response:
        found = _shelf(request, session, caller).one(kind, id)
        return answer(project(found, fields_of(fields)))


for _kind in views.FILTERS:
    _readers(_kind)


# ---- product offerings: consumer offers --------------------------------------------------


@router.post("/productOffering")
async def create_offering(
    request: Request, body: ProductOfferingCreate, caller: OperatorDep, session: SessionDep
) -> Response:
    known = _shelf(request, session, caller).consumer_prices
    row = offerings.create(
        session, offer=read.new_offer(body, known_prices=known), status=body.lifecycle_status
    )
    return created(_shelf(request, session, caller).one("productOffering", row.id))


def _consumer_offer(shelf: views.Shelf, id: str, what: str) -> None:
    """404 for an unknown offering; 405 for a business product's or a package's."""
    offering = shelf.one("productOffering", id)
    if offering["category"][0]["id"].startswith(f"{views.CONSUMER}."):
        return
    raise NotAllowed(
        f"Product offering '{id}' is of the {offering['category'][0]['id'].split('.')[0]} "
        f"catalog, loaded from its data file; only consumer offerings are {what} here.",
        headers={"Allow": "GET"},
    )


@router.patch("/productOffering/{id}")
async def change_offering(
    request: Request,
    id: str,
    body: ProductOfferingUpdate,
    caller: OperatorDep,
    session: SessionDep,
) -> Response:
    shelf = _shelf(request, session, caller)
    _consumer_offer(shelf, id, "changed")
    changes = read.offer_input(body, known_prices=shelf.consumer_prices)
    offerings.change(session, offer_id=id, changes=changes, status=body.lifecycle_status)
    return answer(_shelf(request, session, caller).one("productOffering", id))


@router.delete("/productOffering/{id}")
async def delete_offering(
    request: Request, id: str, caller: OperatorDep, session: SessionDep
) -> Response:
    _consumer_offer(_shelf(request, session, caller), id, "deleted")
    offerings.remove(session, offer_id=id)
    return no_content()


@router.patch("/productOfferingPrice/{id}")
async def change_price(
    request: Request,
    id: str,
    body: ProductOfferingPriceUpdate,
    caller: OperatorDep,
    session: SessionDep,
) -> Response:
    shelf = _shelf(request, session, caller)
    shelf.one("productOfferingPrice", id)
    if id not in shelf.consumer_prices:
        raise NotAllowed(
            f"Price '{id}' is of a catalog loaded from its data file; only consumer "
            "offerings' prices are changed here.",
            headers={"Allow": "GET"},
        )
    offer_id, changes = read.price_change(id, body, known_prices=shelf.consumer_prices)
    offerings.change(session, offer_id=offer_id, changes=changes, status=None)
    return answer(_shelf(request, session, caller).one("productOfferingPrice", id))


# ---- what is not changed through this API ---------------------------------------------

_READ_ONLY = {
    "catalog": "Catalogs are the engine's three catalogs; they are not changed here.",
    "category": "Categories are the catalogs' own (offer categories, business families).",
    "productSpecification": "Product specifications come with the catalogs' data files.",
    "productOfferingPrice": (
        "Prices are a product offering's charges: give them with its productOfferingPrice "
        "(POST or PATCH /productOffering); PATCH a consumer offering's price to change it."
    ),
}


def _refuser(path: str, detail: str, methods: list[str], allow: str) -> None:
    async def refuse(caller: TmfCallerDep) -> Response:
        raise NotAllowed(detail, headers={"Allow": allow})

    router.add_api_route(path, refuse, methods=methods)


for _kind, _detail in _READ_ONLY.items():
    _refuser(f"/{_kind}", _detail, ["POST"], "GET")
    if _kind == "productOfferingPrice":  # a consumer offering's price is changed (above)
        _refuser(f"/{_kind}/{{id}}", _detail, ["DELETE"], "GET, PATCH")
    else:
        _refuser(f"/{_kind}/{{id}}", _detail, ["PATCH", "DELETE"], "GET")


_JOBS = "Import and export jobs are not implemented: catalogs are loaded from data files."


@router.api_route("/importJob", methods=["GET", "POST"])
@router.api_route("/exportJob", methods=["GET", "POST"])
@router.api_route("/importJob/{id}", methods=["GET", "DELETE"])
@router.api_route("/exportJob/{id}", methods=["GET", "DELETE"])
async def jobs(caller: TmfCallerDep) -> Response:
    # An empty Allow is how HTTP says a resource takes no method at all (RFC 9110,
    # section 10.2.1: "might occur in a 405 response if the resource has been ...
    # disabled"); naming GET or POST here would invite a retry that is refused again.
    raise NotAllowed(_JOBS, headers={"Allow": ""})
