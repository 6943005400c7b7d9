"""Customer lookup and creation (Core statements built once; see orders/service.py), and
loading customers from a data file."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, bindparam, insert, select
from sqlalchemy.orm import Session

from orderhub.contacts import normalize_email, normalize_phone
from orderhub.credit import profiles as credit_profiles
from orderhub.customers.models import Account, Address, Customer
from orderhub.errors import NotFound, ValidationFailed
from orderhub.identity.models import PasswordCredential
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
CUSTOMER_TYPES = ("consumer", "business")


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


def find_own(
    session: Session,
    *,
    caller_customer_id: str | None,
    phone: str | None,
    email: str | None,
    customer_id: str | None,
) -> CustomerRecord:
    """The caller's own record, found by phone, e-mail or customer id (at least one; every
    one given must match). Anybody else's record does not exist for them (404)."""
    if not (phone or email or customer_id):
        raise ValidationFailed.one(
            "phone", "one_of_required", "Give one of phone, email or customerId."
        )
    norm_phone = normalize_phone(phone) if phone else None
    norm_email = normalize_email(email) if email else None
    found = None
    if (
        caller_customer_id
        and (not phone or norm_phone)
        and (not email or norm_email)
        and (not customer_id or customer_id == caller_customer_id)
    ):
        found = get_record(
            session, customer_id=caller_customer_id, phone=norm_phone, email=norm_email
        )
    if found is None:
        raise CustomerNotFound("No customer matches those details.")
    return found


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


def load(session: Session, *, data: dict[str, Any]) -> tuple[int, int]:
    """Insert or update the `customers` of a document, each with its account, service
    address and (when given) password; returns how many were added and updated."""
    added = sum(_put(session, raw) for raw in data["customers"])
    return added, len(data["customers"]) - added


def _put(session: Session, raw: dict[str, Any]) -> bool:
    """One customer as the file has it; whether it is new. Errors name the customer by id,
    never by its personal data."""
    customer_id = raw["id"]
    email, phone = _identifiers(raw)
    if raw["type"] not in CUSTOMER_TYPES:
        raise ValueError(f"customer {customer_id}: type must be one of {', '.join(CUSTOMER_TYPES)}")
    _refuse_taken(session, customer_id, email=email, phone=phone, account=raw["account"])
    now = utcnow()
    customer = session.get(Customer, customer_id)
    added = customer is None
    if customer is None:
        customer = Customer(id=customer_id, created_at=now)
        session.add(customer)
    customer.type = raw["type"]
    customer.first_name = raw["firstName"]
    customer.last_name = raw["lastName"]
    customer.email = email
    customer.phone = phone
    session.flush()  # the customer's row exists before the rows that refer to it

    account = session.get(Account, raw["account"]["id"]) or Account(
        id=raw["account"]["id"], customer_id=customer_id, created_at=now
    )
    account.number = raw["account"]["number"]
    session.add(account)
    a = raw["address"]
    address = session.scalars(
        select(Address)
        .where(Address.customer_id == customer_id, Address.kind == "service")
        .order_by(Address.id)
        .limit(1)
    ).first() or Address(id=new_id("adr"), customer_id=customer_id, kind="service")
    address.line1 = a["addressLine1"]
    address.line2 = a.get("addressLine2")
    address.city = a["city"]
    address.state = a["state"]
    address.zip_code = a["zipCode"]
    session.add(address)
    _put_password(session, customer_id, email=email, password=raw.get("password"))
    session.flush()
    if credit := raw.get("creditProfile"):
        credit_profiles.put_if_absent(
            session,
            customer_id=customer_id,
            decision=credit["decision"],
            score=credit["score"],
            reference="FILE-" + customer_id[-20:].upper(),
            at=now,
        )
    return added


def _identifiers(raw: dict[str, Any]) -> tuple[str | None, str | None]:
    """The customer's e-mail and phone, normalized: they are sign-in identifiers."""
    email = normalize_email(raw["email"]) if raw.get("email") else None
    phone = normalize_phone(raw["phone"]) if raw.get("phone") else None
    if raw.get("email") and email is None:
        raise ValueError(f"customer {raw['id']}: the e-mail is not a valid address")
    if raw.get("phone") and phone is None:
        raise ValueError(f"customer {raw['id']}: the phone is not a 10-digit NANP number")
    if raw.get("password") and email is None:
        raise ValueError(f"customer {raw['id']}: a password needs an e-mail to sign in with")
    return email, phone


def _refuse_taken(
    session: Session,
    customer_id: str,
    *,
    email: str | None,
    phone: str | None,
    account: dict[str, Any],
) -> None:
    """Refuse identifiers another customer holds (a clear error instead of a constraint's)."""
    holders = [
        ("e-mail", CUSTOMERS.c.id, CUSTOMERS.c.email == email if email else None),
        ("phone", CUSTOMERS.c.id, CUSTOMERS.c.phone == phone if phone else None),
        ("account id", ACCOUNTS.c.customer_id, ACCOUNTS.c.id == account["id"]),
        ("account number", ACCOUNTS.c.customer_id, ACCOUNTS.c.number == account["number"]),
        (
            "e-mail",
            PasswordCredential.customer_id,
            PasswordCredential.username == email if email else None,
        ),
    ]
    for what, holder, same in holders:
        if same is None:
            continue
        other = session.scalar(select(holder).where(same, holder != customer_id).limit(1))
        if other is not None:
            raise ValueError(f"customer {customer_id}: its {what} is customer {other}'s")


def _put_password(
    session: Session, customer_id: str, *, email: str | None, password: str | None
) -> None:
    """Set the password when the file gives one; the username follows the e-mail."""
    # identity.service imports this module, so it is imported here, when first needed.
    from orderhub.identity.service import hash_password, password_matches

    credential = session.get(PasswordCredential, customer_id)
    if credential is None:
        if password is not None:
            session.add(
                PasswordCredential(
                    customer_id=customer_id, username=email, password_hash=hash_password(password)
                )
            )
        return
    if email is not None:
        credential.username = email
    # Checking costs one hash, as setting does, and leaves an unchanged password's row be.
    if password is not None and not password_matches(credential.password_hash, password):
        credential.password_hash = hash_password(password)
