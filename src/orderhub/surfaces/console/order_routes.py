"""`/console/orders`: the ledger across channels (filters, sorting, paging, counts per
state) and one order's page (its ledger facts, the channel's own view, the timeline of
its history and the outbox events it published with their deliveries)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from orderhub.errors import FieldProblem, NotFound, ValidationFailed
from orderhub.ledger import queries
from orderhub.ledger import service as ledger
from orderhub.ledger.states import Channel, OrderState
from orderhub.partners.models import Partner
from orderhub.surfaces.console import order_views as views
from orderhub.surfaces.console import pages
from orderhub.surfaces.console.auth import ConsoleUserDep
from orderhub.surfaces.deps import SessionDep
from orderhub.surfaces.operator import order_views as channel_views
from orderhub.webhooks import order_events

router = APIRouter(include_in_schema=False)
PARTNERS = Partner.__table__
_PARTNERS = select(PARTNERS.c.id, PARTNERS.c.name).order_by(PARTNERS.c.name)
SORTS = {
    queries.Sort.NEWEST: "Newest first",
    queries.Sort.OLDEST: "Oldest first",
    queries.Sort.UPDATED: "Recently updated",
    queries.Sort.UPDATED_OLDEST: "Least recently updated",
}
Text = Annotated[str, Query(max_length=64)]


class ConsoleOrderNotFound(NotFound):
    code = "order_not_found"
    title = "Order not found"


def _choice(name: str, value: str, kind: type) -> Any:
    """A select's value: empty is no filter; anything else must be one of the kind's."""
    if not value:
        return None
    try:
        return kind(value)
    except ValueError:
        raise ValidationFailed.one(name, "choice", f"'{name}' is not one of the choices.") from None


def _day(name: str, value: str) -> date | None:
    if not value:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise ValidationFailed.one(name, "date", f"'{name}' is not a date (YYYY-MM-DD).") from None
    if not date(2000, 1, 1) <= day <= date(9998, 12, 31):
        # (The day after a `to` of 9999-12-31 does not exist: an OverflowError.)
        raise ValidationFailed.one(name, "range", f"'{name}' is between 2000 and 9998.")
    return day


def _partners(session: Session) -> dict[str, str]:
    return {r.id: r.name for r in session.execute(_PARTNERS)}


def owner_label(owner: str, partners: dict[str, str]) -> str:
    kind, _, ident = owner.partition(":")
    if kind == "partner":
        return partners.get(ident, ident)
    return "Consumer (self-service)" if kind == "customer" else owner


@router.get("/orders")
async def list_orders(
    request: Request,
    user: ConsoleUserDep,
    session: SessionDep,
    channel: Text = "",
    state: Text = "",
    partner: Text = "",
    created_from: Annotated[str, Query(alias="from", max_length=10)] = "",
    created_to: Annotated[str, Query(alias="to", max_length=10)] = "",
    sort: Text = "",
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=100)] = 25,
) -> Response:
    chosen_sort = _choice("sort", sort, queries.Sort) or queries.Sort.NEWEST
    start, end = _day("from", created_from), _day("to", created_to)
    if start and end and start > end:
        problem = FieldProblem("from", "range_order", "'from' is after 'to'.")
        raise ValidationFailed("The date range ends before it starts.", errors=[problem])
    where = queries.OrderFilter(
        channel=_choice("channel", channel, Channel),
        state=_choice("state", state, OrderState),
        partner=partner or None,
        # Whole days in UTC: `to` is the last day included.
        created_from=datetime.combine(start, time(), UTC) if start else None,
        created_to=datetime.combine(end + timedelta(days=1), time(), UTC) if end else None,
    )
    rows, total = queries.search(session, where=where, limit=limit, offset=offset, sort=chosen_sort)
    counts = queries.state_counts(session, where=where)
    partners = _partners(session)
    args = {
        "channel": channel,
        "state": state,
        "partner": partner,
        "from": created_from,
        "to": created_to,
        "sort": sort,
        "limit": limit if limit != 25 else "",
    }
    return pages.render(
        request,
        "orders.html",
        orders=rows,
        owners={r.id: owner_label(r.owner, partners) for r in rows},
        total=total,
        counts=[(s.value, counts.get(s.value, 0)) for s in OrderState if counts.get(s.value)],
        args=args,
        offset=offset,
        limit=limit,
        channels=[c.value for c in Channel],
        states=[s.value for s in OrderState],
        partners=partners,
        sorts={s.value: text for s, text in SORTS.items()},
        party_kinds=views.PARTY_KINDS,
    )


@router.get("/orders/{order_id}")
async def order_page(
    request: Request,
    user: ConsoleUserDep,
    session: SessionDep,
    order_id: Annotated[str, Path(min_length=1, max_length=64)],
) -> Response:
    row = queries.get(session, order_id=order_id)
    if row is None:
        raise ConsoleOrderNotFound(f"No order '{order_id}'.")
    references = queries.references(session, orders=[row])[row.id]
    history = ledger.history(session, order_id=row.id)
    events = order_events.published(session, order_id=row.id, history=history)
    detail = views.channel_detail(channel_views.channel_view(session, row), user)
    return pages.render(
        request,
        "order.html",
        order=row,
        owner=owner_label(row.owner, _partners(session)),
        references=views.scrub(references, user),
        party_kind=views.PARTY_KINDS.get(row.party_kind, row.party_kind),
        history=[(e, views.summary(e.data, user)) for e in history],
        events=[(e, views.summary(e.data, user)) for e in events],
        detail=detail,
    )
