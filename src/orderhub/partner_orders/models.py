"""B2B orders: one per signed quote, one sub-order per site and product, and their trail."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from orderhub.db import Base, UTCDateTime


class PartnerOrder(Base):
    """A partner's order from a quote with a signed contract.

    Enrichment sections are JSON by wire name (`installation`, `shipping`,
    `billingConfiguration`); a sub-order's own section, where set, replaces the order's.
    """

    __tablename__ = "partner_orders"
    __table_args__ = (
        Index("ix_partner_orders_partner_created", "partner_id", "created_at"),
        Index("ix_partner_orders_partner_cdg", "partner_id", "customer_defined_group"),
        Index("ix_partner_orders_partner_status", "partner_id", "status"),
        Index("ix_partner_orders_provisioning_due", "provisioning_due_at"),
    )

    # The ledger row (ledger/models.py) has the same id.
    id: Mapped[str] = mapped_column(ForeignKey("orders.id"), primary_key=True)
    partner_id: Mapped[str] = mapped_column(ForeignKey("partners.id"))
    customer_id: Mapped[str] = mapped_column(ForeignKey("business_customers.id"))
    quote_id: Mapped[str] = mapped_column(ForeignKey("quotes.id"), unique=True)
    contract_id: Mapped[str] = mapped_column(ForeignKey("contracts.id"))
    status: Mapped[str] = mapped_column(String(30))
    customer_defined_group: Mapped[str | None] = mapped_column(String(100))
    installation: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    shipping: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    billing_configuration: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    acknowledgement_id: Mapped[str | None] = mapped_column(String(40))
    provisioning_reference: Mapped[str | None] = mapped_column(String(60))
    # When the provisioning port is next asked for milestones; null when nothing is due
    # (a draft, or a final order). Indexed: the worker looks for due orders by it.
    provisioning_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    monthly_cents: Mapped[int] = mapped_column(Integer)
    one_time_cents: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class PartnerSubOrder(Base):
    """One product at one site of an order, provisioned on its own."""

    __tablename__ = "partner_sub_orders"
    # The console's queue finds rejected sub-orders by status, and counts an order's
    # rejected ones (partner_orders/queue.py): both served by this one index.
    __table_args__ = (Index("ix_partner_sub_orders_status", "status", "order_id"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    order_id: Mapped[str] = mapped_column(ForeignKey("partner_orders.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    quote_item_id: Mapped[str] = mapped_column(ForeignKey("quote_items.id"))
    site_name: Mapped[str | None] = mapped_column(String(200))
    # The site's standardized address, copied from the quote.
    site_address: Mapped[dict[str, Any]] = mapped_column(JSON)
    product_id: Mapped[str] = mapped_column(String(40))
    product_name: Mapped[str] = mapped_column(String(200))
    # accessSpeed, portSpeed, installationOption, discountPercent, promotionIds.
    configuration: Mapped[dict[str, Any]] = mapped_column(JSON)
    monthly_cents: Mapped[int] = mapped_column(Integer)
    one_time_cents: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(30))
    installation: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    shipping: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    billing_configuration: Mapped[dict[str, Any] | None] = mapped_column(JSON)
