"""TMF622 Product Ordering: `productOrder` (every channel's orders, through the ledger;
new ones placed by the consumer engine, ordering/placement.py) and `cancelProductOrder`
(ordering/cancellations.py). Who sees what: surfaces/tmf/callers.py."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy import Row
from sqlalchemy.orm import Session

from orderhub.customers.service import CustomerNotFound
from orderhub.errors import ValidationFailed
from orderhub.ids import utcnow
from orderhub.ledger import queries
from orderhub.ordering import access, cancellations, details, placement, reads
from orderhub.surfaces import idempotent
from orderhub.surfaces.deps import IdempotencyKey, ReadSessionDep, RuntimeDep, SessionDep
from orderhub.surfaces.tmf import order_input
from orderhub.surfaces.tmf import order_views as views
from orderhub.surfaces.tmf.callers import OPERATOR, TmfCaller, TmfCallerDep
from orderhub.surfaces.tmf.conventions import (
    FieldsQuery,
    WindowDep,
    answer,
    date_bound,
    fields_of,
    listing,
    no_content,
    project,
)
from orderhub.surfaces.tmf.order_schemas import (
    CancelProductOrderCreate,
    ProductOrderCreate,
    ProductOrderUpdate,
)

router = APIRouter(include_in_schema=False)


def _owner(caller: TmfCaller) -> str | None:
    """Whose orders the caller sees (None: operations, every order)."""
    return None if caller.kind == OPERATOR else caller.owner


def _shown(request: Request, session: Session, rows: list[Row]) -> list[dict]:
    parts = reads.parts_of(session, orders=rows)
    refs = queries.references(session, orders=rows)
    return [views.product_order(request, o, parts[o.id], refs[o.id]) for o in rows]


def _filter(request: Request, caller: TmfCaller) -> queries.OrderFilter:
    """The list's filters: `orderDate` is a day; `.gt`/`.gte` bound from below, `.lt`
    and `.lte` from above (a date given to `.lte` takes the whole day)."""
    q = request.query_params
    bounds = {}
    for name, key in (("orderDate.gt", "created_from"), ("orderDate.gte", "created_from")):
        if name in q:
            bounds[key] = date_bound(name, q[name])
    for name, whole_day in (("orderDate.lt", False), ("orderDate.lte", True)):
        if name in q:
            bounds["created_to"] = date_bound(name, q[name], end_of_day=whole_day)
    if "orderDate" in q:
        day = date_bound("orderDate", q["orderDate"])
        bounds = {"created_from": day, "created_to": day + timedelta(days=1)}
    return queries.OrderFilter(
        owner=_owner(caller),
        state=q.get("state"),
        channel=q.get("channel.id") or q.get("channel"),
        customer=q.get("relatedParty.id"),
        reference=q.get("externalId") or q.get("id"),
        **bounds,
    )


@router.get("/productOrder")
async def list_product_orders(
    request: Request,
    caller: TmfCallerDep,
    session: ReadSessionDep,
    window: WindowDep,
    fields: FieldsQuery = None,
) -> Response:
    """Every channel's orders the caller may see, newest first. Filters: `state`,
    `externalId`, `relatedParty.id`, `channel.id`, `orderDate` (a day) and
    `orderDate.gt|gte|lt|lte`; other parameters are ignored."""
    if caller.kind != OPERATOR and caller.id is None:
        return listing([], total=0, fields=None)  # a prospect has no orders yet
    rows, total = queries.search(
        session, where=_filter(request, caller), limit=window.limit, offset=window.offset
    )
    return listing(
        _shown(request, session, rows), total=total, fields=fields_of(fields), always=views.ALWAYS
    )


@router.get("/productOrder/{id}")
async def retrieve_product_order(
    id: str,
    request: Request,
    caller: TmfCallerDep,
    session: ReadSessionDep,
    fields: FieldsQuery = None,
) -> Response:
    order = access.find(session, order_id=id, owner=_owner(caller))
    return answer(project(_shown(request, session, [order])[0], fields_of(fields), views.ALWAYS))


@router.post("/productOrder")
async def create_product_order(
    request: Request,
    body: ProductOrderCreate,
    caller: TmfCallerDep,
    session: SessionDep,
    runtime: RuntimeDep,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Place a consumer order through the engine's rules, submitted at once (201,
    `acknowledged`), or refuse it with every problem (400)."""

    def produce() -> dict:
        settings = runtime.settings
        chosen = order_input.placement_of(caller, body)
        try:
            order = placement.place(
                session,
                placement=chosen,
                postal=runtime.adapters.postal,
                terms_version=settings.terms_version,
                reservation_ttl_seconds=settings.reservation_ttl_seconds,
            )
        except CustomerNotFound:
            raise order_input.unknown_customer(chosen.customer_id) from None
        details.change(
            session,
            order=order,
            values=order_input.values_of(body),
            notes=[details.note(n.text, n.author or caller.actor, utcnow()) for n in body.note],
            actor=caller.actor,
            announce=False,
        )
        return _shown(request, session, [order])[0]

    response = idempotent.respond(
        request,
        session,
        scope=f"tmf:{caller.owner}",
        key=idempotency_key,
        body=body.model_dump(mode="json", by_alias=True),
        status_code=201,
        produce=produce,
    )
    response.headers["Location"] = json.loads(response.body)["href"]
    return response


