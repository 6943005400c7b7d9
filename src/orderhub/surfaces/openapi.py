"""The OpenAPI document and the pages that render it (/docs, /redoc)."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse

from orderhub.surfaces.schemas import ProblemOut


def install(app: FastAPI) -> None:
    """Shape the generated document and serve its documentation pages."""
    original = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = original()
        # Put the ProblemOut schema that every error response refers to into the document.
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        problem = ProblemOut.model_json_schema(
            by_alias=True, ref_template="#/components/schemas/{model}"
        )
        components.update(problem.pop("$defs", {}))
        components["ProblemOut"] = problem
        return schema

    app.openapi = openapi  # type: ignore[method-assign]

    @app.get("/docs", include_in_schema=False)
    async def swagger_ui() -> HTMLResponse:
        return get_swagger_ui_html(openapi_url=app.openapi_url, title=f"{app.title} - Swagger UI")

    @app.get("/redoc", include_in_schema=False)
    async def redoc() -> HTMLResponse:
        return get_redoc_html(openapi_url=app.openapi_url, title=f"{app.title} - ReDoc")
