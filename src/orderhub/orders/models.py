"""The consumer channel's cart items. The order itself is the ledger row
(ledger/models.py: every channel's orders are in one table)."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from orderhub.db import Base


class OrderItem(Base):
    __tablename__ = "order_items"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    offer_id: Mapped[str] = mapped_column(ForeignKey("offers.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(20))
    quantity: Mapped[int] = mapped_column(Integer)
    lines_per_unit: Mapped[int] = mapped_column(Integer, default=0)
    # Prices are copied from the catalog when the item is added: a later catalog
    # change never reprices an order the customer already saw.
    unit_monthly_cents: Mapped[int] = mapped_column(Integer)
    unit_one_time_cents: Mapped[int] = mapped_column(Integer)
    monthly_discount_cents: Mapped[int] = mapped_column(Integer, default=0)
    promotion_id: Mapped[str | None] = mapped_column(String(64))

    @property
    def lines(self) -> int:
        return self.lines_per_unit * self.quantity
