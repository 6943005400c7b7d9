"""The order ledger: every order of every channel, its references and its history.

`orders` holds one row per order, whatever the channel: who ordered it (`owner`), whom it
is for (`party_kind`, `party_id`), the channel's own status and the common `state` derived
from it (ledger/states.py), totals, dates. A channel keeps what is its own in its own
tables, keyed by the same id (partner_orders, onboarding_orders, care_orders); the consumer
channel's cart lives in order_items, numbers and fulfillments around this row, which is
also its order. `order_events` is the one history of all orders.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from orderhub.db import Base, UTCDateTime


class Order(Base):
    """One order of any channel: the ledger row."""

    __tablename__ = "orders"
    __table_args__ = (
        Index("ix_orders_customer_created", "customer_id", "created_at"),
        Index("ix_orders_owner_created", "owner", "created_at"),
        Index("ix_orders_party_created", "party_id", "created_at"),
        # The operator's list is newest first: a channel's or a state's orders come in
        # that order straight from these (migration 0016).
        Index("ix_orders_channel_created", "channel", "created_at", "id"),
        Index("ix_orders_state_created", "state", "created_at", "id"),
        Index("ix_orders_created_at", "created_at"),
        Index("ix_orders_updated_at", "updated_at"),
        # Only orders the fulfillment worker still has to ask about: small, however many
        # orders have finished.
        Index(
            "ix_orders_fulfillment_due_at",
            "fulfillment_due_at",
            postgresql_where=text("fulfillment_due_at IS NOT NULL"),
            sqlite_where=text("fulfillment_due_at IS NOT NULL"),
        ),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    channel: Mapped[str] = mapped_column(String(20), default="direct")
    # Who may see and act on it: `customer:<id>` (a consumer) or `partner:<id>`.
    owner: Mapped[str] = mapped_column(String(80))
    # Whom it is for: `customer`, `business_customer`, `onboarding_account` or `fan`.
    party_kind: Mapped[str] = mapped_column(String(30))
    party_id: Mapped[str] = mapped_column(String(64))
    # The consumer channel's customer (its orders' party), kept as a foreign key.
    customer_id: Mapped[str | None] = mapped_column(ForeignKey("customers.id"))
    # The channel's own status, and the common state derived from it (ledger/states.py).
    status: Mapped[str] = mapped_column(String(30), index=True)
    state: Mapped[str] = mapped_column(String(20))
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    monthly_cents: Mapped[int] = mapped_column(Integer, default=0)
    one_time_cents: Mapped[int] = mapped_column(Integer, default=0)
    confirmation_number: Mapped[str | None] = mapped_column(String(20), unique=True)
    requested_date: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A consumer order's next check with the fulfillment port (orders/progress.py): set on
    # submit, null once the order is final; other channels schedule in their own tables.
    fulfillment_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    # The consumer cart. Loaded on first access: half the calls on an order (policy,
    # fulfillment, number search, the order list) never look at its items.
    items: Mapped[list[Any]] = relationship(
        "OrderItem", order_by="OrderItem.position", cascade="all, delete-orphan"
    )


class OrderReference(Base):
    """One external reference of an order by its name (`poNumber`, `opportunityId`,
    `messageId`, ...), for display and search. A consumer order's confirmation number is
    its own column, and a CTN is found where it lives (phone_numbers, care_changes)."""

    __tablename__ = "order_references"
    __table_args__ = (Index("ix_order_references_value", "value"),)

    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(200), primary_key=True)


class OrderEvent(Base):
    """The history of every order: one row per change (who, what, when, from/to)."""

    __tablename__ = "order_events"
    __table_args__ = (Index("ix_order_events_order_seq", "order_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id"))
    type: Mapped[str] = mapped_column(String(60))
    actor: Mapped[str] = mapped_column(String(80))
    # The part of the order the change is about (a sub-order, a service, a change
    # request), when not the whole order.
    subject_id: Mapped[str | None] = mapped_column(String(40))
    from_status: Mapped[str | None] = mapped_column(String(30))
    to_status: Mapped[str | None] = mapped_column(String(30))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
