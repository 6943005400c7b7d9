"""The operations API under `/operator/v1`: the order ledger (`order_routes.py`), every
owner's events and operations' webhooks (`event_routes.py`), deciding partners' exception
requests (`exception_routes.py`) and activating onboarded services once fulfilment is
done (`service_routes.py`)."""

from fastapi import APIRouter

from orderhub.surfaces.operator import (
    event_routes,
    exception_routes,
    order_routes,
    partner_routes,
    service_routes,
)

router = APIRouter(prefix="/operator/v1", tags=["operations"])
for module in (order_routes, event_routes, exception_routes, service_routes):
    router.include_router(module.router)
router.include_router(partner_routes.router)  # onboarding settings of a partner (issue 13)
