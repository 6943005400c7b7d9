"""The console's customer pages: every customer and account, browsed by name and kind
(`/console/customers`), and one party's page (`/console/customers/{party_kind}/{id}`,
the ledger's `orders.party_kind`): its facts, its orders and its lines or services."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from orderhub.customers import overview
from orderhub.errors import NotFound
from orderhub.inventory import console_reads
from orderhub.ledger import queries
from orderhub.surfaces.console import customer_views as views
from orderhub.surfaces.console import pages
from orderhub.surfaces.console.auth import ConsoleUserDep
from orderhub.surfaces.deps import SessionDep

router = APIRouter(include_in_schema=False)

LIST_LIMIT = 50
ORDERS_LIMIT = 25


class PartyNotFound(NotFound):
    code = "customer_not_found"
    title = "Customer not found"


@router.get("/customers")
async def customers(
    request: Request,
    user: ConsoleUserDep,
    session: SessionDep,
    q: Annotated[str, Query(max_length=200)] = "",
    kind: Annotated[str, Query(max_length=30)] = "",
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
    limit: Annotated[int, Query(ge=10, le=100)] = LIST_LIMIT,
) -> Response:
    name = q.strip()
    wanted = kind if kind in overview.KINDS else None
    rows, total = overview.browse(
        session, name=name or None, kind=wanted, limit=limit, offset=offset
    )
    return pages.render(
        request,
        "customers.html",
        rows=[views.list_row(r) for r in rows],
        total=total,
        offset=offset,
        limit=limit,
        q=name,
        kind=wanted or "",
        kinds=views.KIND_OPTIONS,
        args={"q": name, "kind": wanted or "", "limit": "" if limit == LIST_LIMIT else limit},
    )


@router.get("/customers/{party_kind}/{party_id}")
async def customer(
    request: Request,
    user: ConsoleUserDep,
    session: SessionDep,
    party_kind: str,
    party_id: str,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> Response:
    found = None
    if len(party_id) <= 64:
        found = overview.party(session, kind=party_kind, party_id=party_id)
    if found is None:
        raise PartyNotFound("No customer or account of that kind and id was found.")
    orders, orders_total = queries.search(
        session,
        where=queries.OrderFilter(customer=found.id),
        limit=ORDERS_LIMIT,
        offset=offset,
    )
    if found.kind == overview.FAN:
        account = console_reads.account(session, number=found.id)
        accounts = [account] if account is not None else []
    else:
        accounts = console_reads.accounts_of(session, customer_id=found.id)
    holdings = console_reads.holdings(session, accounts=accounts)
    return pages.render(
        request,
        "customer.html",
        party=found,
        belongs_to_href=(
            views.party_href(found.belongs_to[1], found.belongs_to[2]) if found.belongs_to else None
        ),
        orders=[views.order_row(o) for o in orders],
        orders_total=orders_total,
        offset=offset,
        limit=ORDERS_LIMIT,
        args={},
        accounts=views.account_rows(holdings),
        lines=views.line_rows(holdings),
        line_counts=holdings.line_counts,
        line_total=holdings.line_total,
        lines_shown_max=console_reads.LINES_SHOWN,
        services=views.service_rows(holdings),
    )
