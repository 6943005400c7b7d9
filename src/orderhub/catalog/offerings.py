"""Consumer offers managed as TMF620 product offerings (docs/tmf.md, "Product catalog").

An offering is a row of `offers` with a lifecycle status; only a "Launched" one is sold,
and `active` is kept equal to `lifecycle_status == "Launched"` in every write here, so
the channels that filter by `active` need to know nothing of it. An offering is given as
a catalog file's offer (camelCase keys, data_files.Offer) and checked like one. Every
change publishes a `catalog.*` event for operations (webhooks/tmf_events.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Row, bindparam, delete, exists, insert, select, update
from sqlalchemy.orm import Session

from orderhub import data_files
from orderhub.business_catalog.models import BusinessProduct
from orderhub.catalog import rules
from orderhub.catalog.models import Offer
from orderhub.errors import Conflict, FieldProblem, NotFound, ValidationFailed
from orderhub.ids import new_id, utcnow
from orderhub.lifecycle import Lifecycle
from orderhub.onboarding import catalog as onboarding_catalog
from orderhub.onboarding.models import ServiceType
from orderhub.orders.models import OrderItem
from orderhub.webhooks import service as webhooks
from orderhub.webhooks.rules import OPERATIONS


class OfferingStatus(StrEnum):
    IN_STUDY = "In study"
    IN_DESIGN = "In design"
    IN_TEST = "In test"
    LAUNCHED = "Launched"
    RETIRED = "Retired"
    OBSOLETE = "Obsolete"
    REJECTED = "Rejected"


S = OfferingStatus
LIFECYCLE = Lifecycle(
    S,
    {
        S.IN_STUDY: (S.IN_DESIGN, S.REJECTED),
        S.IN_DESIGN: (S.IN_TEST, S.LAUNCHED, S.REJECTED),
        S.IN_TEST: (S.IN_DESIGN, S.LAUNCHED, S.REJECTED),
        S.LAUNCHED: (S.RETIRED,),
        S.RETIRED: (S.LAUNCHED, S.OBSOLETE),
    },
    subject="An offering",
)
# What an offering may be created as: anything before its end of life.
INITIAL = (S.IN_STUDY, S.IN_DESIGN, S.IN_TEST, S.LAUNCHED)
SOLD = S.LAUNCHED


class OfferingNotFound(NotFound):
    code = "offering_not_found"
    title = "No such product offering"


class OfferingInUse(Conflict):
    code = "offering_in_use"
    title = "The product offering cannot be deleted"


OFFERS = Offer.__table__
ITEMS = OrderItem.__table__
PRODUCTS = BusinessProduct.__table__
SERVICE_TYPES = ServiceType.__table__
_ALL_OFFERS = select(OFFERS).order_by(OFFERS.c.sort_order, OFFERS.c.id)
_ALL_PRODUCTS = select(PRODUCTS).order_by(PRODUCTS.c.sort_order, PRODUCTS.c.id)
_ALL_TYPES = select(SERVICE_TYPES).order_by(SERVICE_TYPES.c.id)
_OFFER = select(OFFERS).where(OFFERS.c.id == bindparam("b_id"))
_ORDERED = select(exists().where(ITEMS.c.offer_id == bindparam("b_id")))
_INSERT = insert(OFFERS)
# A writer first claims the row (a no-op UPDATE: on PostgreSQL it takes the row lock, and
# a second writer waits there and then reads the first one's result; SQLite's writers
# hold the database's write lock already). Every change is computed from the claimed row,
# so two concurrent PATCHes of one offering both land, one after the other.
_CLAIM = (
    update(OFFERS)
    .where(OFFERS.c.id == bindparam("b_id"))
    .values(updated_at=OFFERS.c.updated_at)
    .returning(*OFFERS.c)
)
_UPDATE = update(OFFERS).where(OFFERS.c.id == bindparam("b_id"))
_DELETE = delete(OFFERS).where(OFFERS.c.id == bindparam("b_id"))


@dataclass(frozen=True)
class Sources:
    """Everything the TMF catalog shows: consumer offers (all statuses), business
    products (active or not) and the onboarding packages and service types."""

    offers: list[Row]
    products: list[Row]
    packages: list[Row]
    service_types: list[Row]


def sources(session: Session) -> Sources:
    """The three catalogs as they are now (four small reads)."""
    return Sources(
        offers=list(session.execute(_ALL_OFFERS)),
        products=list(session.execute(_ALL_PRODUCTS)),
        packages=onboarding_catalog.packages(session),
        service_types=list(session.execute(_ALL_TYPES)),
    )


def status_of(raw: str, *, field: str = "lifecycleStatus") -> OfferingStatus:
    """The status a caller named, or 400 listing the known ones."""
    try:
        return OfferingStatus(raw)
    except ValueError:
        known = ", ".join(f"'{s}'" for s in OfferingStatus)
        raise ValidationFailed.one(
            field, "lifecycle_status", f"'{raw[:40]}' is not a lifecycle status; use {known}."
        ) from None


def _file_offer(row: Row) -> dict[str, Any]:
    """A stored offer as a catalog file's offer."""
    return {
        "id": row.id,
        "name": row.name,
        "category": row.category,
        "description": row.description,
        "currency": row.currency,
        "monthlyCents": row.monthly_cents,
        "oneTimeCents": row.one_time_cents,
        "lines": row.lines,
        "eligibility": row.eligibility,
        "promotions": row.promotions,
        "attributes": row.attributes,
        "sortOrder": row.sort_order,
    }


_PLAIN = {"missing": "Missing.", "extra_forbidden": "Unknown attribute."}


