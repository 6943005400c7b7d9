"""Operations' event stream: every owner's events, by webhook (`/operator/v1/webhooks`,
the partners' routes with owner `operations`) or by polling `GET /operator/v1/events`.

Operations hear of every event of every owner: partners' (B2B, onboarding, care orders,
exception requests) and consumers' (`ledger.*` of direct orders). A delivery to
operations carries the event's `owner`; it is signed and retried like a partner's.
"""

from __future__ import annotations

from fastapi import APIRouter

from orderhub.errors import ValidationFailed
from orderhub.surfaces.b2b.webhook_routes import webhook_routes
from orderhub.surfaces.b2b.webhook_schemas import EventsLimit
from orderhub.surfaces.callers import OperatorDep
from orderhub.surfaces.deps import SessionDep
from orderhub.surfaces.operator import schemas as s
from orderhub.surfaces.operator import views
from orderhub.surfaces.schemas import problem_responses
from orderhub.webhooks import rules, stream
from orderhub.webhooks import service as webhooks


async def operations_owner(operator: OperatorDep) -> str:
    """The owner of operations' webhooks (and the scope of their Idempotency-Keys)."""
    return rules.OPERATIONS


subscription_router = webhook_routes(operations_owner, statuses=(403,))
router = APIRouter()


@router.get(
    "/events",
    response_model=s.StreamEventsOut,
    responses=problem_responses(401, 403, 422, 500),
)
async def poll_all_events(
    operator: OperatorDep,
    session: SessionDep,
    after: s.StreamCursor = None,
    limit: EventsLimit = 100,
) -> s.StreamEventsOut:
    """Every owner's events after a cursor, in stream order: by the transaction that wrote
    them (in the order each began writing), then as written. An event appears once every
    transaction that was writing when it was written has ended, so a poller that resumes
    from `nextAfter` never misses one nor sees one twice. Two transactions that overlapped
    may come in either order: follow one order by `previousStatus` and `changedAt`."""
    position = stream.START if after is None else stream.Position.parse(after)
    if position is None:
        raise ValidationFailed.one(
            "after", "cursor", "Pass a cursor this API gave you (`cursor` or `nextAfter`)."
        )
    rows = webhooks.all_events_after(session, after=position, limit=limit)
    return s.StreamEventsOut(
        events=[views.stream_event(r) for r in rows],
        next_after=stream.Position.of(rows[-1]).token if rows else position.token,
    )
