"""The B2B partner API (seed 002): `/oauth/token`, and the flow under `/b2b/v1`."""

from orderhub.surfaces.b2b import (
    address_routes,
    contract_routes,
    customer_routes,
    oauth_routes,
    opportunity_routes,
    order_routes,
    quote_routes,
    sandbox_routes,
    webhook_routes,
)
from orderhub.surfaces.mounting import Surface

oauth_router = oauth_routes.router
sandbox_router = sandbox_routes.router  # mounted in sandbox mode only
surface = Surface(
    prefix="/b2b/v1",
    routers=(
        *(
            m.router
            for m in (
                customer_routes,
                address_routes,
                opportunity_routes,
                quote_routes,
                contract_routes,
                order_routes,
            )
        ),
        webhook_routes.subscription_router,
        webhook_routes.router,
    ),
)
