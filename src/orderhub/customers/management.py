"""Consumer and business customers created, changed and deleted through TMF629 by
operations (a consumer changes their own postal address); read through
customers/directory.py.

A consumer's e-mail and phone are their sign-in identifiers: `update_customer` sets them
without proof that the new one belongs to the customer, so only operations may call it
with them (they vouch for what they set); the surfaces refuse a consumer's own change.
Every change publishes `customer.*` for its owner (webhooks/tmf_events.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, insert, or_, select
from sqlalchemy import update as sql_update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from orderhub.adapters.postal import PostalAddress, PostalValidator
from orderhub.business import rules as business_rules
from orderhub.business import service as business
from orderhub.business.models import ExceptionRequest
from orderhub.contracts.models import Contract
from orderhub.credit import profiles
from orderhub.credit.models import BusinessCreditDecision
from orderhub.customers import service as customers
from orderhub.customers.directory import (
    ALLIANCES,
    BUSINESS_CUSTOMERS,
    CONSUMER,
    SUB_ACCOUNTS,
    ManagedCustomer,
    Scope,
    get_customer,
)
from orderhub.customers.service import ACCOUNTS, ADDRESSES, CUSTOMERS
from orderhub.db import serialize_on
from orderhub.errors import Conflict, FieldProblem, ValidationFailed
from orderhub.identity.models import PasskeyChallenge, PasskeyCredential, PasswordCredential
from orderhub.ids import new_id
from orderhub.inventory.service import ACCOUNTS as INVENTORY_ACCOUNTS
from orderhub.ledger.models import Order
from orderhub.opportunities.models import Opportunity
from orderhub.partner_orders.models import PartnerOrder
from orderhub.quotes.models import Quote
from orderhub.webhooks import service as webhooks

# A consumer customer's status is their accounts' (customers/models.Account.status).
CONSUMER_STATUSES = ("active", "suspended", "closed")

PASSWORDS = PasswordCredential.__table__
ORDERS = Order.__table__


# ---- creating ---------------------------------------------------------------------------


class ContactTaken(Conflict):
    code = "contact_taken"
    title = "Contact taken"


class TaxIdTaken(Conflict):
    code = "tax_id_taken"
    title = "Tax id taken"


class CustomerInUse(Conflict):
    code = "customer_in_use"
    title = "Customer in use"


def _standardized(postal: PostalValidator, address: PostalAddress, *, at: str) -> PostalAddress:
    result = postal.validate(address)
    if not result.valid or result.standardized is None:
        raise ValidationFailed(
            "The address is not a valid postal address.",
            errors=[FieldProblem(f"{at}.{p.field}", p.rule, p.message) for p in result.problems],
        )
    return result.standardized


def _refuse_taken_contact(
    session: Session, *, email: str | None, phone: str | None, customer_id: str | None
) -> None:
    """A customer's e-mail and phone are sign-in identifiers: one customer each. Two
    requests giving one identifier at once take turns (a 409, not a constraint's 500),
    and so does a prospect's first order, which makes its customer under the same key
    (orders/service.py `_ordering_customer`: `customer:<normalized identifier>`)."""
    for identifier in sorted(i for i in (email, phone) if i is not None):
        serialize_on(session, f"customer:{identifier}")
    checks = []
    if email is not None:
        checks.append(("e-mail", select(CUSTOMERS.c.id).where(CUSTOMERS.c.email == email)))
        checks.append(
            ("e-mail", select(PASSWORDS.c.customer_id).where(PASSWORDS.c.username == email))
        )
    if phone is not None:
        checks.append(("phone", select(CUSTOMERS.c.id).where(CUSTOMERS.c.phone == phone)))
    for what, stmt in checks:
        holder = session.execute(stmt).scalar()
        if holder is not None and holder != customer_id:
            raise ContactTaken(f"Another customer signs in with this {what}.")


def _put_address(
    session: Session, *, customer_id: str, address: PostalAddress, replace: bool
) -> None:
    values = {
        "line1": address.address_line1,
        "line2": address.address_line2,
        "city": address.city,
        "state": address.state,
        "zip_code": address.zip_code,
    }
    if replace:
        changed = session.execute(
            sql_update(ADDRESSES)
            .where(ADDRESSES.c.customer_id == customer_id, ADDRESSES.c.kind == "service")
            .values(**values)
        ).rowcount
        if changed:
            return
    session.execute(
        insert(ADDRESSES),
        {"id": new_id("adr"), "customer_id": customer_id, "kind": "service", **values},
    )


def _publish(
    session: Session, owner: str, type: str, customer: ManagedCustomer | None, id: str
) -> None:
    data = {"name": customer.name, "status": customer.status} if customer else {}
    webhooks.publish(session, owner=owner, type=type, subject=id, data=data)


def create_individual(
    session: Session,
    *,
    postal: PostalValidator,
    first_name: str,
    last_name: str,
    email: str | None,
    phone: str | None,
    address: PostalAddress | None,
    owner: str,
) -> ManagedCustomer:
    """A consumer customer with one wireless account (customers.service.create) and its
    service address; `customer.created` for `owner`."""
    if email is None and phone is None:
        raise ValidationFailed.one(
            "contactMedium", "one_of_required", "Give an e-mail or a phone to sign in with."
        )
    _refuse_taken_contact(session, email=email, phone=phone, customer_id=None)
    standardized = _standardized(postal, address, at="contactMedium") if address else None
    customer_id = customers.create(
        session, first_name=first_name, last_name=last_name, email=email, phone=phone
    )
    if standardized is not None:
        _put_address(session, customer_id=customer_id, address=standardized, replace=False)
    created = get_customer(session, scope=Scope(everything=True), customer_id=customer_id)
    _publish(session, owner, "customer.created", created, customer_id)
    return created


def _name_key(name: str) -> str:
    """The name's lookup key, which must fit its column like the name ('&' is 'and')."""
    key = business_rules.name_key(name)
    if not name.strip():
        raise ValidationFailed.one("name", "blank", "A name is not only spaces.")
    if len(key) > BUSINESS_CUSTOMERS.c.name_key.type.length:
        raise ValidationFailed.one("name", "too_long", "The name is too long.")
    return key


def create_organization(
    session: Session,
    *,
    postal: PostalValidator,
    name: str,
    tax_id: str,
    phone: str | None,
    address: PostalAddress,
    owner: str,
) -> ManagedCustomer:
    """A business end customer at a standardized address, without sub-accounts or
    alliances (operations grant those); `customer.created` for `owner`."""
    normalized = business_rules.normalize_tax_id(tax_id)
    if normalized is None:
        raise ValidationFailed.one("characteristic", "tax_id", "The taxId is not 9 digits.")
    _name_key(name)
    serialize_on(session, f"business-tax-id:{normalized}")
    if session.execute(
        select(BUSINESS_CUSTOMERS.c.id).where(BUSINESS_CUSTOMERS.c.tax_id == normalized)
    ).first():
        raise TaxIdTaken("Another business customer has this tax id.")
    standardized = _standardized(postal, address, at="contactMedium")
    customer_id = new_id("bcu")
    business.create_customer(
        session,
        customer_id=customer_id,
        name=name,
        tax_id=normalized,
        phone=phone,
        address=standardized,
        sub_accounts=[],
    )
    session.flush()
    created = get_customer(session, scope=Scope(everything=True), customer_id=customer_id)
    _publish(session, owner, "customer.created", created, customer_id)
    return created


# ---- changing ---------------------------------------------------------------------------

UNSET: Any = object()  # not in the patch: left as it is


@dataclass(frozen=True)
class Changes:
    """What a patch changes; UNSET where it says nothing."""

    first_name: Any = UNSET
    last_name: Any = UNSET
    name: Any = UNSET  # a business customer's
    email: Any = UNSET
    phone: Any = UNSET
    address: Any = UNSET  # PostalAddress
    status: Any = UNSET


def update_customer(
    session: Session,
    *,
    postal: PostalValidator,
    customer: ManagedCustomer,
    changes: Changes,
    owner: str,
) -> ManagedCustomer:
    """Apply a patch to a consumer or business customer; `customer.changed` when anything
    but the status moved, `customer.status_changed` when the status did."""
    address = UNSET
    if changes.address is not UNSET:
        address = _standardized(postal, changes.address, at="contactMedium")
    if customer.kind == CONSUMER:
        _update_consumer(session, customer=customer, changes=changes, address=address)
    else:
        _update_business(session, customer=customer, changes=changes, address=address)
    after = get_customer(session, scope=Scope(everything=True), customer_id=customer.id)
    if after.status != customer.status:
        _publish(session, owner, "customer.status_changed", after, customer.id)
    if _details_of(after) != _details_of(customer):
        _publish(session, owner, "customer.changed", after, customer.id)
    return after


def _details_of(customer: ManagedCustomer) -> tuple[Any, ...]:
    """What `customer.changed` is about: the customer's row (names, contacts, a business
    customer's address) and a consumer's addresses; the status is an event of its own."""
    return (tuple(customer.row), [tuple(a) for a in customer.addresses])


def _update_consumer(
    session: Session, *, customer: ManagedCustomer, changes: Changes, address: Any
) -> None:
    row = customer.row
    email = row.email if changes.email is UNSET else changes.email
    phone = row.phone if changes.phone is UNSET else changes.phone
    if email is None and phone is None:
        raise ValidationFailed.one(
            "contactMedium", "one_of_required", "Keep an e-mail or a phone to sign in with."
        )
    _refuse_taken_contact(session, email=email, phone=phone, customer_id=row.id)
    values = {
        k: getattr(changes, k)
        for k in ("first_name", "last_name", "email", "phone")
        if getattr(changes, k) is not UNSET
    }
    if values:
        session.execute(sql_update(CUSTOMERS).where(CUSTOMERS.c.id == row.id).values(**values))
    if changes.email is not UNSET and changes.email is not None:
        # The password's username is the e-mail (customers.service._put_password).
        session.execute(
            sql_update(PASSWORDS)
            .where(PASSWORDS.c.customer_id == row.id)
            .values(username=changes.email)
        )
    if address is not UNSET:
        _put_address(session, customer_id=row.id, address=address, replace=True)
    if changes.status is not UNSET:
        if changes.status not in CONSUMER_STATUSES:
            raise ValidationFailed.one(
                "status", "status", f"A status is one of: {', '.join(CONSUMER_STATUSES)}."
            )
        session.execute(
            sql_update(ACCOUNTS)
            .where(ACCOUNTS.c.customer_id == row.id)
            .values(status=changes.status)
        )


def _update_business(
    session: Session, *, customer: ManagedCustomer, changes: Changes, address: Any
) -> None:
    if changes.status is not UNSET and changes.status != customer.status:
        raise ValidationFailed.one(
            "status",
            "read_only",
            "A business customer's status is its sub-accounts': it is not set here.",
        )
    values: dict[str, Any] = {}
    if changes.name is not UNSET:
        values |= {"name": changes.name, "name_key": _name_key(changes.name)}
    if changes.phone is not UNSET:
        values["phone"] = changes.phone
    if address is not UNSET:
        values |= {
            "address_line1": address.address_line1,
            "address_line2": address.address_line2,
            "city": address.city,
            "state": address.state,
            "zip_code": address.zip_code,
            "address_key": business_rules.address_key(address.address_line1, address.zip_code),
        }
    if values:
        session.execute(
            sql_update(BUSINESS_CUSTOMERS)
            .where(BUSINESS_CUSTOMERS.c.id == customer.id)
            .values(**values)
        )


# ---- deleting ---------------------------------------------------------------------------


def _in_use(session: Session, checks: list[tuple[str, Any]]) -> None:
    for what, stmt in checks:
        if session.execute(stmt.limit(1)).first() is not None:
            raise CustomerInUse(
                f"The customer has {what}: only a customer without them is deleted.",
                extra={"inUseBy": what},
            )


def _lock(session: Session, table: Any, id: str) -> None:
    """Lock the customer's row (PostgreSQL: FOR UPDATE, which a concurrent insert of a row
    referring to it waits for; SQLite's writer holds the database's write lock already)."""
    session.execute(select(table.c.id).where(table.c.id == id).with_for_update())


def delete_customer(session: Session, *, customer: ManagedCustomer, owner: str) -> None:
    """Delete a consumer or business customer that nothing refers to (409 naming what
    does: orders, lines, quotes...); `customer.deleted` for `owner`."""
    try:
        # A savepoint: a row referring to the customer that the checks could not see (a
        # table they do not list) fails the deletes alone, and the transaction goes on.
        with session.begin_nested():
            _delete(session, customer)
    except IntegrityError:
        raise CustomerInUse(
            "Something refers to the customer: only a customer nothing refers to is deleted.",
            extra={"inUseBy": "records"},
        ) from None
    _publish(session, owner, "customer.deleted", None, customer.id)


def _delete(session: Session, customer: ManagedCustomer) -> None:
    id = customer.id
    inventory = select(INVENTORY_ACCOUNTS.c.number).where(INVENTORY_ACCOUNTS.c.customer_id == id)
    if customer.kind == CONSUMER:
        _lock(session, CUSTOMERS, id)
        _in_use(
            session,
            [
                (
                    "orders",
                    select(ORDERS.c.id).where(
                        or_(ORDERS.c.customer_id == id, ORDERS.c.party_id == id)
                    ),
                ),
                ("inventory accounts", inventory),
            ],
        )
        for table, column in (
            (PasskeyChallenge.__table__, "customer_id"),
            (PasskeyCredential.__table__, "customer_id"),
            (PASSWORDS, "customer_id"),
            (profiles.PROFILES, "customer_id"),
            (ADDRESSES, "customer_id"),
            (ACCOUNTS, "customer_id"),
            (CUSTOMERS, "id"),
        ):
            session.execute(delete(table).where(table.c[column] == id))
    else:
        _lock(session, BUSINESS_CUSTOMERS, id)
        _in_use(
            session,
            [
                ("orders", select(ORDERS.c.id).where(ORDERS.c.party_id == id)),
                ("orders", select(PartnerOrder.id).where(PartnerOrder.customer_id == id)),
                ("quotes", select(Quote.id).where(Quote.customer_id == id)),
                ("opportunities", select(Opportunity.id).where(Opportunity.customer_id == id)),
                ("contracts", select(Contract.id).where(Contract.customer_id == id)),
                (
                    "credit decisions",
                    select(BusinessCreditDecision.id).where(
                        BusinessCreditDecision.customer_id == id
                    ),
                ),
                ("inventory accounts", inventory),
            ],
        )
        for table in (ExceptionRequest.__table__, ALLIANCES, SUB_ACCOUNTS):
            session.execute(delete(table).where(table.c.customer_id == id))
        session.execute(delete(BUSINESS_CUSTOMERS).where(BUSINESS_CUSTOMERS.c.id == id))
