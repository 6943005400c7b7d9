"""TMF622 Product Ordering: `productOrder` (every channel's orders, through the ledger;
new ones placed by the consumer engine, ordering/placement.py) and `cancelProductOrder`
(ordering/cancellations.py). Who sees what: surfaces/tmf/callers.py."""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy import Row
from sqlalchemy.orm import Session

from orderhub.customers.service import CustomerNotFound
from orderhub.errors import Conflict, FieldProblem, Forbidden, NotFound, ValidationFailed
from orderhub.ledger import queries
from orderhub.ledger.states import Channel
from orderhub.ordering import cancellations, details, placement, reads
from orderhub.orders import lifecycle
from orderhub.orders import service as orders
from orderhub.orders.states import OrderStatus
from orderhub.surfaces import idempotent
from orderhub.surfaces.deps import IdempotencyKey, ReadSessionDep, RuntimeDep, SessionDep
from orderhub.surfaces.tmf import order_views as views
from orderhub.surfaces.tmf.callers import CUSTOMER, OPERATOR, PARTNER, TmfCaller, TmfCallerDep
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
from orderhub.webhooks import service as webhooks

router = APIRouter(include_in_schema=False)

# Filters on the list, TMF622's names (attribute paths as query parameters).
_DATE_BOUNDS = {
    "orderDate.gt": True,
    "orderDate.gte": True,
    "orderDate.lt": False,
    "orderDate.lte": False,
}


class ProductOrderNotFound(NotFound):
    code = "product_order_not_found"
    title = "Product order not found"


def _shown(request: Request, session: Session, rows: list[Row]) -> list[dict]:
    parts = reads.parts_of(session, orders=rows)
    refs = queries.references(session, orders=rows)
    return [views.product_order(request, o, parts[o.id], refs[o.id]) for o in rows]


def _visible(session: Session, caller: TmfCaller, order_id: str, *, lock: bool) -> Row:
    order = (
        orders.lock_for_operator(session, order_id=order_id)
        if lock
        else queries.get(session, order_id=order_id)
    )
    if order is None or not caller.sees(order.owner):
        raise ProductOrderNotFound(f"No product order '{order_id}' was found.")
    return order


