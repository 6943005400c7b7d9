"""What ordering through TM Forum's TMF622 adds to the ledger: an order's own attributes
(description, priority, notes...) and the requests to cancel orders."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from orderhub.db import Base, UTCDateTime


class OrderDetail(Base):
    """Attributes a TMF622 client gives an order of any channel, beside what the channel
    keeps: shown in the order's TMF view, changed by PATCH."""

    __tablename__ = "tmf_order_details"

    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id"), primary_key=True)
    description: Mapped[str | None] = mapped_column(String(1000))
    category: Mapped[str | None] = mapped_column(String(100))
    priority: Mapped[str | None] = mapped_column(String(10))
    notification_contact: Mapped[str | None] = mapped_column(String(200))
    requested_start_date: Mapped[datetime | None] = mapped_column(UTCDateTime)
    requested_completion_date: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # [{"id", "author", "date", "text"}], oldest first: notes are added, never edited.
    notes: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class CancelRequest(Base):
    """A request to cancel an order (TMF622 `cancelProductOrder`), decided when it is
    made: `done` once the order is cancelled, `terminatedWithError` with the reason when
    its channel cannot cancel it in its state."""

    __tablename__ = "cancel_product_orders"
    __table_args__ = (
        Index("ix_cancel_product_orders_owner_created", "owner", "created_at"),
        Index("ix_cancel_product_orders_created_at", "created_at"),
        Index("ix_cancel_product_orders_order_id", "order_id"),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id"))
    # Who asked (`customer:<id>`, `partner:<id>`, `operations`): only they, and
    # operations, see it.
    owner: Mapped[str] = mapped_column(String(80))
    state: Mapped[str] = mapped_column(String(30))  # done | terminatedWithError
    cancellation_reason: Mapped[str | None] = mapped_column(String(1000))
    requested_cancellation_date: Mapped[datetime | None] = mapped_column(UTCDateTime)
    effective_cancellation_date: Mapped[datetime | None] = mapped_column(UTCDateTime)
    rejection_reason: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
