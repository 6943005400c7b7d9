"""The mobility care-order API (seed 004) under `/api/orderingMobility/v1`."""

from orderhub.surfaces.care import routes
from orderhub.surfaces.mounting import Surface

surface = Surface(prefix=routes.BASE, routers=(routes.router,))
