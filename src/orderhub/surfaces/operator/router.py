"""The operations API under `/operator/v1`: the order ledger (`order_routes.py`), every
owner's events and operations' webhooks (`event_routes.py`), deciding partners' exception
requests (`exception_routes.py`) and activating onboarded services once fulfilment is
done (`service_routes.py`)."""

from orderhub.surfaces.mounting import Surface
from orderhub.surfaces.operator import (
    event_routes,
    exception_routes,
    order_routes,
    partner_routes,
    service_routes,
)

surface = Surface(
    prefix="/operator/v1",
    tags=("operations",),
    routers=(
        order_routes.router,
        event_routes.subscription_router,
        event_routes.router,
        exception_routes.router,
        service_routes.router,
        partner_routes.router,
    ),
)
