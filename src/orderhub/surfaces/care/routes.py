"""Seed 004, mobility care orders (`/api/orderingMobility/v1`): accepted with 202, applied
later by the worker (careorders/worker.py), read back by id."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import JSONResponse

from orderhub import clock
from orderhub.careorders import service as care
from orderhub.careorders.checks import pin_digest
from orderhub.careorders.withdraw import withdraw
from orderhub.errors import Forbidden
from orderhub.surfaces import idempotent
from orderhub.surfaces.callers import CarePartnerDep
from orderhub.surfaces.care import schemas as s
from orderhub.surfaces.care import views
from orderhub.surfaces.deps import RuntimeDep, SessionDep, paging
from orderhub.surfaces.schemas import problem_responses

BASE = "/api/orderingMobility/v1"  # router.py mounts these routes here
router = APIRouter(tags=["care orders"])

HeaderText = dict(min_length=1, max_length=200)
CarePage = paging(default_limit=50, max_limit=200, max_offset=1_000_000)


def _fingerprinted(body: dict[str, Any], key: bytes) -> dict[str, Any]:
    """The body as the resend check hashes it: a voicemail PIN only as its keyed digest,
    since the rest of the body can be read back and a short PIN tried against a hash."""
    changes = []
    for change in body["careOrderRequest"]["changeRequest"]:
        reset = change.get("resetVoiceMail") or {}
        if reset.get("pin"):
            digest = pin_digest(key, change["ctn"], reset["pin"])
            change = change | {"resetVoiceMail": reset | {"pin": digest}}
        changes.append(change)
    return body | {"careOrderRequest": body["careOrderRequest"] | {"changeRequest": changes}}


@router.post(
    "/careOrder",
    status_code=202,
    response_model=s.CareOrderOut,
    responses={
        202: {
            "description": "Accepted: the worker applies each change at its effective date",
            "headers": {
                "Location": {
                    "description": "The care order's status URL",
                    "schema": {"type": "string"},
                },
                "X-ATT-MessageId": {"description": "As sent", "schema": {"type": "string"}},
                "Idempotent-Replayed": {
                    "description": "`true` on the first answer replayed for a resend",
                    "schema": {"type": "string"},
                },
                "X-ATT-ConversationId": {
                    "description": "As sent, when sent",
                    "schema": {"type": "string"},
                },
            },
        }
    }
    | problem_responses(400, 401, 403, 409, 422, 500, 503),
)
async def create_care_order(
    body: s.CareOrderIn,
    request: Request,
    partner: CarePartnerDep,
    runtime: RuntimeDep,
    session: SessionDep,
    client_id: Annotated[
        str, Header(alias="X-ATT-ClientId", description="The calling API client's id", **HeaderText)
    ],
    message_id: Annotated[
        str,
        Header(
            alias="X-ATT-MessageId",
            description="Unique per request: a resend with the same id and body returns the "
            "first answer; a different body is refused (422).",
            **HeaderText,
        ),
    ],
    conversation_id: Annotated[
        str | None,
        Header(
            alias="X-ATT-ConversationId", description="Ties related requests together", **HeaderText
        ),
    ] = None,
) -> JSONResponse:
    """Accept a care order: every change request is checked against the inventory now,
    then applied by the worker at its effective date. Poll the `Location` or register a
    webhook for `care_order.*` / `care_change.*` events."""
    if client_id != partner.client_id:
        raise Forbidden(
            "X-ATT-ClientId must be the id of the client the access token was issued to.",
            code="client_id_mismatch",
        )
    # Unset and null fields alike are absent: `"effectiveDate": null` means the default.
    request_body = body.model_dump(
        mode="json", by_alias=True, exclude_unset=True, exclude_none=True
    )
    care.require_messaging(
        request=request_body["careOrderRequest"], messenger=runtime.adapters.messenger
    )

    def produce() -> dict[str, Any]:
        order, changes = care.accept(
            session,
            partner_id=partner.partner_id,
            client_id=client_id,
            message_id=message_id,
            conversation_id=conversation_id,
            request=request_body["careOrderRequest"],
            now=clock.now(session, sandbox=runtime.settings.sandbox),
            key=runtime.key,
        )
        return views.care_order(order, changes).model_dump(mode="json", by_alias=True)

    response = idempotent.respond(
        request,
        session,
        scope=f"care:{client_id}",
        key=message_id,
        body=_fingerprinted(request_body, runtime.key),
        status_code=202,
        produce=produce,
        key_field="X-ATT-MessageId",
    )
    response.headers["Location"] = f"{BASE}/careOrder/{json.loads(response.body)['id']}"
    response.headers["X-ATT-MessageId"] = message_id
    if conversation_id:
        response.headers["X-ATT-ConversationId"] = conversation_id
    return response


@router.get(
    "/careOrder/{care_order_id}",
    response_model=s.CareOrderOut,
    responses=problem_responses(401, 404, 422, 500),
)
async def get_care_order(
    care_order_id: s.CareOrderId, partner: CarePartnerDep, session: SessionDep
) -> s.CareOrderOut:
    """A care order and each change request's status: received → scheduled → completed
    (or failed, with the reason). Another partner's order does not exist (404)."""
    order, changes = care.get_for_partner(
        session, partner_id=partner.partner_id, care_order_id=care_order_id
    )
    return views.care_order(order, changes)


@router.post(
    "/careOrder/{care_order_id}/cancel",
    response_model=s.CareOrderOut,
    responses=problem_responses(401, 404, 409, 422, 500),
)
async def cancel_care_order(
    care_order_id: s.CareOrderId, partner: CarePartnerDep, runtime: RuntimeDep, session: SessionDep
) -> s.CareOrderOut:
    """Withdraw a care order: its change requests not applied yet become `cancelled`;
    applied ones stay as they are. 409 `care_order_final` when none is left to cancel."""
    order, changes = withdraw(
        session,
        partner_id=partner.partner_id,
        care_order_id=care_order_id,
        now=clock.now(session, sandbox=runtime.settings.sandbox),
    )
    return views.care_order(order, changes)


@router.get(
    "/careOrder", response_model=s.CareOrdersOut, responses=problem_responses(401, 422, 500)
)
async def list_care_orders(
    partner: CarePartnerDep,
    session: SessionDep,
    page: CarePage,
    status: s.OrderStatus | None = None,
    foundation_account_number: Annotated[
        str | None,
        Query(alias="foundationAccountNumber", max_length=20, pattern=r"^[0-9]{6,20}$"),
    ] = None,
) -> s.CareOrdersOut:
    """The partner's care orders, newest first, filtered by status or account."""
    found = care.list_for_partner(
        session,
        partner_id=partner.partner_id,
        status=status,
        account_number=foundation_account_number,
        limit=page.limit,
        offset=page.offset,
    )
    return s.CareOrdersOut(
        care_orders=[views.care_order(order, changes) for order, changes in found],
        limit=page.limit,
        offset=page.offset,
    )
