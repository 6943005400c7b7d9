"""Customer lookup and creation."""

from __future__ import annotations

import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from orderhub.customers.models import Account, Customer
from orderhub.errors import NotFound
from orderhub.ids import new_id, utcnow


class CustomerNotFound(NotFound):
    code = "customer_not_found"
    title = "No customer found"


def get(session: Session, *, customer_id: str) -> Customer | None:
    """One customer (accounts and addresses load when touched)."""
    return session.get(Customer, customer_id)


def find_by_identifier(session: Session, identifier: str) -> Customer | None:
    """The customer whose normalized phone or e-mail this is."""
    column = Customer.email if "@" in identifier else Customer.phone
    return session.scalar(select(Customer).where(column == identifier))


def find(
    session: Session, *, phone: str | None, email: str | None, customer_id: str | None
) -> list[Customer]:
    """Customers matching every given (normalized) criterion, with accounts and addresses."""
    stmt = select(Customer).options(
        selectinload(Customer.accounts), selectinload(Customer.addresses)
    )
    if phone:
        stmt = stmt.where(Customer.phone == phone)
    if email:
        stmt = stmt.where(Customer.email == email)
    if customer_id:
        stmt = stmt.where(Customer.id == customer_id)
    return list(session.scalars(stmt.order_by(Customer.id).limit(50)))


def create(
    session: Session,
    *,
    first_name: str,
    last_name: str,
    email: str | None,
    phone: str | None,
    customer_type: str = "consumer",
) -> Customer:
    """A new customer with one wireless account."""
    now = utcnow()
    customer = Customer(
        id=new_id("cus"),
        type=customer_type,
        first_name=first_name,
        last_name=last_name,
        email=email,
        phone=phone,
        created_at=now,
    )
    customer.accounts = [
        Account(id=new_id("acc"), number=_account_number(), type="wireless", created_at=now)
    ]
    customer.addresses = []
    session.add(customer)
    return customer


def _account_number() -> str:
    return "9" + "".join(str(secrets.randbelow(10)) for _ in range(11))
