"""Accepting care orders and reading them back (Core statements built once)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Row, bindparam, insert, select
from sqlalchemy.orm import Session

from orderhub.careorders.checks import AcceptedChange, check
from orderhub.careorders.models import CareChange, CareOrder
from orderhub.errors import NotFound
from orderhub.ids import new_id
from orderhub.ledger import service as ledger
from orderhub.ledger.states import Channel
from orderhub.webhooks import service as webhooks

CARE_ORDERS = CareOrder.__table__
CHANGES = CareChange.__table__

_INSERT_ORDER = insert(CARE_ORDERS).returning(*CARE_ORDERS.c)
# In the order of the rows given (by position), which is how the answer lists them.
_INSERT_CHANGES = insert(CHANGES).returning(*CHANGES.c, sort_by_parameter_order=True)
_ORDER_FOR_PARTNER = select(CARE_ORDERS).where(
    CARE_ORDERS.c.id == bindparam("b_id"), CARE_ORDERS.c.partner_id == bindparam("b_partner")
)
_CHANGES_OF = (
    select(CHANGES)
    .where(CHANGES.c.care_order_id.in_(bindparam("order_ids", expanding=True)))
    .order_by(CHANGES.c.care_order_id, CHANGES.c.position)
)


class CareOrderNotFound(NotFound):
    code = "care_order_not_found"
    title = "Care order not found"


def owner(partner_id: str) -> str:
    """The outbox owner care-order events go to: the partner, as for B2B orders."""
    return f"partner:{partner_id}"


def accept(
    session: Session,
    *,
    partner_id: str,
    client_id: str,
    message_id: str,
    conversation_id: str | None,
    request: dict[str, Any],
    now: datetime,
    key: bytes,
) -> tuple[Row, list[Row]]:
    """Check the order against the inventory and store it with its change requests,
    all `received`; the worker schedules and applies them."""
    accepted = check(session, partner_id=partner_id, request=request, now=now, key=key)
    order_id = new_id("care")
    actor = owner(partner_id)
    ledger.open_order(
        session,
        order_id=order_id,
        channel=Channel.CARE,
        owner=actor,
        party_kind="fan",
        party_id=request["foundationAccountNumber"],
        status="received",
        at=now,
        refs={"messageId": message_id, "poNumber": request.get("poNumber")},
    )
    ledger.record(
        session,
        order_id=order_id,
        type="care_order.received",
        actor=actor,
        at=now,
        to_status="received",
    )
    # `now` is the test clock's time in sandbox mode, like every time the worker writes.
    order = {
        "id": order_id,
        "partner_id": partner_id,
        "client_id": client_id,
        "message_id": message_id,
        "conversation_id": conversation_id,
        "account_number": request["foundationAccountNumber"],
        "account_group_id": request.get("accountGroupId"),
        "po_number": request.get("poNumber"),
        "consent_to_recurring_charges": bool(request.get("consentToRecurringCharges")),
        "order_contact": request.get("orderContact"),
        "status": "received",
        "created_at": now,
        "updated_at": now,
    }
    row = session.execute(_INSERT_ORDER, order).one()
    changes = session.execute(
        _INSERT_CHANGES, [_change_row(order["id"], c, now) for c in accepted]
    ).all()
    webhooks.publish(
        session,
        owner=owner(partner_id),
        type="care_order.received",
        subject=order["id"],
        data={
            "careOrderId": order["id"],
            "status": "received",
            "changeRequests": [
                {"ctn": c.ctn, "changeRequestId": c.change_request_id, "type": c.type}
                for c in accepted
            ],
        },
    )
    return row, changes


def _change_row(order_id: str, change: AcceptedChange, now: datetime) -> dict[str, Any]:
    return {
        "id": new_id("chg"),
        "care_order_id": order_id,
        "position": change.position,
        "change_request_id": change.change_request_id,
        "type": change.type,
        "ctn": change.ctn,
        "payload": change.payload,
        "effective": change.effective,
        "due_at": change.due_at,
        "status": "received",
        "warnings": change.warnings,
        "notes": [],
        "failure_code": None,
        "failure_detail": None,
        "available_at": now,  # scheduling is due at once; applying at due_at
        "attempts": 0,
        "received_at": now,
        "scheduled_at": None,
        "finished_at": None,
        "updated_at": now,
    }


def get_for_partner(
    session: Session, *, partner_id: str, care_order_id: str
) -> tuple[Row, list[Row]]:
    """The partner's care order with its change requests; anybody else's does not exist."""
    order = session.execute(
        _ORDER_FOR_PARTNER, {"b_id": care_order_id, "b_partner": partner_id}
    ).first()
    if order is None:
        raise CareOrderNotFound(f"No care order '{care_order_id}' was found.")
    return order, list(session.execute(_CHANGES_OF, {"order_ids": [order.id]}))


def list_for_partner(
    session: Session,
    *,
    partner_id: str,
    status: str | None,
    account_number: str | None,
    limit: int,
    offset: int,
) -> list[tuple[Row, list[Row]]]:
    """The partner's care orders, newest first, each with its change requests (2 queries)."""
    stmt = select(CARE_ORDERS).where(CARE_ORDERS.c.partner_id == partner_id)
    if status:
        stmt = stmt.where(CARE_ORDERS.c.status == status)
    if account_number:
        stmt = stmt.where(CARE_ORDERS.c.account_number == account_number)
    orders = list(
        session.execute(
            stmt.order_by(CARE_ORDERS.c.created_at.desc(), CARE_ORDERS.c.id)
            .limit(limit)
            .offset(offset)
        )
    )
    changes: dict[str, list[Row]] = {o.id: [] for o in orders}
    if orders:
        for row in session.execute(_CHANGES_OF, {"order_ids": list(changes)}):
            changes[row.care_order_id].append(row)
    return [(o, changes[o.id]) for o in orders]
