"""The service-provider onboarding API (seed 003) under `/onboarding/v1`."""

from fastapi import APIRouter

from orderhub.surfaces.onboarding import (
    account_routes,
    billing_routes,
    config_routes,
    order_routes,
)

router = APIRouter(prefix="/onboarding/v1")
for module in (account_routes, order_routes, config_routes, billing_routes):
    router.include_router(module.router)
