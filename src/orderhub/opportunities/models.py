from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from orderhub.db import Base, UTCDateTime


class Opportunity(Base):
    """A partner's chance to do business with one business customer (seed 002: "created
    when the SP has an opportunity to do business with an end customer"); its quotes are
    alternatives, and an order from one of them wins it."""

    __tablename__ = "opportunities"
    __table_args__ = (Index("ix_opportunities_partner_created", "partner_id", "created_at"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    partner_id: Mapped[str] = mapped_column(ForeignKey("partners.id"))
    customer_id: Mapped[str] = mapped_column(ForeignKey("business_customers.id"), index=True)
    name: Mapped[str | None] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(String(1000))
    status: Mapped[str] = mapped_column(String(20))
    lost_reason: Mapped[str | None] = mapped_column(String(1000))
    # The quote and order that won it. Plain ids, no foreign keys: quotes point at
    # opportunities, and a cycle of foreign keys cannot be created on SQLite.
    won_quote_id: Mapped[str | None] = mapped_column(String(40))
    won_order_id: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
