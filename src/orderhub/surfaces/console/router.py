"""The operations console under `/console` (docs/console.md): server-rendered pages for
operations staff, signed in as operator users (operators/). Every page reads and acts
through the same domain services as the operator API, with the signed-in person as the
actor. Its routes are left out of /openapi.json: they answer people, not programs."""

from fastapi import APIRouter
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles

from orderhub.surfaces import problems
from orderhub.surfaces.console import (
    admin_routes,
    auth_routes,
    customer_routes,
    dashboard_routes,
    operator_routes,
    order_routes,
    pages,
    queue_routes,
    search_routes,
)
from orderhub.surfaces.mounting import Surface

root = APIRouter(include_in_schema=False)


@root.get("")
async def console_root() -> Response:
    """`/console` is the dashboard at `/console/`."""
    return pages.redirect(pages.PREFIX + "/")


surface = Surface(
    prefix=pages.PREFIX,
    routers=(
        root,
        dashboard_routes.router,
        order_routes.router,
        search_routes.router,
        queue_routes.router,
        customer_routes.router,
        operator_routes.router,
        admin_routes.router,
        auth_routes.router,
    ),
)
# Scripts and styles, from the package (no CDN: the console works offline).
static = StaticFiles(directory=pages.STATIC)
problems.problem_pages.append((pages.PREFIX + "/", pages.error_page))
