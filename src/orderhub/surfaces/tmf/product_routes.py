"""TMF637 Product Inventory: `product` over the subscriber lines and the onboarded
services (inventory/products.py), read-only (docs/tmf.md, "TMF637").

Who sees what: operations every product; a partner the lines and services of the accounts
it may act on (the inventory API's rule); a consumer the lines of their own account.
Anything else does not exist (404). Products change through orders, never here: create,
patch and delete answer 405 and say where to go.
"""

from __future__ import annotations

from typing import NoReturn

from fastapi import APIRouter, Request, Response

from orderhub.errors import OrderHubError
from orderhub.inventory import products
from orderhub.surfaces.deps import ReadSessionDep
from orderhub.surfaces.tmf import product_views as views
from orderhub.surfaces.tmf.callers import TmfCallerDep
from orderhub.surfaces.tmf.conventions import (
    FieldsQuery,
    WindowDep,
    answer,
    fields_of,
    filters,
    listing,
    project,
)

router = APIRouter(include_in_schema=False)


class ProductsChangeThroughOrders(OrderHubError):
    status = 405
    code = "products_change_through_orders"
    title = "Products change through orders"


@router.get("/product")
async def list_products(
    request: Request,
    caller: TmfCallerDep,
    session: ReadSessionDep,
    window: WindowDep,
    fields: FieldsQuery = None,
) -> Response:
    """Lines and services the caller sees, oldest first; filters: `status` (TMF
    statuses, comma-separated), `relatedParty.id`, `productOffering.id`,
    `billingAccount.id`."""
    given = filters(request, views.FILTERS)
    wanted = products.ProductFilter(
        statuses=views.engine_statuses(given["status"]) if "status" in given else None,
        customer_id=given.get("relatedParty.id"),
        offering_id=given.get("productOffering.id"),
        account_number=given.get("billingAccount.id"),
    )
    page = products.list_products(
        session, scope=caller.scope(), wanted=wanted, limit=window.limit, offset=window.offset
    )
    return listing(
        [views.product(request, p) for p in page.products],
        total=page.total,
        fields=fields_of(fields),
    )


@router.get("/product/{id}")
async def retrieve_product(
    request: Request,
    id: str,
    caller: TmfCallerDep,
    session: ReadSessionDep,
    fields: FieldsQuery = None,
) -> Response:
    found = products.get_product(session, scope=caller.scope(), product_id=id)
    return answer(project(views.product(request, found), fields_of(fields)))


def _refuse() -> NoReturn:
    raise ProductsChangeThroughOrders(
        "Products change through orders: place a TMF622 productOrder (or a consumer, "
        "partner, onboarding or care order) to add, change or end a line or service.",
        headers={"Allow": "GET"},
    )


@router.post("/product")
async def create_product(caller: TmfCallerDep) -> Response:
    _refuse()


@router.patch("/product/{id}")
async def patch_product(id: str, caller: TmfCallerDep) -> Response:
    _refuse()


@router.delete("/product/{id}")
async def delete_product(id: str, caller: TmfCallerDep) -> Response:
    _refuse()
