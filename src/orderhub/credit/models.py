from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String
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
    ssn_last4: Mapped[str] = mapped_column(String(4))
    ssn_hash: Mapped[str] = mapped_column(String(64), index=True)
    dob_hash: Mapped[str] = mapped_column(String(64))
    address: Mapped[dict[str, Any]] = mapped_column(JSON)
    decision: Mapped[str] = mapped_column(String(20))
    bureau_reference: Mapped[str] = mapped_column(String(40))
    max_lines: Mapped[int] = mapped_column(Integer)
    deposit_required: Mapped[bool] = mapped_column(Boolean)
    deposit_cents: Mapped[int] = mapped_column(Integer)
    down_payment_percent: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
