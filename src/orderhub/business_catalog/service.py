"""Reading and loading the business catalog."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from orderhub.business_catalog import rules
from orderhub.business_catalog.models import BusinessProduct
from orderhub.ids import utcnow


def list_products(session: Session, *, family: str | None) -> list[BusinessProduct]:
    """Active products in catalog order."""
    stmt = select(BusinessProduct).where(BusinessProduct.active.is_(True))
    if family:
        stmt = stmt.where(BusinessProduct.family == family)
    return list(session.scalars(stmt.order_by(BusinessProduct.sort_order, BusinessProduct.id)))


def specs(session: Session, *, product_ids: Iterable[str]) -> dict[str, rules.ProductSpec]:
    """Active products by id, as pricing specs, in one query."""
    wanted = sorted(set(product_ids))
    if not wanted:
        return {}
    rows = session.scalars(
        select(BusinessProduct).where(
            BusinessProduct.id.in_(wanted), BusinessProduct.active.is_(True)
        )
    )
    return {row.id: rules.ProductSpec.from_data(row) for row in rows}


def load(session: Session, *, data: dict[str, Any]) -> int:
    """Insert or update the products of a business catalog document; returns their count."""
    now = utcnow()
    products = data.get("products", [])
    for raw in products:
        if raw["family"] not in rules.FAMILIES:
            raise ValueError(f"product {raw['id']}: unknown family {raw['family']!r}")
        product = session.get(BusinessProduct, raw["id"]) or BusinessProduct(id=raw["id"])
        product.name = raw["name"]
        product.family = raw["family"]
        product.description = raw.get("description", "")
        product.currency = raw.get("currency", "USD")
        product.options = {
            key: raw.get(key, []) for key in ("accessSpeeds", "portSpeeds", "installationOptions")
        }
        discount = raw.get("discountRange", {})
        product.discount_min_percent = int(discount.get("minPercent", 0))
        product.discount_max_percent = int(discount.get("maxPercent", 0))
        product.promotions = raw.get("promotions", [])
        product.active = bool(raw.get("active", True))
        product.sort_order = int(raw.get("sortOrder", 0))
        product.updated_at = now
        rules.ProductSpec.from_data(product)  # a malformed option fails the load, not a quote
        session.add(product)
    session.flush()
    return len(products)
