"""The service-provider onboarding API (seed 003) under `/onboarding/v1`."""

from orderhub.surfaces.mounting import Surface
from orderhub.surfaces.onboarding import (
    account_routes,
    billing_routes,
    config_routes,
    order_routes,
)

surface = Surface(
    prefix="/onboarding/v1",
    routers=tuple(m.router for m in (account_routes, order_routes, config_routes, billing_routes)),
)
