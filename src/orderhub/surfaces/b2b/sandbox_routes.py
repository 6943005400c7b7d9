"""Sandbox mode only: move a B2B order to its next provisioning milestones now."""

from __future__ import annotations

from fastapi import APIRouter

from orderhub.partner_orders import progress
from orderhub.partner_orders import service as orders
from orderhub.surfaces.b2b import order_schemas as o
from orderhub.surfaces.b2b import order_views as views
from orderhub.surfaces.callers import PartnerDep
from orderhub.surfaces.deps import RuntimeDep, SessionDep
from orderhub.surfaces.schemas import problem_responses

router = APIRouter(prefix="/sandbox/v1", tags=["sandbox"])


@router.post(
    "/b2b/orders/{id}/advance",
    response_model=o.OrderOut,
    responses=problem_responses(401, 404, 409, 422, 500),
)
async def advance_order(
    id: o.OrderId, partner: PartnerDep, session: SessionDep, runtime: RuntimeDep
) -> o.OrderOut:
    """The sandbox provisioning system's next milestone for every open sub-order, now
    rather than on its schedule (409 `order_not_in_provisioning` for a draft or a final
    order). Publishes `order.status_changed` like a scheduled step."""
    order = orders.claim_for_change(session, partner_id=partner.partner_id, order_id=id)
    progress.advance(
        session, order=order, provisioning=runtime.adapters.provisioning, actor="sandbox"
    )
    return views.order(
        orders.detail(
            session,
            order=orders.get_for_partner(session, partner_id=partner.partner_id, order_id=id),
        )
    )
