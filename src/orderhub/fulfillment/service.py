"""Fulfillment of an order: how it reaches the customer, who to contact, the terms accepted."""

from __future__ import annotations

from dataclasses import asdict
from datetime import timedelta
from typing import Any

from sqlalchemy import Row, bindparam, insert, select, update
from sqlalchemy.orm import Session

from orderhub import contacts
from orderhub.adapters.postal import PostalAddress, PostalValidator
from orderhub.errors import Conflict, FieldProblem, ValidationFailed
from orderhub.fulfillment.models import Fulfillment, Store
from orderhub.ids import utcnow
from orderhub.ledger import service as ledger
from orderhub.orders.states import require_draft

LATEST_REQUESTED_DAYS = 90

FULFILLMENTS = Fulfillment.__table__
STORES = Store.__table__
_OF_ORDER = select(FULFILLMENTS).where(FULFILLMENTS.c.order_id == bindparam("order_id"))
_INSERT = insert(FULFILLMENTS).returning(*FULFILLMENTS.c)
# SET takes every column passed as a parameter: the service rewrites the whole record.
_REWRITE = (
    update(FULFILLMENTS)
    .where(FULFILLMENTS.c.order_id == bindparam("key"))
    .returning(*FULFILLMENTS.c)
)
_STORE_EXISTS = select(STORES.c.id).where(STORES.c.id == bindparam("store_id"))
_STORES = select(STORES).order_by(STORES.c.id)


def list_stores(session: Session) -> list[Row]:
    """The stores an order can be picked up from, by id."""
    return list(session.execute(_STORES))


def get(session: Session, *, order_id: str) -> Row | None:
    return session.execute(_OF_ORDER, {"order_id": order_id}).first()


def create(
    session: Session,
    *,
    order: Row,
    changes: dict[str, Any],
    postal: PostalValidator,
    terms_version: str,
    actor: str,
) -> Row:
    """Set up fulfillment once; later changes go through `update`."""
    require_draft(order.status)
    if get(session, order_id=order.id) is not None:
        raise Conflict(
            "The order already has a fulfillment; change it with PATCH.",
            code="fulfillment_exists",
            title="Fulfillment exists",
        )
    now = utcnow()
    record = {c.name: None for c in FULFILLMENTS.c} | {
        "order_id": order.id,
        "created_at": now,
        "updated_at": now,
        "address_problems": [],
    }
    _apply(session, record, changes, postal, terms_version)
    fulfillment = session.execute(_INSERT, record).one()
    ledger.record(
        session,
        order_id=order.id,
        type="fulfillment.created",
        actor=actor,
        data=_event_data(fulfillment, changes),
    )
    return fulfillment


def update(
    session: Session,
    *,
    order: Row,
    changes: dict[str, Any],
    postal: PostalValidator,
    terms_version: str,
    actor: str,
) -> Row:
    """Change part of the fulfillment; the result is checked as a whole."""
    require_draft(order.status)
    existing = get(session, order_id=order.id)
    if existing is None:
        raise Conflict(
            "The order has no fulfillment yet; create it with POST.",
            code="fulfillment_missing",
            title="Fulfillment missing",
        )
    record = dict(existing._mapping)
    del record["order_id"]
    _apply(session, record, changes, postal, terms_version)
    record["updated_at"] = utcnow()
    fulfillment = session.execute(_REWRITE, {"key": order.id} | record).one()
    ledger.record(
        session,
        order_id=order.id,
        type="fulfillment.updated",
        actor=actor,
        data=_event_data(fulfillment, changes),
    )
    return fulfillment


# Wire names of the fields a client sets directly, and their columns.
_PLAIN_FIELDS = {
    "method": "method",
    "storeId": "store_id",
    "contact": "contact",
    "requestedDate": "requested_date",
}


