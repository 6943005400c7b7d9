"""Creating and reading orders, and the event trail every change writes.

Hot path: these functions run SQLAlchemy Core statements built once at import, with
bind parameters. Building and cache-keying a statement costs more than running it, and
ORM identity-map loads cost four times a Core read (docs/performance.md). They return
`Row`s, read by attribute like the mapped classes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row, bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from orderhub.catalog import rules as catalog_rules
from orderhub.catalog import service as catalog
from orderhub.customers import service as customers
from orderhub.db import serialize_on
from orderhub.errors import FieldProblem, Forbidden, NotFound, ValidationFailed
from orderhub.identity.tokens import Principal
from orderhub.ids import new_id, utcnow
from orderhub.ledger import service as ledger
from orderhub.ledger.models import Order
from orderhub.ledger.states import Channel, common_state
from orderhub.orders import rules
from orderhub.orders.models import OrderItem
from orderhub.orders.states import OrderStatus

ORDERS = Order.__table__
ITEMS = OrderItem.__table__

# Bind names differ from column names: update() reserves those for its SET clause.
_OWNED = (ORDERS.c.id == bindparam("order_id"), ORDERS.c.customer_id == bindparam("b_customer"))
_OWN_ORDER = select(ORDERS).where(*_OWNED)
# Every change to an order moves its updated_at; doing that first takes the row lock
# (PostgreSQL), so concurrent changes to one order, such as two submits, run one after
# the other and each sees the result of the one before.
_CLAIM_OWN_ORDER = (
    update(ORDERS).where(*_OWNED).values(updated_at=bindparam("now")).returning(*ORDERS.c)
)
_LOCK_ANY_ORDER = select(ORDERS).where(ORDERS.c.id == bindparam("order_id")).with_for_update()
_ITEMS_OF = (
    select(*ITEMS.c, (ITEMS.c.lines_per_unit * ITEMS.c.quantity).label("lines"))
    .where(ITEMS.c.order_id == bindparam("order_id"))
    .order_by(ITEMS.c.position)
)
_LINES_OF = select(func.coalesce(func.sum(ITEMS.c.lines_per_unit * ITEMS.c.quantity), 0)).where(
    ITEMS.c.order_id == bindparam("order_id")
)
_INSERT_ORDER = insert(ORDERS)
_INSERT_ITEMS = insert(ITEMS)


@dataclass(frozen=True)
class ItemRequest:
    offer_id: str
    quantity: int


@dataclass(frozen=True)
class NewCustomer:
    first_name: str
    last_name: str
    email: str | None
    phone: str | None


class OrderNotFound(NotFound):
    code = "order_not_found"
    title = "Order not found"


def caller_customer_id(session: Session, principal: Principal) -> str | None:
    """The caller's customer id; a prospect has one once its first order created it."""
    if principal.customer_id:
        return principal.customer_id
    return customers.id_by_identifier(session, principal.identifier)


def get_for_caller(session: Session, *, order_id: str, principal: Principal) -> Row:
    """The order if the caller owns it; anybody else's order does not exist (404)."""
    return _owned(session, _OWN_ORDER, order_id, principal, {})


def claim_for_change(
    session: Session, *, order_id: str, principal: Principal, now: datetime | None = None
) -> Row:
    """The caller's order, locked for this transaction and touched (updated_at = now)."""
    return _owned(session, _CLAIM_OWN_ORDER, order_id, principal, {"now": now or utcnow()})


def lock_for_operator(session: Session, *, order_id: str) -> Row | None:
    """Any order, locked for this transaction: operations act on every customer's orders."""
    return session.execute(_LOCK_ANY_ORDER, {"order_id": order_id}).first()


def _owned(
    session: Session, stmt: Any, order_id: str, principal: Principal, params: dict[str, Any]
) -> Row:
    customer_id = caller_customer_id(session, principal)
    order = (
        session.execute(stmt, {"order_id": order_id, "b_customer": customer_id} | params).first()
        if customer_id is not None
        else None
    )
    if order is None:
        raise OrderNotFound(f"No order '{order_id}' was found.")
    return order


def items_of(session: Session, *, order_id: str) -> list[Row]:
    """The order's items in cart order; each row also has `lines` (per unit times quantity)."""
    return list(session.execute(_ITEMS_OF, {"order_id": order_id}))


def lines_of(session: Session, *, order_id: str) -> int:
    """How many phone lines the order's items add up to."""
    return session.execute(_LINES_OF, {"order_id": order_id}).scalar_one()


def list_for_caller(
    session: Session, *, principal: Principal, status: str | None, limit: int, offset: int
) -> list[Row]:
    customer_id = caller_customer_id(session, principal)
    if customer_id is None:
        return []
    stmt = select(ORDERS).where(ORDERS.c.customer_id == customer_id)
    if status:
        stmt = stmt.where(ORDERS.c.status == status)
    stmt = stmt.order_by(ORDERS.c.created_at.desc(), ORDERS.c.id).limit(limit).offset(offset)
    return list(session.execute(stmt))


