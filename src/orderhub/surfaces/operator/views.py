"""Shaping rows into the operator API's answers: the event stream and services (the
ledger's orders are order_views.py's)."""

from __future__ import annotations

from sqlalchemy import Row

from orderhub.surfaces.operator import schemas as s
from orderhub.webhooks import stream


def stream_event(row: Row) -> s.StreamEventOut:
    return s.StreamEventOut(
        id=row.id,
        cursor=stream.Position.of(row).token,
        owner=row.owner,
        type=row.type,
        subject=row.subject,
        created_at=row.created_at,
        data=row.data,
    )


def activated_service(row: Row) -> s.ActivatedServiceOut:
    return s.ActivatedServiceOut(
        id=row.id,
        status=row.status,
        account_number=row.account_number,
        service_type_id=row.service_type_id,
        updated_at=row.updated_at,
    )
