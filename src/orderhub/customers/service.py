"""Customer lookup and creation (Core statements built once; see orders/service.py)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import Row, bindparam, insert, select
from sqlalchemy.orm import Session

from orderhub.customers.models import Account, Address, Customer
from orderhub.errors import NotFound
from orderhub.ids import new_id, utcnow

CUSTOMERS = Customer.__table__
ACCOUNTS = Account.__table__
ADDRESSES = Address.__table__

_ID_BY_EMAIL = select(CUSTOMERS.c.id).where(CUSTOMERS.c.email == bindparam("identifier"))
_ID_BY_PHONE = select(CUSTOMERS.c.id).where(CUSTOMERS.c.phone == bindparam("identifier"))
_CUSTOMER = select(CUSTOMERS).where(CUSTOMERS.c.id == bindparam("customer_id"))
# What ordering needs to know: who, which kind, and where (eligibility goes by ZIP).
_ORDERING_FACTS = select(
    CUSTOMERS.c.id,
    CUSTOMERS.c.type,
    select(ADDRESSES.c.zip_code)
    .where(ADDRESSES.c.customer_id == CUSTOMERS.c.id)
    .order_by(ADDRESSES.c.kind)
    .limit(1)
    .scalar_subquery()
    .label("zip_code"),
).where(CUSTOMERS.c.id == bindparam("customer_id"))
_ACCOUNTS_OF = (
    select(ACCOUNTS)
    .where(ACCOUNTS.c.customer_id == bindparam("customer_id"))
    .order_by(ACCOUNTS.c.created_at)
)
_ADDRESSES_OF = (
    select(ADDRESSES)
    .where(ADDRESSES.c.customer_id == bindparam("customer_id"))
    .order_by(ADDRESSES.c.kind)
)
# The account a consumer's lines are billed to: their first (wireless) account.
_BILLING_ACCOUNT = (
    select(ACCOUNTS.c.number, CUSTOMERS.c.first_name, CUSTOMERS.c.last_name)
    .join(CUSTOMERS, CUSTOMERS.c.id == ACCOUNTS.c.customer_id)
    .where(ACCOUNTS.c.customer_id == bindparam("customer_id"))
    .order_by(ACCOUNTS.c.created_at, ACCOUNTS.c.id)
    .limit(1)
)
_INSERT_CUSTOMER = insert(CUSTOMERS)
_INSERT_ACCOUNT = insert(ACCOUNTS)


class CustomerNotFound(NotFound):
    code = "customer_not_found"
    title = "No customer found"


@dataclass(frozen=True)
class CustomerRecord:
    """A customer with its accounts and addresses, as the lookup shows it."""

    customer: Row
    accounts: list[Row]
    addresses: list[Row]


def id_by_identifier(session: Session, identifier: str) -> str | None:
    """The id of the customer whose normalized phone or e-mail this is."""
    stmt = _ID_BY_EMAIL if "@" in identifier else _ID_BY_PHONE
    return session.execute(stmt, {"identifier": identifier}).scalar()


def ordering_facts(session: Session, *, customer_id: str) -> Row:
    """`id`, `type` and `zip_code` (of the first address, or None) of a customer."""
    return session.execute(_ORDERING_FACTS, {"customer_id": customer_id}).one()


def get_record(
    session: Session,
    *,
    customer_id: str,
    phone: str | None = None,
    email: str | None = None,
) -> CustomerRecord | None:
    """The customer with accounts and addresses, if it also has the given phone and e-mail."""
    customer = session.execute(_CUSTOMER, {"customer_id": customer_id}).first()
    if (
        customer is None
        or (phone and customer.phone != phone)
        or (email and customer.email != email)
    ):
        return None
    params = {"customer_id": customer_id}
    return CustomerRecord(
        customer,
        list(session.execute(_ACCOUNTS_OF, params)),
        list(session.execute(_ADDRESSES_OF, params)),
    )


def billing_account(session: Session, *, customer_id: str) -> Row:
    """`number`, `first_name`, `last_name` of the account the customer's lines bill to."""
    return session.execute(_BILLING_ACCOUNT, {"customer_id": customer_id}).one()


def create(
    session: Session,
    *,
    first_name: str,
    last_name: str,
    email: str | None,
    phone: str | None,
    customer_type: str = "consumer",
) -> str:
    """A new customer with one wireless account; returns its id."""
    now = utcnow()
    customer_id = new_id("cus")
    session.execute(
        _INSERT_CUSTOMER,
        {
            "id": customer_id,
            "type": customer_type,
            "first_name": first_name,
            "last_name": last_name,
            "email": email,
            "phone": phone,
            "created_at": now,
        },
    )
    session.execute(
        _INSERT_ACCOUNT,
        {
            "id": new_id("acc"),
            "customer_id": customer_id,
            "number": _account_number(),
            "type": "wireless",
            "status": "active",
            "created_at": now,
        },
    )
    return customer_id


def _account_number() -> str:
    return "9" + "".join(str(secrets.randbelow(10)) for _ in range(11))