def create(
    session: Session,
    *,
    principal: Principal,
    customer_id: str | None,
    new_customer: NewCustomer | None,
    items: list[ItemRequest],
    actor: str | None = None,
) -> str:
    """A draft order (the cart) for the caller, priced from the catalog; returns its id.
    `actor` is who created it, when not the caller (operations placing it for them)."""
    customer = _ordering_customer(session, principal, customer_id, new_customer)
    offers = catalog.get_offers(session, offer_ids=[i.offer_id for i in items])
    # Counted only when an offer asks: no statement for the usual cart.
    lines = (
        catalog.existing_lines(session, customer_id=customer.id)
        if any(catalog_rules.needs_existing_lines(o.eligibility) for o in offers.values())
        else None
    )
    problems = []
    for index, item in enumerate(items):
        offer = offers.get(item.offer_id)
        if offer is None or not offer.active:
            problems.append(
                FieldProblem(
                    f"items.{index}.offerId", "unknown_offer", f"No active offer '{item.offer_id}'."
                )
            )
            continue
        verdict = catalog_rules.eligibility(
            offer.eligibility,
            zip_code=customer.zip_code,
            customer_type=customer.type,
            existing_lines=lines,
        )
        if not verdict.eligible:
            problems.append(
                FieldProblem(
                    f"items.{index}.offerId",
                    "not_eligible",
                    f"Offer '{offer.id}' is {verdict.reason}.",
                )
            )
    if problems:
        raise ValidationFailed("Some items cannot be ordered.", errors=problems)

    order_id = new_id("ord")
    rows = []
    for position, item in enumerate(items):
        offer = offers[item.offer_id]
        promotion = catalog_rules.best_promotion(offer.promotions)
        rows.append(
            {
                "id": new_id("itm"),
                "order_id": order_id,
                "position": position,
                "offer_id": offer.id,
                "name": offer.name,
                "category": offer.category,
                "quantity": item.quantity,
                "lines_per_unit": offer.lines,
                "unit_monthly_cents": offer.monthly_cents,
                "unit_one_time_cents": offer.one_time_cents,
                "monthly_discount_cents": rules.monthly_discount(
                    monthly_cents=offer.monthly_cents, promotion=promotion
                ),
                "promotion_id": promotion["id"] if promotion else None,
            }
        )
    monthly, one_time = rules.order_totals(
        [
            (
                r["quantity"],
                r["unit_monthly_cents"],
                r["monthly_discount_cents"],
                r["unit_one_time_cents"],
            )
            for r in rows
        ]
    )
    now = utcnow()
    session.execute(
        _INSERT_ORDER,
        {
            "id": order_id,
            "customer_id": customer.id,
            "channel": Channel.DIRECT,
            # The order is its ledger row: whose it is, and whom it is for.
            "owner": f"customer:{customer.id}",
            "party_kind": "customer",
            "party_id": customer.id,
            "status": OrderStatus.DRAFT,
            "state": common_state(Channel.DIRECT, OrderStatus.DRAFT),
            "requested_date": None,
            "completed_at": None,
            "currency": "USD",
            "monthly_cents": monthly,
            "one_time_cents": one_time,
            "confirmation_number": None,
            "created_at": now,
            "updated_at": now,
            "submitted_at": None,
        },
    )
    session.execute(_INSERT_ITEMS, rows)
    ledger.announce_opened(
        session,
        order_id=order_id,
        channel=Channel.DIRECT,
        owner=f"customer:{customer.id}",
        status=OrderStatus.DRAFT,
        at=now,
    )
    ledger.record(
        session,
        order_id=order_id,
        type="order.created",
        actor=actor or principal.subject,
        data={"items": [{"offerId": i.offer_id, "quantity": i.quantity} for i in items]},
    )
    return order_id


def _ordering_customer(
    session: Session, principal: Principal, customer_id: str | None, new: NewCustomer | None
) -> Row:
    """The customer the order is for (id, type, zip_code): the caller, or a new one a
    prospect creates."""
    own_id = caller_customer_id(session, principal)
    if own_id is not None:
        if customer_id is not None and customer_id != own_id:
            # Naming somebody else's id must not reveal that it exists.
            raise customers.CustomerNotFound(f"No customer '{customer_id}' was found.")
        return customers.ordering_facts(session, customer_id=own_id)
    if customer_id is not None:
        raise customers.CustomerNotFound(f"No customer '{customer_id}' was found.")
    if new is None:
        raise ValidationFailed.one(
            "customer",
            "required_for_prospect",
            "A new customer must give 'customer' (firstName, lastName, email, phone).",
        )
    # The verified identifier must be the new customer's own phone or e-mail.
    if principal.identifier not in (new.email, new.phone):
        raise Forbidden(
            "The new customer's phone or e-mail must be the one you signed in with.",
            code="identifier_mismatch",
        )
    # Only the verified one is kept: the other is unproven, and whoever signs in with it
    # later would land in this customer's record (a takeover of a stranger's phone).
    verified_email = new.email if principal.identifier == new.email else None
    verified_phone = new.phone if principal.identifier == new.phone else None
    # Two first orders of one prospect at once must not both create the customer.
    serialize_on(session, f"customer:{principal.identifier}")
    existing = customers.id_by_identifier(session, principal.identifier)
    if existing is None:
        existing = customers.create(
            session,
            first_name=new.first_name,
            last_name=new.last_name,
            email=verified_email,
            phone=verified_phone,
        )
    return customers.ordering_facts(session, customer_id=existing)
