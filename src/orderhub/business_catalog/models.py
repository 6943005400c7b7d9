from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from orderhub.db import Base, UTCDateTime


class BusinessProduct(Base):
    """A business service with its options and prices (cents), as business_catalog/rules.py
    reads them: `options` holds accessSpeeds, portSpeeds and installationOptions."""

    __tablename__ = "business_products"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    family: Mapped[str] = mapped_column(String(30))
    description: Mapped[str] = mapped_column(String(1000), default="")
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    options: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    discount_min_percent: Mapped[int] = mapped_column(Integer, default=0)
    discount_max_percent: Mapped[int] = mapped_column(Integer, default=0)
    promotions: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