def checked(offer: dict[str, Any]) -> dict[str, Any]:
    """The offer checked as a catalog file's offer is (data_files.Offer, the categories of
    catalog/rules.py), as the columns it is stored in; 400 naming each problem."""
    try:
        shape = data_files.Offer.model_validate(offer)
    except ValidationError as exc:
        problems = [
            FieldProblem(
                ".".join(str(p) for p in e["loc"]) or "body",
                e["type"],
                _PLAIN.get(e["type"], e["msg"]),
            )
            for e in exc.errors(include_url=False, include_input=False, include_context=False)
        ]
        raise ValidationFailed("The product offering is not valid.", errors=problems) from None
    if not shape.name.strip():
        raise ValidationFailed.one("name", "blank", "An offering's name is not only spaces.")
    if shape.category not in rules.CATEGORIES:
        raise ValidationFailed.one(
            "category",
            "unknown_category",
            f"'{shape.category}' is not a category; use one of {', '.join(rules.CATEGORIES)}.",
        )
    # As a file's offer: no `lines` is 1 for a plan, else none.
    lines = shape.lines if "lines" in offer else (1 if shape.category == "plan" else 0)
    return {
        "name": shape.name,
        "category": shape.category,
        "description": shape.description,
        "currency": shape.currency,
        "monthly_cents": shape.monthly_cents,
        "one_time_cents": shape.one_time_cents,
        "lines": lines,
        "eligibility": shape.eligibility.model_dump(by_alias=True, exclude_defaults=True),
        "promotions": [p.model_dump(by_alias=True, exclude_none=True) for p in shape.promotions],
        "attributes": shape.attributes,
        "sort_order": shape.sort_order,
    }


def _event(data: dict[str, Any]) -> dict[str, Any]:
    return {"lifecycleStatus": data["lifecycle_status"], "name": data["name"]}


def get(session: Session, *, offer_id: str) -> Row:
    found = session.execute(_OFFER, {"b_id": offer_id}).first()
    if found is None:
        raise OfferingNotFound(f"No product offering '{offer_id}'.")
    return found


def claim(session: Session, *, offer_id: str) -> Row:
    """The offering, locked for the rest of this transaction (404 when there is none)."""
    found = session.execute(_CLAIM, {"b_id": offer_id}).first()
    if found is None:
        raise OfferingNotFound(f"No product offering '{offer_id}'.")
    return found


def create(session: Session, *, offer: dict[str, Any], status: str | None) -> Row:
    """A new consumer offer from a catalog file's offer (its id is made here), created
    "In design" unless another initial status is named."""
    initial = status_of(status) if status is not None else S.IN_DESIGN
    if initial not in INITIAL:
        raise ValidationFailed.one(
            "lifecycleStatus",
            "initial_status",
            f"An offering is created as one of {', '.join(INITIAL)}, not '{initial}'.",
        )
    offer_id = new_id("off")
    values = checked({**offer, "id": offer_id}) | {
        "id": offer_id,
        "lifecycle_status": str(initial),
        "active": initial == SOLD,
        "updated_at": utcnow(),
    }
    session.execute(_INSERT, values)
    webhooks.publish(
        session,
        owner=OPERATIONS,
        type="catalog.offering_created",
        subject=offer_id,
        data=_event(values),
    )
    return get(session, offer_id=offer_id)


def change(session: Session, *, offer_id: str, changes: dict[str, Any], status: str | None) -> Row:
    """Change an offering: any of a catalog file offer's attributes (`changes`, checked
    with the rest as one offer) and its status (a move of LIFECYCLE). Publishes
    `catalog.offering_changed` when attributes changed, `catalog.offering_state_changed`
    when the status moved."""
    current = claim(session, offer_id=offer_id)
    before = _file_offer(current)
    values = checked(before | changes)
    target = current.lifecycle_status
    if status is not None and status_of(status) != current.lifecycle_status:
        target = str(LIFECYCLE.check(current.lifecycle_status, status))
    changed = any(values[k] != getattr(current, k) for k in values)
    moved = target != current.lifecycle_status
    if not changed and not moved:
        return current
    row = values | {"lifecycle_status": target, "active": target == SOLD, "updated_at": utcnow()}
    session.execute(_UPDATE.values(**row), {"b_id": offer_id})
    data = _event(row)
    if changed:
        webhooks.publish(
            session, owner=OPERATIONS, type="catalog.offering_changed", subject=offer_id, data=data
        )
    if moved:
        webhooks.publish(
            session,
            owner=OPERATIONS,
            type="catalog.offering_state_changed",
            subject=offer_id,
            data=data,
        )
    return get(session, offer_id=offer_id)


def remove(session: Session, *, offer_id: str) -> None:
    """Delete an offering that is not launched and was never ordered (an order's items
    keep pointing at their offer); 409 otherwise."""
    current = claim(session, offer_id=offer_id)
    if current.lifecycle_status == SOLD:
        raise OfferingInUse(
            f"Product offering '{offer_id}' is launched: retire it before deleting it.",
            extra={"lifecycleStatus": current.lifecycle_status},
        )
    if session.execute(_ORDERED, {"b_id": offer_id}).scalar_one():
        raise OfferingInUse(
            f"Product offering '{offer_id}' has been ordered, so it stays; retire it or "
            "make it obsolete instead.",
            extra={"lifecycleStatus": current.lifecycle_status},
        )
    session.execute(_DELETE, {"b_id": offer_id})
    webhooks.publish(
        session,
        owner=OPERATIONS,
        type="catalog.offering_deleted",
        subject=offer_id,
        data={"name": current.name},
    )
