from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from orderhub.db import Base, UTCDateTime


class BusinessCustomer(Base):
    """A business end customer that partners sell to (not a consumer sign-in identity)."""

    __tablename__ = "business_customers"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    # Lookup keys, each computed by business/rules.py and indexed: the name without case,
    # punctuation or legal form; the tax id's 9 digits; the 10-digit phone; and the
    # standardized service address as "LINE1|ZIP5".
    name_key: Mapped[str] = mapped_column(String(200), index=True)
    tax_id: Mapped[str] = mapped_column(String(9), unique=True)
    phone: Mapped[str | None] = mapped_column(String(10), index=True)
    address_key: Mapped[str] = mapped_column(String(220), index=True)
    address_line1: Mapped[str] = mapped_column(String(200))
    address_line2: Mapped[str | None] = mapped_column(String(200))
    city: Mapped[str] = mapped_column(String(100))
    state: Mapped[str] = mapped_column(String(2))
    zip_code: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SubAccount(Base):
    """A billing sub-account of a business customer (a site, a department)."""

    __tablename__ = "business_sub_accounts"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("business_customers.id"), index=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20), default="active")


class PartnerAlliance(Base):
    """What a partner may do with a customer (business/rules.py: AllianceStatus).

    No row: the customer does not exist for that partner.
    """

    __tablename__ = "partner_alliances"

    partner_id: Mapped[str] = mapped_column(ForeignKey("partners.id"), primary_key=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("business_customers.id"), primary_key=True)
    status: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ExceptionRequest(Base):
    """A partner's request to quote an alliance-only customer, decided by operations."""

    __tablename__ = "exception_requests"
    __table_args__ = (
        Index("ix_exception_requests_partner_created", "partner_id", "created_at"),
        Index("ix_exception_requests_partner_customer", "partner_id", "customer_id", "status"),
        Index("ix_exception_requests_status_created", "status", "created_at"),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    partner_id: Mapped[str] = mapped_column(ForeignKey("partners.id"))
    customer_id: Mapped[str] = mapped_column(ForeignKey("business_customers.id"))
    reason: Mapped[str] = mapped_column(String(1000))
    status: Mapped[str] = mapped_column(String(20))
    decision_note: Mapped[str | None] = mapped_column(String(1000))
    # "operator:api" or "operator:cli": kept for the audit trail, never shown to partners.
    decided_by: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
