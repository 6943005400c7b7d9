"""The inventory API under `/inventory/v1`: accounts' lines and onboarded services, read
by the partners allowed on each account."""

from fastapi import APIRouter

from orderhub.surfaces.inventory import routes

router = APIRouter(prefix="/inventory/v1")
router.include_router(routes.router)
