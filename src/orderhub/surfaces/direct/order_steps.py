"""Steps 5 to 8 of seed 001: credit, fulfillment and terms, number selection."""

from __future__ import annotations

from fastapi import APIRouter, Response

from orderhub.credit import service as credit
from orderhub.errors import ValidationFailed
from orderhub.fulfillment import service as fulfillment
from orderhub.numbers import service as numbers
from orderhub.orders import service as orders
from orderhub.surfaces.callers import PrincipalDep
from orderhub.surfaces.deps import ReadSessionDep, RuntimeDep, SessionDep
from orderhub.surfaces.direct import number_schemas as ns
from orderhub.surfaces.direct import schemas as s
from orderhub.surfaces.direct import views
from orderhub.surfaces.schemas import money, problem_responses

router = APIRouter()


def _changes(body: s.FulfillmentCreateIn | s.FulfillmentUpdateIn) -> dict:
    """The fields the client sent, by wire name (dates stay dates)."""
    return body.model_dump(by_alias=True, exclude_unset=True)


@router.post(
    "/v1/order/{id}/credit.submit",
    response_model=s.CreditOut,
    tags=["credit"],
    responses=problem_responses(400, 401, 404, 409, 422, 500),
)
async def submit_credit(
    id: s.OrderId,
    body: s.CreditSubmitIn,
    principal: PrincipalDep,
    session: SessionDep,
    runtime: RuntimeDep,
) -> s.CreditOut:
    """Run a credit check for the order. The SSN and date of birth are never returned."""
    order = orders.claim_for_change(session, order_id=id, principal=principal)
    application = credit.submit(
        session,
        order=order,
        bureau=runtime.adapters.credit_bureau,
        key=runtime.key,
        actor=principal.subject,
        request=credit.CreditRequest(
            first_name=body.first_name,
            last_name=body.last_name,
            date_of_birth=body.date_of_birth,
            ssn=body.ssn,
            address=body.address.model_dump(by_alias=True),
        ),
    )
    return s.CreditOut(
        credit_application_id=application["id"],
        decision=application["decision"],
        created_at=application["created_at"],
    )


@router.get(
    "/v1/order/{id}/credit.policy",
    response_model=s.CreditPolicyOut,
    tags=["credit"],
    responses=problem_responses(401, 404, 409, 422, 500),
)
async def credit_policy(
    id: s.OrderId, principal: PrincipalDep, session: SessionDep
) -> s.CreditPolicyOut:
    """What the credit decision allows: lines, deposit and device down payment."""
    order = orders.get_for_caller(session, order_id=id, principal=principal)
    a = credit.require(session, order_id=order.id)
    return s.CreditPolicyOut(
        credit_application_id=a.id,
        decision=a.decision,
        max_lines=a.max_lines,
        deposit_required=a.deposit_required,
        deposit_amount=money(a.deposit_cents),
        currency=order.currency,
        down_payment_percent=a.down_payment_percent,
    )


@router.post(
    "/v1/order/{id}/fulfillment",
    response_model=s.FulfillmentOut,
    tags=["fulfillment"],
    responses={200: s.created_answer("The fulfillment set", "The fulfillment's URL")}
    | problem_responses(400, 401, 404, 409, 422, 500),
)
async def create_fulfillment(
    id: s.OrderId,
    body: s.FulfillmentCreateIn,
    principal: PrincipalDep,
    session: SessionDep,
    runtime: RuntimeDep,
    response: Response,
) -> s.FulfillmentOut:
    """Set delivery (shipping or store pickup), contact, date and terms acceptance.

    200 (as seed 000 declares) with `Location`: the fulfillment is read back with the order
    and changed with PATCH at the same URL."""
    order = orders.claim_for_change(session, order_id=id, principal=principal)
    f = fulfillment.create(
        session,
        order=order,
        changes=_changes(body),
        postal=runtime.adapters.postal,
        terms_version=runtime.settings.terms_version,
        actor=principal.subject,
    )
    response.headers["Location"] = f"{s.BASE}/v1/order/{order.id}/fulfillment"
    return views.fulfillment_out(f)


@router.patch(
    "/v1/order/{id}/fulfillment",
    response_model=s.FulfillmentOut,
    tags=["fulfillment"],
    responses=problem_responses(400, 401, 404, 409, 422, 500),
)
async def update_fulfillment(
    id: s.OrderId,
    body: s.FulfillmentUpdateIn,
    principal: PrincipalDep,
    session: SessionDep,
    runtime: RuntimeDep,
) -> s.FulfillmentOut:
    """Change part of the fulfillment (e.g. accept the terms); only the fields sent change."""
    if "method" in body.model_fields_set and body.method is None:
        raise ValidationFailed.one("method", "not_null", "The method cannot be cleared.")
    order = orders.claim_for_change(session, order_id=id, principal=principal)
    f = fulfillment.update(
        session,
        order=order,
        changes=_changes(body),
        postal=runtime.adapters.postal,
        terms_version=runtime.settings.terms_version,
        actor=principal.subject,
    )
    return views.fulfillment_out(f)


@router.post(
    "/v1/order/{id}/number.available",
    response_model=ns.NumbersOut | ns.NumberAvailabilityOut,
    tags=["numbers"],
    responses=problem_responses(400, 401, 404, 422, 500),
)
async def available_numbers(
    id: s.OrderId, body: ns.NumberSearchIn, principal: PrincipalDep, session: ReadSessionDep
) -> ns.NumbersOut | ns.NumberAvailabilityOut:
    """Free numbers in an area code to offer the customer (`areaCode`, `count`), or whether
    a requested `number` is available and, if not, why (one of the two per request)."""
    area_code, number = views.number_question(body)
    order = orders.get_for_caller(session, order_id=id, principal=principal)
    if number is not None:
        found = numbers.check(session, order=order, number=number)
        return ns.NumberAvailabilityOut(number=number, available=found.available, status=found)
    found_numbers = numbers.search(session, area_code=str(area_code), count=body.count)
    return ns.NumbersOut(area_code=str(area_code), numbers=found_numbers)


@router.patch(
    "/v1/order/{id}/number.reserve",
    response_model=ns.ReservationOut,
    tags=["numbers"],
    responses=problem_responses(400, 401, 404, 409, 422, 500),
)
async def reserve_number(
    id: s.OrderId,
    body: ns.NumberReserveIn,
    principal: PrincipalDep,
    session: SessionDep,
    runtime: RuntimeDep,
) -> ns.ReservationOut:
    """Hold a number for one line of the order for a limited time; 409 if another order has it."""
    order = orders.claim_for_change(session, order_id=id, principal=principal)
    held = numbers.reserve(
        session,
        order=order,
        item_id=body.item_id,
        number=body.number,
        ttl_seconds=runtime.settings.reservation_ttl_seconds,
        actor=principal.subject,
    )
    return ns.ReservationOut(
        number=held.number, item_id=held.item_id, reserved_until=held.reserved_until
    )
