"""The console's dashboard (`/console/`)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from orderhub.surfaces.console import pages
from orderhub.surfaces.console.auth import ConsoleUserDep

router = APIRouter(include_in_schema=False)


@router.get("/")
async def dashboard(request: Request, user: ConsoleUserDep) -> Response:
    return pages.render(request, "dashboard.html")
