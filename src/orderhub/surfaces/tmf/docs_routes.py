"""`GET <api>/api-docs`: the TM Forum document each API answers to, as published."""

from __future__ import annotations

from functools import cache
from typing import Any

from fastapi import APIRouter, Response

from orderhub.surfaces.tmf.conventions import Api, answer


@cache
def _document(api: Api) -> dict[str, Any]:
    return api.document()


def router_for(api: Api) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.get("/api-docs")
    async def published_document() -> Response:
        """The published Swagger 2.0 document (Apache 2.0, unchanged): the contract."""
        return answer(_document(api))

    return router
