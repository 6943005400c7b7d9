"""Steps 4 and 9 of seed 001: create the order (cart), read it, validate and submit it."""

from __future__ import annotations

import json

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from orderhub import contacts
from orderhub.ids import utcnow
from orderhub.orders import lifecycle
from orderhub.orders import service as orders
from orderhub.orders import submit as submission
from orderhub.orders.states import OrderStatus
from orderhub.surfaces import idempotent
from orderhub.surfaces.callers import PrincipalDep
from orderhub.surfaces.deps import ConsumerIdempotencyKey, PageDep, RuntimeDep, SessionDep
from orderhub.surfaces.direct import schemas as s
from orderhub.surfaces.direct import views
from orderhub.surfaces.schemas import problem_responses

router = APIRouter(tags=["orders"])


def _new_customer(body: s.OrderCreateIn) -> orders.NewCustomer | None:
    if body.customer is None:
        return None
    c = body.customer
    email, phone = contacts.require_valid_contact(
        email=c.email, phone=c.phone, at="customer", subject="The new customer"
    )
    return orders.NewCustomer(c.first_name, c.last_name, email, phone)


@router.post(
    "/v1/order/create",
    response_model=s.OrderOut,
    responses={200: s.created_answer("The order created (the cart)", "The order's URL")}
    | problem_responses(400, 401, 403, 404, 409, 422, 500),
)
async def create_order(
    request: Request,
    body: s.OrderCreateIn,
    principal: PrincipalDep,
    session: SessionDep,
    idempotency_key: ConsumerIdempotencyKey = None,
) -> JSONResponse:
    """Create a draft order (the cart) with the chosen offers, priced from the catalog.

    200 with `Location: /msapi/order/v1/order/{id}`: seed 000 declares 200 for this call,
    and clients are written against the seed."""

    def produce() -> dict:
        order_id = orders.create(
            session,
            principal=principal,
            customer_id=body.customer_id,
            new_customer=_new_customer(body),
            items=[orders.ItemRequest(i.offer_id, i.quantity) for i in body.items],
        )
        order = orders.get_for_caller(session, order_id=order_id, principal=principal)
        return views.dump(views.order(session, order))

    response = idempotent.respond(
        request,
        session,
        scope=principal.subject,
        key=idempotency_key,
        body=body.model_dump(mode="json"),
        status_code=200,
        produce=produce,
    )
    # Answers kept before the switch to the seed's 200 were stored as 201; a create
    # succeeds only one way, so a replay of one answers what a new create would.
    response.status_code = 200
    response.headers["Location"] = f"{s.BASE}/v1/order/{json.loads(response.body)['id']}"
    return response


@router.get("/v1/orders", response_model=s.OrdersOut, responses=problem_responses(401, 422, 500))
async def list_orders(
    principal: PrincipalDep,
    session: SessionDep,
    page: PageDep,
    status: OrderStatus | None = None,
) -> s.OrdersOut:
    """The caller's orders, newest first."""
    found = orders.list_for_caller(
        session, principal=principal, status=status, limit=page.limit, offset=page.offset
    )
    return s.OrdersOut(
        orders=[views.order_summary(o) for o in found], limit=page.limit, offset=page.offset
    )


@router.get(
    "/v1/order/{id}", response_model=s.OrderOut, responses=problem_responses(401, 404, 422, 500)
)
async def get_order(id: s.OrderId, principal: PrincipalDep, session: SessionDep) -> s.OrderOut:
    """The order with its status, items, credit decision, fulfillment, numbers and events."""
    order = orders.get_for_caller(session, order_id=id, principal=principal)
    return views.order(session, order)


@router.get(
    "/V1/order/{id}/validate",
    operation_id="validate_order",
    response_model=s.ValidateOut,
    responses=problem_responses(401, 404, 422, 500),
)
@router.get(
    "/v1/order/{id}/validate",
    operation_id="validate_order_lowercase",
    response_model=s.ValidateOut,
    responses=problem_responses(401, 404, 422, 500),
)
async def validate_order(
    id: s.OrderId, principal: PrincipalDep, session: SessionDep, runtime: RuntimeDep
) -> s.ValidateOut:
    """Every problem that would block submission. The seed spells the path with `V1`;
    clients copy it, so that spelling works, and so does `v1`."""
    order = orders.get_for_caller(session, order_id=id, principal=principal)
    found = submission.problems(
        session, order=order, terms_version=runtime.settings.terms_version, now=utcnow()
    )
    return s.ValidateOut(
        order_id=order.id,
        valid=not found,
        problems=[s.ValidationProblemOut(**p.to_dict()) for p in found],
    )


@router.post(
    "/v1/order/submit",
    response_model=s.SubmitOut,
    responses=problem_responses(400, 401, 404, 409, 422, 500),
)
async def submit_order(
    request: Request,
    body: s.SubmitIn,
    principal: PrincipalDep,
    session: SessionDep,
    runtime: RuntimeDep,
    idempotency_key: ConsumerIdempotencyKey = None,
) -> JSONResponse:
    """Submit a valid order. Invalid: 409 listing every problem; already submitted: 409."""

    def produce() -> dict:
        order = orders.claim_for_change(session, order_id=body.order_id, principal=principal)
        order = submission.submit(
            session,
            order=order,
            terms_version=runtime.settings.terms_version,
            actor=principal.subject,
        )
        return views.dump(
            s.SubmitOut(
                id=order.id,
                status=order.status,
                confirmation_number=order.confirmation_number,
                submitted_at=order.submitted_at,
            )
        )

    return idempotent.respond(
        request,
        session,
        scope=principal.subject,
        key=idempotency_key,
        body=body.model_dump(mode="json"),
        status_code=200,
        produce=produce,
    )


@router.post(
    "/v1/order/{id}/cancel",
    response_model=s.OrderOut,
    responses=problem_responses(400, 401, 404, 409, 422, 500),
)
async def cancel_order(id: s.OrderId, principal: PrincipalDep, session: SessionDep) -> s.OrderOut:
    """Cancel a draft or submitted order; its numbers go back to the pool. Later: 409."""
    order = orders.claim_for_change(session, order_id=id, principal=principal)
    order = lifecycle.cancel_by_customer(session, order=order, actor=principal.subject)
    return views.order(session, order)
