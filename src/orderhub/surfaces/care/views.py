"""Shaping care orders and their change requests into the care API's answer."""

from __future__ import annotations

from sqlalchemy import Row

from orderhub.surfaces.care.schemas import CareOrderOut


def care_order(order: Row, changes: list[Row]) -> CareOrderOut:
    """The care order as its owner reads it (the operator's ledger shows it so too)."""
    return CareOrderOut(
        id=order.id,
        status=order.status,
        foundation_account_number=order.account_number,
        account_group_id=order.account_group_id,
        po_number=order.po_number,
        consent_to_recurring_charges=order.consent_to_recurring_charges,
        order_contact=order.order_contact,
        message_id=order.message_id,
        conversation_id=order.conversation_id,
        change_requests=[
            {
                "id": c.id,
                "change_request_id": c.change_request_id,
                "type": c.type,
                "ctn": c.ctn,
                "status": c.status,
                "effective": c.effective,
                "due_at": c.due_at,
                "warnings": c.warnings,
                "notes": c.notes,
                "failure": {"code": c.failure_code, "detail": c.failure_detail}
                if c.failure_code
                else None,
                "received_at": c.received_at,
                "scheduled_at": c.scheduled_at,
                "finished_at": c.finished_at,
            }
            for c in changes
        ],
        created_at=order.created_at,
        updated_at=order.updated_at,
    )
