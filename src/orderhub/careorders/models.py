"""Care orders and their change requests; a change request is also the worker's job.

A change request row carries its own schedule (`due_at`, when it takes effect) and the
worker's bookkeeping (`available_at`, `attempts`), so accepting an order, scheduling and
applying each change are all updates of one row in the transaction of their effect.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from orderhub.db import Base, UTCDateTime


class CareOrder(Base):
    __tablename__ = "care_orders"
    __table_args__ = (
        Index("ix_care_orders_status", "status"),
        Index("ix_care_orders_partner_created", "partner_id", "created_at"),
        Index("ix_care_orders_account", "account_number"),
    )

    # The ledger row (ledger/models.py) has the same id.
    id: Mapped[str] = mapped_column(ForeignKey("orders.id"), primary_key=True)
    partner_id: Mapped[str] = mapped_column(ForeignKey("partners.id"))
    client_id: Mapped[str] = mapped_column(String(80))
    message_id: Mapped[str] = mapped_column(String(200))
    conversation_id: Mapped[str | None] = mapped_column(String(200))
    account_number: Mapped[str] = mapped_column(ForeignKey("inventory_accounts.number"))
    account_group_id: Mapped[str | None] = mapped_column(String(20))
    po_number: Mapped[str | None] = mapped_column(String(64))
    consent_to_recurring_charges: Mapped[bool] = mapped_column(Boolean)
    order_contact: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))
    # received | scheduled | completed | partiallyCompleted | failed | cancelled
    status: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class CareChange(Base):
    """One change request of a care order: what to do to one line, and when."""

    __tablename__ = "care_changes"
    __table_args__ = (
        UniqueConstraint("care_order_id", "position"),
        # The worker's two lookups: received changes to schedule, scheduled ones due.
        Index("ix_care_changes_status_available", "status", "available_at"),
        Index("ix_care_changes_ctn_due", "ctn", "status", "due_at"),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    care_order_id: Mapped[str] = mapped_column(ForeignKey("care_orders.id"))
    position: Mapped[int] = mapped_column(Integer)
    change_request_id: Mapped[str | None] = mapped_column(String(64))  # the client's own id
    type: Mapped[str] = mapped_column(String(40))
    ctn: Mapped[str] = mapped_column(ForeignKey("subscribers.ctn"))
    # The change as accepted (camelCase, as sent), with a voicemail PIN replaced by its
    # HMAC: the PIN itself is never stored.
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    effective: Mapped[str] = mapped_column(String(20))  # immediate | nextBillingCycle | date
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # received | scheduled | completed | failed | cancelled (states.CHANGE_TRANSITIONS)
    status: Mapped[str] = mapped_column(String(20))
    warnings: Mapped[list[dict[str, str]]] = mapped_column(JSON)
    notes: Mapped[list[str]] = mapped_column(JSON)  # what applying it did, for the reader
    failure_code: Mapped[str | None] = mapped_column(String(60))
    failure_detail: Mapped[str | None] = mapped_column(String(300))
    # When the worker may next pick it up: due_at, later after an unexpected error.
    available_at: Mapped[datetime] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    scheduled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
