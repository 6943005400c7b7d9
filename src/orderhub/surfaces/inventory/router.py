"""The inventory API under `/inventory/v1`: accounts' lines and onboarded services, read
by the partners allowed on each account."""

from orderhub.surfaces.inventory import routes
from orderhub.surfaces.mounting import Surface

surface = Surface(prefix="/inventory/v1", routers=(routes.router,))
