"""The consumer direct-fulfillment API, mounted at /msapi/order (seed 000)."""

from fastapi import APIRouter

from orderhub.surfaces.direct import (
    auth_routes,
    catalog_routes,
    order_routes,
    order_steps,
    passkey_routes,
)

router = APIRouter(prefix="/msapi/order")
for module in (auth_routes, passkey_routes, catalog_routes, order_routes, order_steps):
    router.include_router(module.router)
