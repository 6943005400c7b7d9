"""The mobility care-order API (seed 004) under `/api/orderingMobility/v1`."""

from fastapi import APIRouter

from orderhub.surfaces.care import routes

router = APIRouter(prefix=routes.BASE)
router.include_router(routes.router)
