"""Shaping ledger rows for the operator, and each channel's own view of an order."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row
from sqlalchemy.orm import Session

from orderhub.careorders import service as care
from orderhub.ledger import service as ledger
from orderhub.onboarding import orders as onboarding_orders
from orderhub.partner_orders import service as partner_orders
from orderhub.surfaces.b2b import order_views as b2b_views
from orderhub.surfaces.care import views as care_views
from orderhub.surfaces.direct import views as direct_views
from orderhub.surfaces.onboarding import views as onboarding_views
from orderhub.surfaces.operator import schemas as s
from orderhub.surfaces.schemas import money


def _party(text: str) -> s.PartyOut:
    kind, _, ident = text.partition(":")
    return s.PartyOut(kind=kind, id=ident)


def order(row: Row, references: dict[str, str]) -> s.LedgerOrderOut:
    return s.LedgerOrderOut(**_fields(row, references))


def _fields(row: Row, references: dict[str, str]) -> dict[str, Any]:
    return {
        "id": row.id,
        "channel": row.channel,
        "state": row.state,
        "status": row.status,
        "owner": _party(row.owner),
        "party": s.PartyOut(kind=row.party_kind, id=row.party_id),
        "totals": s.LedgerTotalsOut(
            monthly=money(row.monthly_cents),
            one_time=money(row.one_time_cents),
            currency=row.currency,
        ),
        "references": references,
        "requested_date": row.requested_date,
        "created_at": row.created_at,
        "updated_at": row.updated_at,
        "submitted_at": row.submitted_at,
        "completed_at": row.completed_at,
    }


def detail(session: Session, row: Row, references: dict[str, str]) -> s.LedgerOrderDetailOut:
    return s.LedgerOrderDetailOut(
        **_fields(row, references),
        detail=channel_view(session, row),
        history=[
            s.LedgerEventOut(
                id=e.id,
                type=e.type,
                actor=e.actor,
                subject_id=e.subject_id,
                from_status=e.from_status,
                to_status=e.to_status,
                data=e.data or {},
                created_at=e.created_at,
            )
            for e in ledger.history(session, order_id=row.id)
        ],
    )


def channel_view(session: Session, row: Row) -> dict[str, Any]:
    """The order as the API of its channel answers it to its owner."""
    owner = row.owner.partition(":")[2]
    if row.channel == "direct":
        shown: Any = direct_views.order(session, row)
    elif row.channel == "partner":
        found = partner_orders.get_for_partner(session, partner_id=owner, order_id=row.id)
        shown = b2b_views.order(partner_orders.detail(session, order=found))
    elif row.channel == "onboarding":
        found = onboarding_orders.get(session, partner_id=owner, order_id=row.id)
        shown = onboarding_views.order(session, found)
    else:
        found, changes = care.get_for_partner(session, partner_id=owner, care_order_id=row.id)
        shown = care_views.care_order(found, changes)
    return shown.model_dump(by_alias=True, mode="json")
