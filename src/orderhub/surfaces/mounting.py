"""How a channel's API is put on the app: its route modules' routers, one level deep.

FastAPI (0.16x) keeps an included router as a node of its own and matches a request by
walking the nodes: a route two includes deep is matched three times over (the outer
router asks the inner one whether anything matches, then selects, then the inner one
selects again). Including each module's router straight on the app under the channel's
prefix halves the walk to the consumer's order routes (213 to 107 µs per call for a
request that stops at authentication; docs/performance.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter, FastAPI


@dataclass(frozen=True)
class Surface:
    """A channel API: a path prefix, optional tags, and its modules' routers in the order
    requests should try them (the busiest first; no two routes of one method overlap,
    tests/unit/test_route_table.py, so the order never decides which route answers)."""

    prefix: str
    routers: tuple[APIRouter, ...]
    tags: tuple[str, ...] = ()

    def include_in(self, app: FastAPI) -> None:
        for router in self.routers:
            app.include_router(router, prefix=self.prefix, tags=list(self.tags) or None)
