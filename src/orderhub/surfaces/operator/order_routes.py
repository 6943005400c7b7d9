"""`/operator/v1/orders`: the order ledger, every channel's orders in one list."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import AwareDatetime

from orderhub.errors import FieldProblem, NotFound, ValidationFailed
from orderhub.ledger import queries
from orderhub.ledger.states import Channel, OrderState
from orderhub.surfaces.callers import OperatorDep
from orderhub.surfaces.deps import PageDep, SessionDep
from orderhub.surfaces.operator import order_views as views
from orderhub.surfaces.operator import schemas as s
from orderhub.surfaces.schemas import Id, path_id, problem_responses

router = APIRouter(tags=["operations"])
OrderId = path_id("Order ID, of any channel")
# A moment with its offset (`2026-12-01T00:00:00Z`): without one it would be read in
# whatever zone the database session has.
Moment = AwareDatetime


def _ranges_in_order(**ranges: tuple[AwareDatetime | None, AwareDatetime | None]) -> None:
    """422 for a range whose start is after its end (it could match nothing)."""
    problems = [
        FieldProblem(f"{name}From", "range_order", f"{name}From is after {name}To.")
        for name, (start, end) in ranges.items()
        if start is not None and end is not None and start > end
    ]
    if problems:
        raise ValidationFailed("A date range ends before it starts.", errors=problems)


class LedgerOrderNotFound(NotFound):
    code = "order_not_found"
    title = "Order not found"


@router.get(
    "/orders",
    response_model=s.LedgerOrdersOut,
    responses=problem_responses(401, 403, 422, 500),
)
async def list_orders(
    operator: OperatorDep,
    session: SessionDep,
    page: PageDep,
    channel: Channel | None = None,
    state: OrderState | None = None,
    status: Annotated[str | None, Query(min_length=1, max_length=30)] = None,
    customer: Annotated[
        Id | None,
        Query(description="A customer, business customer, onboarding account or FAN id"),
    ] = None,
    partner: Annotated[Id | None, Query(description="The partner who placed the orders")] = None,
    reference: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=200,
            description="An order id, confirmation number, quote, opportunity, contract, "
            "acknowledgement or message id, PO number, account number",
        ),
    ] = None,
    ctn: Annotated[str | None, Query(pattern=r"^[0-9]{10}$", max_length=10)] = None,
    created_from: Annotated[Moment | None, Query(alias="createdFrom")] = None,
    created_to: Annotated[Moment | None, Query(alias="createdTo")] = None,
    updated_from: Annotated[Moment | None, Query(alias="updatedFrom")] = None,
    updated_to: Annotated[Moment | None, Query(alias="updatedTo")] = None,
) -> s.LedgerOrdersOut:
    """Orders of every channel, newest first, with how many match in all. `customer`
    matches the party an order is for, and a business customer's accounts (FANs) too."""
    _ranges_in_order(created=(created_from, created_to), updated=(updated_from, updated_to))
    rows, total = queries.search(
        session,
        where=queries.OrderFilter(
            channel=channel,
            state=state,
            status=status,
            customer=customer,
            partner=partner,
            reference=reference,
            ctn=ctn,
            created_from=created_from,
            created_to=created_to,
            updated_from=updated_from,
            updated_to=updated_to,
        ),
        limit=page.limit,
        offset=page.offset,
    )
    found = queries.references(session, orders=rows)
    return s.LedgerOrdersOut(
        orders=[views.order(r, found[r.id]) for r in rows],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )


@router.get(
    "/orders/{id}",
    response_model=s.LedgerOrderDetailOut,
    responses=problem_responses(401, 403, 404, 422, 500),
)
async def get_order(
    id: OrderId, operator: OperatorDep, session: SessionDep
) -> s.LedgerOrderDetailOut:
    """One order of any channel: the ledger row, the order as its own channel shows it,
    and its whole history."""
    row = queries.get(session, order_id=id)
    if row is None:
        raise LedgerOrderNotFound(f"No order '{id}'.")
    return views.detail(session, row, queries.references(session, orders=[row])[row.id])