def _apply(
    session: Session,
    f: dict[str, Any],
    changes: dict[str, Any],
    postal: PostalValidator,
    terms_version: str,
) -> None:
    """Apply the changes to the record (a dict of columns) and check the result."""
    for field, column in _PLAIN_FIELDS.items():
        if field in changes:
            f[column] = changes[field]
    contact_problems: list[FieldProblem] = []
    if changes.get("contact") is not None:
        f["contact"], contact_problems = _checked_contact(changes["contact"])
    if "shippingAddress" in changes:
        f["shipping_address"] = changes["shippingAddress"]
        _validate_address(f, postal)
    if "termsAndConditions" in changes:
        terms = changes["termsAndConditions"]
        if terms is None or not terms["accepted"]:
            f["terms_version"], f["terms_accepted_at"] = None, None
        else:
            f["terms_version"], f["terms_accepted_at"] = terms["version"], utcnow()
    problems = _problems(session, f, changes, terms_version) + contact_problems
    if problems:
        raise ValidationFailed("The fulfillment is not valid.", errors=problems)


def _problems(
    session: Session, f: dict[str, Any], changes: dict[str, Any], terms_version: str
) -> list[FieldProblem]:
    problems = []
    if f["method"] == "shipping" and not f["shipping_address"]:
        problems.append(
            FieldProblem(
                "shippingAddress", "required_for_shipping", "Shipping needs a shipping address."
            )
        )
    if f["method"] == "storePickup" and not f["store_id"]:
        problems.append(
            FieldProblem("storeId", "required_for_pickup", "Store pickup needs a storeId.")
        )
    store_id = f["store_id"]
    if store_id and session.execute(_STORE_EXISTS, {"store_id": store_id}).first() is None:
        problems.append(FieldProblem("storeId", "unknown_store", f"No store '{store_id}'."))
    today = utcnow().date()
    if (
        "requestedDate" in changes
        and f["requested_date"] is not None
        and not (today <= f["requested_date"] <= today + timedelta(days=LATEST_REQUESTED_DAYS))
    ):
        problems.append(
            FieldProblem(
                "requestedDate",
                "date_window",
                f"The requested date must be between today and {LATEST_REQUESTED_DAYS} days ahead.",
            )
        )
    if f["terms_accepted_at"] is not None and f["terms_version"] != terms_version:
        problems.append(
            FieldProblem(
                "termsAndConditions.version",
                "current_version",
                f"Accept the current terms version, {terms_version}.",
            )
        )
    return problems


def _checked_contact(contact: dict[str, Any]) -> tuple[dict[str, Any], list[FieldProblem]]:
    """The contact with its e-mail and phone as stored (lower-cased, ten digits), like the
    customer's own, and a problem for each that is not one (orderhub/contacts.py)."""
    found = contacts.check_contact(
        email=contact.get("email"), phone=contact.get("phone"), at="contact"
    )
    stored = {"email": found.email, "phone": found.phone}
    return contact | {k: v for k, v in stored.items() if contact.get(k)}, found.problems


def _validate_address(f: dict[str, Any], postal: PostalValidator) -> None:
    raw = f["shipping_address"]
    if raw is None:
        f["address_valid"], f["standardized_address"], f["address_problems"] = None, None, []
        return
    result = postal.validate(
        PostalAddress(
            address_line1=raw["addressLine1"],
            address_line2=raw.get("addressLine2"),
            city=raw["city"],
            state=raw["state"],
            zip_code=raw["zipCode"],
        )
    )
    f["address_valid"] = result.valid
    f["standardized_address"] = (
        {
            "addressLine1": result.standardized.address_line1,
            "addressLine2": result.standardized.address_line2,
            "city": result.standardized.city,
            "state": result.standardized.state,
            "zipCode": result.standardized.zip_code,
        }
        if result.standardized
        else None
    )
    f["address_problems"] = [asdict(p) for p in result.problems]


def _event_data(f: Row, changes: dict[str, Any]) -> dict[str, Any]:
    # Field names only: addresses and contacts are personal data the trail needn't copy.
    return {"fields": sorted(changes), "method": f.method, "addressValid": f.address_valid}
