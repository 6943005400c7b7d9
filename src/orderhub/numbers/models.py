from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from orderhub.db import Base, UTCDateTime


class PhoneNumber(Base):
    """One telephone number of the pool and who holds it.

    status: available | reserved | assigned. A reservation whose `reserved_until`
    has passed counts as available again: every claim checks the time, so no sweeper
    is needed.
    """

    __tablename__ = "phone_numbers"
    __table_args__ = (Index("ix_phone_numbers_area_status", "area_code", "status", "number"),)

    number: Mapped[str] = mapped_column(String(10), primary_key=True)
    area_code: Mapped[str] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(10), default="available")
    order_id: Mapped[str | None] = mapped_column(ForeignKey("orders.id"), index=True)
    item_id: Mapped[str | None] = mapped_column(String(40))
    reserved_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
