"""The console's dashboard (`/console/`), and its live part (`/console/dashboard/live`),
which the page fetches again every few seconds with htmx (the whole page works without
JavaScript: a reload shows the same figures)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from orderhub.ids import utcnow
from orderhub.surfaces.console import dashboard_views as views
from orderhub.surfaces.console import pages
from orderhub.surfaces.console.auth import ConsoleUserDep, PollingUserDep
from orderhub.surfaces.deps import SessionDep

router = APIRouter(include_in_schema=False)
REFRESH_SECONDS = 5


@router.get("/")
async def dashboard(request: Request, user: ConsoleUserDep, session: SessionDep) -> Response:
    return pages.render(
        request,
        "dashboard.html",
        refresh=REFRESH_SECONDS,
        **views.snapshot(session, now=utcnow()),
    )


@router.get("/dashboard/live")
async def dashboard_live(request: Request, user: PollingUserDep, session: SessionDep) -> Response:
    return pages.render(request, "_dashboard_live.html", **views.snapshot(session, now=utcnow()))
