"""Creating and reading orders, and the event trail every change writes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from orderhub.catalog import rules as catalog_rules
from orderhub.catalog import service as catalog
from orderhub.customers import service as customers
from orderhub.customers.models import Customer
from orderhub.db import serialize_on
from orderhub.errors import FieldProblem, Forbidden, NotFound, ValidationFailed
from orderhub.identity.tokens import Principal
from orderhub.ids import new_id, utcnow
from orderhub.orders import rules
from orderhub.orders.models import Order, OrderEvent, OrderItem
from orderhub.orders.states import OrderStatus


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


def record_event(
    session: Session, *, order_id: str, type: str, actor: str, data: dict[str, Any] | None = None
) -> None:
    """Append one row to the order's audit trail (same transaction as the change)."""
    session.add(
        OrderEvent(order_id=order_id, type=type, actor=actor, data=data or {}, created_at=utcnow())
    )


def caller_customer_id(session: Session, principal: Principal) -> str | None:
    """The caller's customer id; a prospect has one once its first order created it."""
    if principal.customer_id:
        return principal.customer_id
    customer = customers.find_by_identifier(session, principal.identifier)
    return customer.id if customer else None


def get_for_caller(
    session: Session, *, order_id: str, principal: Principal, for_update: bool = False
) -> Order:
    """The order if the caller owns it; anybody else's order does not exist (404).

    `for_update` locks the order row (PostgreSQL) so that concurrent changes to one
    order, such as two submits, run one after the other and see each other's result.
    """
    order = session.get(Order, order_id, with_for_update=for_update)
    if order is None or order.customer_id != caller_customer_id(session, principal):
        raise OrderNotFound(f"No order '{order_id}' was found.")
    return order


def list_for_caller(
    session: Session, *, principal: Principal, status: str | None, limit: int, offset: int
) -> list[Order]:
    customer_id = caller_customer_id(session, principal)
    if customer_id is None:
        return []
    stmt = select(Order).where(Order.customer_id == customer_id)
    if status:
        stmt = stmt.where(Order.status == status)
    stmt = stmt.order_by(Order.created_at.desc(), Order.id).limit(limit).offset(offset)
    return list(session.scalars(stmt))


def events_of(session: Session, *, order_id: str) -> list[OrderEvent]:
    return list(
        session.scalars(
            select(OrderEvent).where(OrderEvent.order_id == order_id).order_by(OrderEvent.id)
        )
    )


def create(
    session: Session,
    *,
    principal: Principal,
    customer_id: str | None,
    new_customer: NewCustomer | None,
    items: list[ItemRequest],
) -> Order:
    """A draft order (the cart) for the caller, priced from the catalog."""
    customer = _ordering_customer(session, principal, customer_id, new_customer)
    offers = catalog.get_offers(session, offer_ids=[i.offer_id for i in items])
    zip_code = customer.addresses[0].zip_code if customer.addresses else None
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
            offer.eligibility, zip_code=zip_code, customer_type=customer.type
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

    now = utcnow()
    order = Order(
        id=new_id("ord"),
        customer_id=customer.id,
        channel="direct",
        status=OrderStatus.DRAFT,
        currency="USD",
        created_at=now,
        updated_at=now,
    )
    order.items = []
    for position, item in enumerate(items):
        offer = offers[item.offer_id]
        promotion = catalog_rules.best_promotion(offer.promotions)
        order.items.append(
            OrderItem(
                id=new_id("itm"),
                position=position,
                offer_id=offer.id,
                name=offer.name,
                category=offer.category,
                quantity=item.quantity,
                lines_per_unit=offer.lines,
                unit_monthly_cents=offer.monthly_cents,
                unit_one_time_cents=offer.one_time_cents,
                monthly_discount_cents=rules.monthly_discount(
                    monthly_cents=offer.monthly_cents, promotion=promotion
                ),
                promotion_id=promotion["id"] if promotion else None,
            )
        )
    order.monthly_cents, order.one_time_cents = rules.order_totals(
        [
            (i.quantity, i.unit_monthly_cents, i.monthly_discount_cents, i.unit_one_time_cents)
            for i in order.items
        ]
    )
    session.add(order)
    # Events point at the order without an ORM relationship, so nothing else would make
    # the unit of work insert the order first.
    session.flush()
    record_event(
        session,
        order_id=order.id,
        type="order.created",
        actor=principal.subject,
        data={"items": [{"offerId": i.offer_id, "quantity": i.quantity} for i in items]},
    )
    return order


def _ordering_customer(
    session: Session, principal: Principal, customer_id: str | None, new: NewCustomer | None
) -> Customer:
    """The customer the order is for: the caller, or a new one a prospect creates."""
    own_id = caller_customer_id(session, principal)
    if own_id is not None:
        if customer_id is not None and customer_id != own_id:
            # Naming somebody else's id must not reveal that it exists.
            raise customers.CustomerNotFound(f"No customer '{customer_id}' was found.")
        customer = customers.get(session, customer_id=own_id)
        assert customer is not None
        return customer
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
    existing = customers.find_by_identifier(session, principal.identifier)
    if existing is not None:
        return existing
    customer = customers.create(
        session,
        first_name=new.first_name,
        last_name=new.last_name,
        email=verified_email,
        phone=verified_phone,
    )
    session.flush()
    return customer
