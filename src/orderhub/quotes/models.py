from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from orderhub.db import Base, UTCDateTime


class Quote(Base):
    """A partner's priced offer to one business customer, under one of its opportunities
    (the quotes of an opportunity are alternatives)."""

    __tablename__ = "quotes"
    __table_args__ = (Index("ix_quotes_partner_created", "partner_id", "created_at"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    opportunity_id: Mapped[str] = mapped_column(ForeignKey("opportunities.id"), index=True)
    partner_id: Mapped[str] = mapped_column(ForeignKey("partners.id"))
    customer_id: Mapped[str] = mapped_column(ForeignKey("business_customers.id"), index=True)
    name: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20))
    # subAccountId, invoiceDelivery, billingEmail, purchaseOrderNumber (wire names).
    billing: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    monthly_cents: Mapped[int] = mapped_column(Integer, default=0)
    one_time_cents: Mapped[int] = mapped_column(Integer, default=0)
    validated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The credit decision the quote's credit check gave (credit/models.py), and the signed
    # contract that locks the quote. Plain ids, no foreign keys: contracts point back at
    # quotes, and a cycle of foreign keys cannot be created on SQLite.
    credit_decision_id: Mapped[str | None] = mapped_column(String(40))
    locked_by_contract_id: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class QuoteSite(Base):
    """One site of a quote: where the services go, with its postal check and totals."""

    __tablename__ = "quote_sites"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    quote_id: Mapped[str] = mapped_column(ForeignKey("quotes.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str | None] = mapped_column(String(200))
    sub_account_id: Mapped[str | None] = mapped_column(ForeignKey("business_sub_accounts.id"))
    # As the partner sent it (wire names), then as the postal check standardized it.
    address: Mapped[dict[str, Any]] = mapped_column(JSON)
    standardized_address: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    address_valid: Mapped[bool] = mapped_column(Boolean)
    address_problems: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    monthly_cents: Mapped[int] = mapped_column(Integer, default=0)
    one_time_cents: Mapped[int] = mapped_column(Integer, default=0)


class QuoteItem(Base):
    """One configured product at one site; its prices are copied from the catalog."""

    __tablename__ = "quote_items"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    quote_id: Mapped[str] = mapped_column(ForeignKey("quotes.id"), index=True)
    site_id: Mapped[str] = mapped_column(ForeignKey("quote_sites.id"))
    position: Mapped[int] = mapped_column(Integer)
    product_id: Mapped[str] = mapped_column(ForeignKey("business_products.id"))
    product_name: Mapped[str] = mapped_column(String(200))
    access_speed: Mapped[str | None] = mapped_column(String(40))
    port_speed: Mapped[str | None] = mapped_column(String(40))
    installation_option: Mapped[str | None] = mapped_column(String(40))
    discount_percent: Mapped[int] = mapped_column(Integer, default=0)
    promotion_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    # What is still to choose before the quote is complete (wire names).
    missing: Mapped[list[str]] = mapped_column(JSON, default=list)
    access_monthly_cents: Mapped[int] = mapped_column(Integer)
    port_monthly_cents: Mapped[int] = mapped_column(Integer)
    discount_monthly_cents: Mapped[int] = mapped_column(Integer)
    promotion_monthly_cents: Mapped[int] = mapped_column(Integer)
    installation_one_time_cents: Mapped[int] = mapped_column(Integer)
    promotion_one_time_cents: Mapped[int] = mapped_column(Integer)
    monthly_cents: Mapped[int] = mapped_column(Integer)
    one_time_cents: Mapped[int] = mapped_column(Integer)
