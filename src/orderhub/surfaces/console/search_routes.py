"""`/console/search`: one box that finds an order by any id or reference (order id,
confirmation number, PO number, quote, opportunity, contract, acknowledgement, care
message id, account number, CTN) and customers by name, phone or e-mail. Exactly one
order found: straight to its page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from orderhub.ledger import queries
from orderhub.surfaces.console import pages
from orderhub.surfaces.console.auth import ConsoleUserDep
from orderhub.surfaces.console.order_views import PARTY_KINDS
from orderhub.surfaces.deps import SessionDep

router = APIRouter(include_in_schema=False)


@router.get("/search")
async def search(
    request: Request,
    user: ConsoleUserDep,
    session: SessionDep,
    q: Annotated[str, Query(max_length=200)] = "",
) -> Response:
    text = " ".join(q.split())
    if not text:
        return pages.render(request, "search.html", search_text="", orders=[], parties=[])
    orders = queries.find_orders(session, text=text)
    if len(orders) == 1:
        return pages.redirect(f"{pages.PREFIX}/orders/{orders[0].id}")
    parties = queries.find_parties(session, text=text)
    return pages.render(
        request,
        "search.html",
        search_text=text,
        orders=orders,
        references=queries.references(session, orders=orders),
        parties=parties,
        party_kinds=PARTY_KINDS,
        limit=queries.FIND_LIMIT,
    )
