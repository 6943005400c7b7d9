from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from orderhub.db import Base, UTCDateTime


class Fulfillment(Base):
    __tablename__ = "fulfillments"

    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id"), primary_key=True)
    method: Mapped[str] = mapped_column(String(20))
    shipping_address: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))
    standardized_address: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))
    address_valid: Mapped[bool | None] = mapped_column(Boolean)
    address_problems: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    store_id: Mapped[str | None] = mapped_column(ForeignKey("stores.id"))
    contact: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))
    requested_date: Mapped[date | None] = mapped_column(Date)
    terms_version: Mapped[str | None] = mapped_column(String(20))
    terms_accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Store(Base):
    """A retail store where an order can be picked up."""

    __tablename__ = "stores"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[dict[str, Any]] = mapped_column(JSON)
