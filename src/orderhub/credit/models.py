from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from orderhub.db import Base, UTCDateTime


class CreditApplication(Base):
    """The latest credit application of an order and the policy its decision gives.

    The SSN is kept as its last four digits and a keyed hash (to recognise a repeat
    applicant); the date of birth only as a keyed hash. Neither is ever returned.
    """

    __tablename__ = "credit_applications"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id"), unique=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    # Null on an application copied from the customer's credit on file (a TMF622 order,
    # ordering/placement.py): no SSN or date of birth was given for it.
    ssn_last4: Mapped[str | None] = mapped_column(String(4))
    ssn_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    dob_hash: Mapped[str | None] = mapped_column(String(64))
    address: Mapped[dict[str, Any]] = mapped_column(JSON)
    decision: Mapped[str] = mapped_column(String(20))
    bureau_reference: Mapped[str] = mapped_column(String(40))
    max_lines: Mapped[int] = mapped_column(Integer)
    deposit_required: Mapped[bool] = mapped_column(Boolean)
    deposit_cents: Mapped[int] = mapped_column(Integer)
    down_payment_percent: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class BusinessCreditDecision(Base):
    """A credit decision on a business end customer, asked for by a partner's quote.

    Reused for the same partner and customer while it is recent (quotes/credit.py), so
    a partner quoting one customer twice asks the bureau once. Keyed by partner too: a
    decision another partner obtained is not shown to this one.
    """

    __tablename__ = "business_credit_decisions"
    __table_args__ = (
        Index("ix_business_credit_decisions_partner_customer", "partner_id", "customer_id"),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    partner_id: Mapped[str] = mapped_column(ForeignKey("partners.id"))
    customer_id: Mapped[str] = mapped_column(ForeignKey("business_customers.id"))
    # The quote that asked the bureau; later quotes reuse the decision.
    quote_id: Mapped[str] = mapped_column(ForeignKey("quotes.id"))
    decision: Mapped[str] = mapped_column(String(20))  # approved | declined | pendingReview
    deposit_required: Mapped[bool] = mapped_column(Boolean)
    deposit_cents: Mapped[int] = mapped_column(Integer)
    bureau_reference: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)


class CustomerCreditProfile(Base):
    """A consumer customer's credit on file: the latest decision about them, from a credit
    application of theirs or loaded with the customer (the sandbox's customers). A TMF622
    order is checked against it (ordering/placement.py), with the policy its decision and
    score give for that order's lines."""

    __tablename__ = "customer_credit_profiles"

    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"), primary_key=True)
    decision: Mapped[str] = mapped_column(String(20))  # approved | declined | manualReview
    score: Mapped[int] = mapped_column(Integer)
    bureau_reference: Mapped[str] = mapped_column(String(40))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime)
