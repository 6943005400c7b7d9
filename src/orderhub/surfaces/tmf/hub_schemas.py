"""The `hub` body every TMF API takes (`EventSubscriptionInput`)."""

from __future__ import annotations

from pydantic import Field

from orderhub.surfaces.tmf.conventions import TmfBody


class EventSubscriptionInput(TmfBody):
    callback: str = Field(min_length=1, max_length=2000)
    query: str | None = Field(default=None, max_length=1000)
