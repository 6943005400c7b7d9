"""Reading and loading the catalog."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Row, bindparam, select
from sqlalchemy.orm import Session

from orderhub.catalog import rules
from orderhub.catalog.models import Offer
from orderhub.fulfillment.models import Store
from orderhub.ids import utcnow

OFFERS = Offer.__table__
_ACTIVE = select(OFFERS).where(OFFERS.c.active.is_(True)).order_by(OFFERS.c.sort_order, OFFERS.c.id)
_ACTIVE_IN_CATEGORY = _ACTIVE.where(OFFERS.c.category == bindparam("category"))
_OFFERS_BY_ID = select(OFFERS).where(OFFERS.c.id.in_(bindparam("ids", expanding=True)))


def list_offers(
    session: Session,
    *,
    category: str | None,
    zip_code: str | None,
    customer_type: str | None,
    limit: int,
    offset: int,
) -> tuple[list[Row], int]:
    """Active offers, filtered by category and eligibility, one page of them and the total."""
    rows = (
        session.execute(_ACTIVE_IN_CATEGORY, {"category": category})
        if category
        else session.execute(_ACTIVE)
    )
    offers = [
        offer
        for offer in rows
        if rules.eligibility(
            offer.eligibility, zip_code=zip_code, customer_type=customer_type
        ).eligible
    ]
    return offers[offset : offset + limit], len(offers)


def get_offers(session: Session, *, offer_ids: Iterable[str]) -> dict[str, Row]:
    """Offers by id, in one query."""
    return {o.id: o for o in session.execute(_OFFERS_BY_ID, {"ids": sorted(set(offer_ids))})}


def load(session: Session, *, data: dict[str, Any]) -> tuple[int, int]:
    """Insert or update the offers and stores of a catalog document; returns their counts."""
    now = utcnow()
    offers = data.get("offers", [])
    for raw in offers:
        if raw["category"] not in rules.CATEGORIES:
            raise ValueError(f"offer {raw['id']}: unknown category {raw['category']!r}")
        offer = session.get(Offer, raw["id"]) or Offer(id=raw["id"])
        offer.name = raw["name"]
        offer.category = raw["category"]
        offer.description = raw.get("description", "")
        offer.currency = raw.get("currency", "USD")
        offer.monthly_cents = int(raw.get("monthlyCents", 0))
        offer.one_time_cents = int(raw.get("oneTimeCents", 0))
        offer.lines = int(raw.get("lines", 1 if raw["category"] == "plan" else 0))
        offer.eligibility = raw.get("eligibility", {})
        offer.promotions = raw.get("promotions", [])
        offer.attributes = raw.get("attributes", {})
        offer.active = bool(raw.get("active", True))
        offer.sort_order = int(raw.get("sortOrder", 0))
        offer.updated_at = now
        session.add(offer)
    stores = data.get("stores", [])
    for raw in stores:
        store = session.get(Store, raw["id"]) or Store(id=raw["id"])
        store.name = raw["name"]
        store.address = raw["address"]
        session.add(store)
    session.flush()
    return len(offers), len(stores)