def _filter(request: Request, caller: TmfCaller) -> queries.OrderFilter:
    q = request.query_params
    bounds = {}
    for name, lower in _DATE_BOUNDS.items():
        if name in q:
            bounds["created_from" if lower else "created_to"] = date_bound(name, q[name])
    if "orderDate" in q:
        day = date_bound("orderDate", q["orderDate"])
        bounds = {"created_from": day, "created_to": day.replace(hour=23, minute=59, second=59)}
    return queries.OrderFilter(
        owner=None if caller.kind == OPERATOR else caller.owner,
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
    order = _visible(session, caller, id, lock=False)
    return answer(project(_shown(request, session, [order])[0], fields_of(fields), views.ALWAYS))


def _customer_of(caller: TmfCaller, body: ProductOrderCreate) -> str:
    """Whom a new order is for: the signed-in customer, or the `customer` party
    operations name."""
    named = [p.id for p in body.related_party if (p.role or "customer").lower() == "customer"]
    if caller.kind == PARTNER:
        raise Forbidden(
            "Partners order through the B2B API (quotes, contracts, orders under /b2b/v1); "
            "TMF622 places consumer orders (docs/tmf.md).",
            code="partner_orders_through_b2b",
        )
    if caller.kind == CUSTOMER:
        if caller.id is None:
            raise Forbidden(
                "Become a customer first (your first order through the direct channel), "
                "then sign in again.",
                code="customer_required",
            )
        if any(n != caller.id for n in named):
            # Naming somebody else must not reveal whether they exist.
            raise _unknown_customer(next(n for n in named if n != caller.id))
        return caller.id
    if not named:
        raise ValidationFailed.one(
            "relatedParty",
            "customer_required",
            "Name the customer: a relatedParty with role 'customer' and its id.",
        )
    return named[0]


_CART_FIELD = re.compile(r"^items\.(\d+)\.offerId$")


def _in_tmf_terms(refused: ValidationFailed) -> ValidationFailed:
    """The cart's problems name the direct channel's fields (`items.0.offerId`); here
    they name the order's (`productOrderItem.0.productOffering.id`)."""
    renamed = [
        FieldProblem(f"productOrderItem.{m.group(1)}.productOffering.id", p.rule, p.message)
        if (m := _CART_FIELD.match(p.field))
        else p
        for p in refused.errors
    ]
    return ValidationFailed(refused.detail, errors=renamed)


def _unknown_customer(customer_id: str) -> ValidationFailed:
    """TMF622 lists no 404 for a create: a customer named in the body that does not
    exist (for this caller) is a bad value."""
    return ValidationFailed.one(
        "relatedParty", "unknown_customer", f"No customer '{customer_id[:64]}' was found."
    )


def _placement(caller: TmfCaller, body: ProductOrderCreate) -> placement.Placement:
    problems: list[FieldProblem] = []
    items: list[placement.Item] = []
    for index, item in enumerate(body.product_order_item):
        at = f"productOrderItem.{index}"
        if item.action != "add":
            problems.append(
                FieldProblem(
                    f"{at}.action",
                    "action_add",
                    "A new order adds products; change existing lines with care orders "
                    "(/api/orderingMobility/v1/careOrder).",
                )
            )
        if item.product_offering is None:
            problems.append(
                FieldProblem(f"{at}.productOffering", "missing", "Name the productOffering.")
            )
            continue
        numbers, area_code = [], None
        characteristics = item.product.product_characteristic if item.product else []
        for c_index, c in enumerate(characteristics):
            value = str(c.value)
            if c.name == "phoneNumber" and value.isdigit() and len(value) == 10:
                numbers.append(value)
            elif c.name == "areaCode" and value.isdigit() and len(value) == 3:
                area_code = value
            else:
                problems.append(
                    FieldProblem(
                        f"{at}.product.productCharacteristic.{c_index}.value",
                        "characteristic_value",
                        "A phoneNumber is 10 digits, an areaCode 3.",
                    )
                )
        items.append(
            placement.Item(item.product_offering.id, item.quantity, tuple(numbers), area_code)
        )
    if problems:
        raise ValidationFailed("The product order is not valid.", errors=problems)
    requested = body.requested_completion_date
    return placement.Placement(
        customer_id=_customer_of(caller, body),
        items=items,
        requested_date=date.fromisoformat(requested.date().isoformat()) if requested else None,
        actor=caller.actor,
    )


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
        chosen = _placement(caller, body)
        try:
            order = placement.place(
                session,
                placement=chosen,
                postal=runtime.adapters.postal,
                terms_version=settings.terms_version,
                reservation_ttl_seconds=settings.reservation_ttl_seconds,
            )
        except CustomerNotFound:
            raise _unknown_customer(chosen.customer_id) from None
        except ValidationFailed as refused:
            raise _in_tmf_terms(refused) from None
        details.change(
            session,
            order=order,
            values=_values(body),
            notes=[
                details.note(n.text, n.author or caller.actor, order.created_at) for n in body.note
            ],
            external_id=body.external_id,
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


def _values(body: ProductOrderCreate | ProductOrderUpdate) -> dict:
    """The detail columns the body sets."""
    given = body.model_fields_set
    names = {
        "description": "description",
        "category": "category",
        "priority": "priority",
        "notification_contact": "notification_contact",
        "requested_start_date": "requested_start_date",
        "requested_completion_date": "requested_completion_date",
    }
    return {column: getattr(body, field) for field, column in names.items() if field in given}


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
    order = _visible(session, caller, id, lock=True)
    details.change(
        session,
        order=order,
        values=_values(body),
        notes=[
            details.note(n.text, n.author or caller.actor, order.updated_at)
            for n in body.note or []
        ],
        external_id=body.external_id,
        actor=caller.actor,
        announce=True,
    )
    return answer(_shown(request, session, [order])[0])


@router.delete("/productOrder/{id}")
async def delete_product_order(id: str, caller: TmfCallerDep, session: SessionDep) -> Response:
    """Withdraw an order nobody has acted on: a consumer cart never submitted (`pending`
    direct order). It is cancelled and stays readable; any other order is 409: cancel
    it with cancelProductOrder."""
    order = _visible(session, caller, id, lock=True)
    if order.channel != Channel.DIRECT or order.status != OrderStatus.DRAFT:
        raise OrderNotDeletable(
            f"Order '{id}' is '{order.state}': only a pending consumer order can be "
            "deleted; ask for its cancellation with POST cancelProductOrder.",
            extra={"currentState": order.state},
        )
    lifecycle.cancel_by_customer(session, order=order, actor=caller.actor)
    webhooks.publish(
        session,
        owner=order.owner,
        type="tmf.product_order_deleted",
        subject=order.id,
        data={"state": "cancelled"},
    )
    return no_content()


class OrderNotDeletable(Conflict):
    code = "order_not_deletable"
    title = "Order cannot be deleted"


# ---- cancelProductOrder -----------------------------------------------------------------


@router.post("/cancelProductOrder")
async def create_cancel_product_order(
    request: Request, body: CancelProductOrderCreate, caller: TmfCallerDep, session: SessionDep
) -> Response:
    """Ask for an order's cancellation: decided at once by its channel (`done`, or
    `terminatedWithError` with the channel's reason)."""
    try:
        order = _visible(session, caller, body.product_order.id, lock=True)
    except ProductOrderNotFound as missing:
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
        session,
        owner=None if caller.kind == OPERATOR else caller.owner,
        state=state,
        limit=window.limit,
        offset=window.offset,
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
    row = cancellations.get(
        session, request_id=id, owner=None if caller.kind == OPERATOR else caller.owner
    )
    return answer(
        project(views.cancel_product_order(request, row), fields_of(fields), views.ALWAYS_CANCEL)
    )
