"""Sandbox mode only: move a consumer order to its next fulfillment milestone now."""

from __future__ import annotations

from fastapi import APIRouter

from orderhub.orders import progress
from orderhub.orders import service as orders
from orderhub.surfaces.callers import PrincipalDep
from orderhub.surfaces.deps import RuntimeDep, SessionDep
from orderhub.surfaces.direct import schemas as s
from orderhub.surfaces.direct import views
from orderhub.surfaces.schemas import problem_responses

router = APIRouter(prefix="/sandbox/v1", tags=["sandbox"])


@router.post(
    "/orders/{id}/advance",
    response_model=s.OrderOut,
    responses=problem_responses(401, 404, 409, 422, 500),
)
async def advance_order(
    id: s.OrderId, principal: PrincipalDep, session: SessionDep, runtime: RuntimeDep
) -> s.OrderOut:
    """The sandbox fulfillment system's next milestone for the caller's order, now rather
    than on its schedule; an order not handed off yet is handed off first (409
    `order_not_in_fulfillment` for a draft or a final order)."""
    order = orders.claim_for_change(session, order_id=id, principal=principal)
    order = progress.advance(
        session, order=order, fulfillment=runtime.adapters.fulfillment, actor="sandbox"
    )
    return views.order(session, order)
