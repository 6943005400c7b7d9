from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from orderhub.db import Base, UTCDateTime


class Order(Base):
    __tablename__ = "orders"
    __table_args__ = (Index("ix_orders_customer_created", "customer_id", "created_at"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"))
    channel: Mapped[str] = mapped_column(String(20), default="direct")
    status: Mapped[str] = mapped_column(String(20), index=True)
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    monthly_cents: Mapped[int] = mapped_column(Integer, default=0)
    one_time_cents: Mapped[int] = mapped_column(Integer, default=0)
    confirmation_number: Mapped[str | None] = mapped_column(String(20), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    # Loaded on first access: half the calls on an order (policy, fulfillment, number
    # search, the order list) never look at its items.
    items: Mapped[list[OrderItem]] = relationship(
        order_by="OrderItem.position", cascade="all, delete-orphan"
    )


class OrderItem(Base):
    __tablename__ = "order_items"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    offer_id: Mapped[str] = mapped_column(ForeignKey("offers.id"))
    name: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(20))
    quantity: Mapped[int] = mapped_column(Integer)
    lines_per_unit: Mapped[int] = mapped_column(Integer, default=0)
    # Prices are copied from the catalog when the item is added: a later catalog
    # change never reprices an order the customer already saw.
    unit_monthly_cents: Mapped[int] = mapped_column(Integer)
    unit_one_time_cents: Mapped[int] = mapped_column(Integer)
    monthly_discount_cents: Mapped[int] = mapped_column(Integer, default=0)
    promotion_id: Mapped[str | None] = mapped_column(String(64))

    @property
    def lines(self) -> int:
        return self.lines_per_unit * self.quantity


class OrderEvent(Base):
    """The audit trail: one row per change of an order (who, what, when)."""

    __tablename__ = "order_events"
    __table_args__ = (Index("ix_order_events_order_seq", "order_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id"))
    type: Mapped[str] = mapped_column(String(60))
    actor: Mapped[str] = mapped_column(String(80))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
