from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from orderhub.db import Base, UTCDateTime


class Offer(Base):
    """A sellable catalog entry: a plan, device, accessory, add-on or bundle."""

    __tablename__ = "offers"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(20), index=True)
    description: Mapped[str] = mapped_column(String(1000), default="")
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    monthly_cents: Mapped[int] = mapped_column(Integer, default=0)
    one_time_cents: Mapped[int] = mapped_column(Integer, default=0)
    # Phone lines one unit brings: 1 for a plan, n for a family bundle, 0 otherwise.
    lines: Mapped[int] = mapped_column(Integer, default=0)
    eligibility: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    promotions: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    attributes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # TMF620 lifecycle status ("In design", "Launched", "Retired", ...; catalog/offerings.py);
    # only a launched offer is sold, and `active` is kept equal to `lifecycle_status == "Launched"`.
    lifecycle_status: Mapped[str] = mapped_column(String(20), default="Launched")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
