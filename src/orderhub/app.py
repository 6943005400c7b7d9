"""create_app(): the surfaces, the error handlers and the process's runtime."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from orderhub import __version__, background
from orderhub.config import Settings
from orderhub.runtime import Runtime
from orderhub.surfaces import openapi, ops
from orderhub.surfaces.b2b.router import oauth_router
from orderhub.surfaces.b2b.router import sandbox_router as b2b_sandbox_router
from orderhub.surfaces.b2b.router import surface as b2b_surface
from orderhub.surfaces.care.router import surface as care_surface
from orderhub.surfaces.console import router as console
from orderhub.surfaces.direct.router import surface as direct_surface
from orderhub.surfaces.direct.sandbox_routes import router as direct_sandbox_router
from orderhub.surfaces.inventory.router import surface as inventory_surface
from orderhub.surfaces.middleware import RequestBody, RequestContext, SignInGate
from orderhub.surfaces.onboarding.router import surface as onboarding_surface
from orderhub.surfaces.operator.router import surface as operator_surface
from orderhub.surfaces.problems import install_error_handlers
from orderhub.surfaces.tmf.router import surfaces as tmf_surfaces

DESCRIPTION = """One telecom order engine with thin channel APIs.

* **Consumer direct fulfillment** (`/msapi/order`): OTP sign-in, customer lookup, offers,
  cart, credit, fulfillment and terms, number selection, validate, submit.
* **B2B partner ordering** (`/oauth/token`, `/b2b/v1`): client-credentials tokens,
  end-customer lookup, exception requests, address validation, business catalog, quotes,
  credit check, contracts, orders with enrichment, handoff and provisioning status,
  webhooks and event polling; `/operator/v1` for operations.
* **Service-provider onboarding** (`/onboarding/v1`): accounts, service qualification,
  packages, service configuration, terms, submit creating PreActive services.
* **Mobility care orders** (`/api/orderingMobility/v1/careOrder`): changes to existing
  lines, answered 202 and applied by the worker at their effective dates.
* **Inventory** (`/inventory/v1`): accounts' lines (subscribers) with their history.

Errors are `application/problem+json` (RFC 9457). Amounts are decimal strings.
"""


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings.from_env()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Read at each start rather than captured: a test process starts one app on many
        # databases (tests/api/conftest.py), sparing each test the routes' first build.
        current: Settings = app.state.settings
        runtime = app.state.runtime = Runtime.start(current)
        stop = asyncio.Event()
        tasks = (
            [asyncio.create_task(loop) for loop in background.loops(runtime, stop)]
            if current.worker_in_server
            else []
        )
        yield
        stop.set()
        for task in tasks:
            await task
        runtime.close()

    app = FastAPI(
        title="OrderHub",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        # /docs and /redoc are served by surfaces/openapi.py.
        docs_url=None,
        redoc_url=None,
        # No slash redirects: their Location would be built from the request's Host header.
        redirect_slashes=False,
    )
    app.state.settings = settings
    install_error_handlers(app)
    # Added last runs first: the request id and access line wrap everything, then the
    # request-body checks, then the sign-in gate (which reads the parsed body).
    app.add_middleware(SignInGate)
    app.add_middleware(RequestBody, max_bytes=settings.max_body_bytes)
    app.add_middleware(RequestContext)
    # Each channel's route modules are included one level deep (surfaces/mounting.py).
    app.include_router(ops.health)
    direct_surface.include_in(app)
    app.include_router(oauth_router)
    for surface in (
        b2b_surface,
        operator_surface,
        inventory_surface,
        onboarding_surface,
        care_surface,
        *tmf_surfaces,
        console.surface,
    ):
        surface.include_in(app)
    app.mount(console.pages.PREFIX + "/static", console.static, name="console-static")
    if settings.sandbox:
        app.include_router(ops.sandbox)
        app.include_router(b2b_sandbox_router)
        app.include_router(direct_sandbox_router)
    openapi.install(app)
    return app
