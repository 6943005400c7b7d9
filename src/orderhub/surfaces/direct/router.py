"""The consumer direct-fulfillment API, mounted at /msapi/order (seed 000)."""

from orderhub.surfaces.direct import (
    auth_routes,
    catalog_routes,
    order_routes,
    order_steps,
    passkey_routes,
)
from orderhub.surfaces.mounting import Surface

# The order routes first: they take most of a buyer's calls.
surface = Surface(
    prefix="/msapi/order",
    routers=tuple(
        m.router for m in (order_routes, order_steps, catalog_routes, auth_routes, passkey_routes)
    ),
)
