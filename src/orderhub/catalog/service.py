"""Reading and loading the catalog."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, bindparam, func, select
from sqlalchemy.orm import Session

from orderhub.catalog import rules
from orderhub.catalog.models import Offer
from orderhub.customers.models import Address, Customer
from orderhub.fulfillment.models import Store
from orderhub.ids import utcnow
from orderhub.inventory.models import InventoryAccount, Subscriber

# Table columns, not mapped attributes: a statement naming a mapped class takes the ORM's
# execution path, about twice the cost of a Core one (docs/performance.md).
OFFERS = Offer.__table__
CUSTOMERS = Customer.__table__
ADDRESSES = Address.__table__
SUBSCRIBERS = Subscriber.__table__
ACCOUNTS = InventoryAccount.__table__
_ACTIVE = select(OFFERS).where(OFFERS.c.active.is_(True)).order_by(OFFERS.c.sort_order, OFFERS.c.id)
_ACTIVE_IN_CATEGORY = _ACTIVE.where(OFFERS.c.category == bindparam("category"))
_OFFERS_BY_ID = select(OFFERS).where(OFFERS.c.id.in_(bindparam("ids", expanding=True)))
# The lines a customer already has, on any of its accounts, cancelled ones aside.
_EXISTING_LINES = (
    select(func.count())
    .select_from(SUBSCRIBERS)
    .join(ACCOUNTS, ACCOUNTS.c.number == SUBSCRIBERS.c.account_number)
    .where(
        ACCOUNTS.c.customer_id == bindparam("customer_id"),
        SUBSCRIBERS.c.status != "cancelled",
    )
)
# Everything eligibility asks about a customer, in one statement: type, the ZIP code of
# its first address (as orders are checked, customers.ordering_facts), existing lines.
_CUSTOMER_FACTS = select(
    CUSTOMERS.c.type,
    select(ADDRESSES.c.zip_code)
    .where(ADDRESSES.c.customer_id == CUSTOMERS.c.id)
    .order_by(ADDRESSES.c.kind)
    .limit(1)
    .scalar_subquery()
    .label("zip_code"),
    _EXISTING_LINES.scalar_subquery().label("existing_lines"),
).where(CUSTOMERS.c.id == bindparam("customer_id"))


@dataclass(frozen=True)
class Buyer:
    """Who is shopping, as eligibility sees them (None: not known)."""

    customer_type: str | None = None
    zip_code: str | None = None
    existing_lines: int | None = None

    def may_buy(self, offer: Row) -> bool:
        return rules.eligibility(
            offer.eligibility,
            zip_code=self.zip_code,
            customer_type=self.customer_type,
            existing_lines=self.existing_lines,
        ).eligible


# A signed-in prospect (no customer record yet) becomes a consumer customer without an
# address or lines with its first order.
PROSPECT = Buyer(customer_type="consumer", zip_code=None, existing_lines=0)


def buyer(session: Session, *, customer_id: str | None) -> Buyer:
    """The signed-in customer's eligibility facts; a prospect's when there is no record."""
    if customer_id is None:
        return PROSPECT
    facts = session.execute(_CUSTOMER_FACTS, {"customer_id": customer_id}).first()
    if facts is None:
        return PROSPECT
    return Buyer(facts.type, facts.zip_code, facts.existing_lines)


def existing_lines(session: Session, *, customer_id: str) -> int:
    """How many lines the customer already has (cancelled ones aside)."""
    return session.execute(_EXISTING_LINES, {"customer_id": customer_id}).scalar_one()


def list_offers(
    session: Session,
    *,
    category: str | None,
    zip_code: str | None,
    customer_type: str | None,
    limit: int,
    offset: int,
    caller: Buyer | None = None,
) -> tuple[list[Row], int]:
    """Active offers, filtered by category and eligibility, one page of them and the total.

    The explicit filters (`zip_code`, `customer_type`) and the caller's own facts both
    apply: a filter narrows what the caller may buy, it never widens it."""
    rows = (
        session.execute(_ACTIVE_IN_CATEGORY, {"category": category})
        if category
        else session.execute(_ACTIVE)
    )
    asked = Buyer(customer_type=customer_type, zip_code=zip_code)
    offers = [
        offer
        for offer in rows
        if asked.may_buy(offer) and (caller is None or caller.may_buy(offer))
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
        # The TMF620 lifecycle status follows `active` (catalog/offerings.py): a file's
        # active offer is launched; an inactive one keeps a status other than launched.
        if offer.active:
            offer.lifecycle_status = "Launched"
        elif offer.lifecycle_status in (None, "Launched"):
            offer.lifecycle_status = "Retired"
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
