"""Operations' event stream: every owner's events, by webhook (`/operator/v1/webhooks`,
the partners' routes with owner `operations`) or by polling `GET /operator/v1/events`.

Operations hear of every event of every owner: partners' (B2B, onboarding, care orders,
exception requests) and consumers' (`ledger.*` of direct orders). A delivery to
operations carries the event's `owner`; it is signed and retried like a partner's.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import Field

from orderhub.errors import ValidationFailed
from orderhub.surfaces.b2b.webhook_routes import EventsLimit, webhook_routes
from orderhub.surfaces.deps import SessionDep
from orderhub.surfaces.operator.deps import OperatorDep
from orderhub.surfaces.schemas import WireModel, problem_responses
from orderhub.webhooks import rules, stream
from orderhub.webhooks import service as webhooks

StreamCursor = Annotated[
    str | None,
    Query(
        min_length=3,
        max_length=30,
        description="The last cursor you have seen (`nextAfter`); leave out to start "
        "from the oldest event kept.",
    ),
]


class StreamEventOut(WireModel):
    id: str
    cursor: str = Field(description="Opaque: pass as `after` to read the events that follow.")
    owner: str = Field(description="Whose event it is: `partner:<id>` or `customer:<id>`.")
    type: str
    subject: str
    created_at: datetime
    data: dict[str, Any]


class StreamEventsOut(WireModel):
    events: list[StreamEventOut]
    next_after: str = Field(description="`after` for the next poll.")


async def operations_owner(operator: OperatorDep) -> str:
    """The owner of operations' webhooks (and the scope of their Idempotency-Keys)."""
    return rules.OPERATIONS


router = APIRouter()
router.include_router(webhook_routes(operations_owner, statuses=(403,)))


@router.get(
    "/events",
    response_model=StreamEventsOut,
    responses=problem_responses(401, 403, 422, 500),
)
async def poll_all_events(
    operator: OperatorDep,
    session: SessionDep,
    after: StreamCursor = None,
    limit: EventsLimit = 100,
) -> StreamEventsOut:
    """Every owner's events after a cursor, in the order they were committed. An event
    appears once every transaction that was writing when it was written has ended, so a
    poller that resumes from `nextAfter` never misses one."""
    position = stream.START if after is None else stream.Position.parse(after)
    if position is None:
        raise ValidationFailed.one(
            "after", "cursor", "Pass a cursor this API gave you (`cursor` or `nextAfter`)."
        )
    rows = webhooks.all_events_after(session, after=position, limit=limit)
    return StreamEventsOut(
        events=[
            StreamEventOut(
                id=r.id,
                cursor=stream.Position.of(r).token,
                owner=r.owner,
                type=r.type,
                subject=r.subject,
                created_at=r.created_at,
                data=r.data,
            )
            for r in rows
        ],
        next_after=stream.Position.of(rows[-1]).token if rows else position.token,
    )
