"""The OpenAPI document, shaped for people and client generators, and the pages that
render it (/docs, /redoc).

FastAPI generates the document; `shape` then gives it readable schema names (`names.py`),
camelCase operation ids (`operations.py`), described tags (`tags.py`), a relative server,
and the recorded examples and problem codes kept as data (`annotate.py`). `pages.py`
serves Swagger UI and ReDoc from bundles in the package.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from orderhub.surfaces.openapi import annotate
from orderhub.surfaces.openapi.names import rename_schemas
from orderhub.surfaces.openapi.operations import assign_ids
from orderhub.surfaces.openapi.pages import install_pages
from orderhub.surfaces.openapi.tags import describe_tags
from orderhub.surfaces.schemas import ProblemOut

# Relative: the server that served the document (tools loading it from a running
# instance call that instance).
SERVERS = [{"url": "/", "description": "The server this document was loaded from"}]


def shape(document: dict[str, Any]) -> dict[str, Any]:
    """The generated document made readable; changes and returns `document`."""
    components = document.setdefault("components", {}).setdefault("schemas", {})
    # The ProblemOut schema every error response refers to.
    problem = ProblemOut.model_json_schema(
        by_alias=True, ref_template="#/components/schemas/{model}"
    )
    components.update(problem.pop("$defs", {}))
    components["ProblemOut"] = problem
    rename_schemas(document)
    document["components"]["schemas"] = dict(sorted(document["components"]["schemas"].items()))
    assign_ids(document)
    describe_tags(document)
    codes = annotate.load(annotate.PROBLEM_CODES_FILE)
    annotate.add_problem_codes(document, codes)
    annotate.add_examples(document, annotate.load(annotate.EXAMPLES_FILE))
    info = document.setdefault("info", {})
    info["description"] = (
        info.get("description", "").rstrip() + "\n\n" + annotate.shared_codes_text(codes)
    )
    return document


def install(app: FastAPI) -> None:
    """Shape the generated document and serve its documentation pages."""
    original = app.openapi
    app.servers = app.servers or list(SERVERS)

    def openapi() -> dict[str, Any]:
        if not app.openapi_schema:
            document = original()  # FastAPI keeps it as app.openapi_schema
            app.openapi_schema = None  # until shaped: a failure leaves no half-shaped copy
            app.openapi_schema = shape(document)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    install_pages(app)