@router.patch("/productOrder/{id}")
async def patch_product_order(
    id: str,
    request: Request,
    body: ProductOrderUpdate,
    caller: TmfCallerDep,
    session: SessionDep,
) -> Response:
    """Change an order's TMF attributes (any channel's order the caller sees); notes
    are added to those it has."""
    now = utcnow()
    order = access.claim(
        session, order=access.find(session, order_id=id, owner=_owner(caller)), now=now
    )
    if body.product_order_item is not None:
        own = {item.id for item in reads.parts_of(session, orders=[order])[order.id].items}
        order_input.require_items_as_they_are(body.product_order_item, own)
    details.change(
        session,
        order=order,
        values=order_input.values_of(body),
        notes=[details.note(n.text, n.author or caller.actor, now) for n in body.note or []],
        actor=caller.actor,
        announce=True,
    )
    return answer(_shown(request, session, [order])[0])


@router.delete("/productOrder/{id}")
async def delete_product_order(id: str, caller: TmfCallerDep, session: SessionDep) -> Response:
    """Withdraw an order nobody has acted on: a pending consumer order (a cart). It is
    cancelled and stays readable; any other order is 409 (cancelProductOrder)."""
    order = access.find(session, order_id=id, owner=_owner(caller))
    cancellations.withdraw_pending(session, order=order, actor=caller.actor)
    return no_content()


# ---- cancelProductOrder -----------------------------------------------------------------


@router.post("/cancelProductOrder")
async def create_cancel_product_order(
    request: Request, body: CancelProductOrderCreate, caller: TmfCallerDep, session: SessionDep
) -> Response:
    """Ask for an order's cancellation: decided at once by its channel (`done`, or
    `terminatedWithError` with the channel's reason)."""
    try:
        order = access.find(session, order_id=body.product_order.id, owner=_owner(caller))
    except access.ProductOrderNotFound as missing:
        # TMF622 lists no 404 for a create: the order named in the body is a bad value.
        raise ValidationFailed.one("productOrder.id", "unknown_order", missing.detail) from None
    row = cancellations.request(
        session,
        order=order,
        owner=caller.owner,
        by_operations=caller.kind == OPERATOR,
        actor=caller.actor,
        reason=body.cancellation_reason,
        requested_for=body.requested_cancellation_date,
    )
    shown = views.cancel_product_order(request, row)
    return answer(shown, status=201, headers={"Location": shown["href"]})


@router.get("/cancelProductOrder")
async def list_cancel_product_orders(
    request: Request,
    caller: TmfCallerDep,
    session: ReadSessionDep,
    window: WindowDep,
    fields: FieldsQuery = None,
    state: Annotated[str | None, Query(max_length=30)] = None,
) -> Response:
    rows, total = cancellations.page(
        session, owner=_owner(caller), state=state, limit=window.limit, offset=window.offset
    )
    return listing(
        [views.cancel_product_order(request, r) for r in rows],
        total=total,
        fields=fields_of(fields),
        always=views.ALWAYS_CANCEL,
    )


@router.get("/cancelProductOrder/{id}")
async def retrieve_cancel_product_order(
    id: str,
    request: Request,
    caller: TmfCallerDep,
    session: ReadSessionDep,
    fields: FieldsQuery = None,
) -> Response:
    row = cancellations.get(session, request_id=id, owner=_owner(caller))
    return answer(
        project(views.cancel_product_order(request, row), fields_of(fields), views.ALWAYS_CANCEL)
    )
