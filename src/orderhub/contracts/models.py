from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from orderhub.db import Base, UTCDateTime


class Contract(Base):
    """The agreement generated from an approved-credit quote; signing it locks the quote.

    Customer details and prices are copied in when it is generated, so the contract says
    what was agreed whatever later happens to the customer record or the catalog.
    """

    __tablename__ = "contracts"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    partner_id: Mapped[str] = mapped_column(ForeignKey("partners.id"))
    quote_id: Mapped[str] = mapped_column(ForeignKey("quotes.id"), unique=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("business_customers.id"))
    credit_decision_id: Mapped[str] = mapped_column(ForeignKey("business_credit_decisions.id"))
    status: Mapped[str] = mapped_column(String(20))
    # name, taxIdLast4, address (wire names), as of generation.
    customer_details: Mapped[dict[str, Any]] = mapped_column(JSON)
    # The end customer's contact: name, title, email, phone (wire names).
    contact: Mapped[dict[str, Any]] = mapped_column(JSON)
    effective_date: Mapped[date] = mapped_column(Date)
    term_months: Mapped[int] = mapped_column(Integer)
    monthly_cents: Mapped[int] = mapped_column(Integer)
    one_time_cents: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3))
    # The quote's updated_at when generated: signing refuses a contract whose quote has
    # changed since (it would bind the customer to terms that are no longer the quote's).
    quote_version: Mapped[datetime] = mapped_column(UTCDateTime)
    signed_by: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # name, title
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
