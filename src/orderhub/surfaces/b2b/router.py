"""The B2B partner API (seed 002): `/oauth/token`, and the flow under `/b2b/v1`."""

from fastapi import APIRouter

from orderhub.surfaces.b2b import (
    address_routes,
    customer_routes,
    oauth_routes,
    quote_routes,
    webhook_routes,
)

oauth_router = oauth_routes.router
router = APIRouter(prefix="/b2b/v1")
for module in (customer_routes, address_routes, quote_routes, webhook_routes):
    router.include_router(module.router)
