"""Customers and accounts of every kind as operations browse them (the console): one list
across consumer customers, business customers, onboarding accounts and FANs, and one
party's facts. Read-only; what a role may see of them is the console's (contacts masked
for viewers), and what is never shown is never read here (SSN, date of birth, PINs,
password hashes, credit scores)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Row, String, bindparam, cast, func, literal, null, or_, select, union_all
from sqlalchemy.orm import Session

from orderhub.business.models import BusinessCustomer, PartnerAlliance, SubAccount
from orderhub.credit import profiles
from orderhub.customers.service import ACCOUNTS, ADDRESSES, CUSTOMERS
from orderhub.inventory.models import InventoryAccount
from orderhub.onboarding.models import OnboardingAccount
from orderhub.partners.models import Partner

BUSINESS_CUSTOMERS = BusinessCustomer.__table__
SUB_ACCOUNTS = SubAccount.__table__
ALLIANCES = PartnerAlliance.__table__
ONBOARDING_ACCOUNTS = OnboardingAccount.__table__
INVENTORY_ACCOUNTS = InventoryAccount.__table__
PARTNERS = Partner.__table__

# The ledger's party kinds (`orders.party_kind`), and how the console names them.
CONSUMER, BUSINESS, ONBOARDING, FAN = "customer", "business_customer", "onboarding_account", "fan"
KINDS = {
    CONSUMER: "Consumer customer",
    BUSINESS: "Business customer",
    ONBOARDING: "Onboarding account",
    FAN: "FAN",
}


_onboarding_customer = ONBOARDING_ACCOUNTS.c.customer
_onboarding_name = func.coalesce(
    _onboarding_customer["companyName"].as_string(),
    _onboarding_customer["firstName"].as_string()
    + literal(" ")
    + _onboarding_customer["lastName"].as_string(),
    ONBOARDING_ACCOUNTS.c.number,
)
_BRANCHES = {
    CONSUMER: select(
        literal(CONSUMER).label("kind"),
        CUSTOMERS.c.id,
        (CUSTOMERS.c.first_name + literal(" ") + CUSTOMERS.c.last_name).label("name"),
        CUSTOMERS.c.id.label("reference"),
        func.coalesce(CUSTOMERS.c.email, CUSTOMERS.c.phone).label("contact"),
        CUSTOMERS.c.created_at,
    ),
    BUSINESS: select(
        literal(BUSINESS).label("kind"),
        BUSINESS_CUSTOMERS.c.id,
        BUSINESS_CUSTOMERS.c.name,
        BUSINESS_CUSTOMERS.c.id.label("reference"),
        BUSINESS_CUSTOMERS.c.phone.label("contact"),
        BUSINESS_CUSTOMERS.c.created_at,
    ),
    ONBOARDING: select(
        literal(ONBOARDING).label("kind"),
        ONBOARDING_ACCOUNTS.c.id,
        _onboarding_name.label("name"),
        ONBOARDING_ACCOUNTS.c.number.label("reference"),
        ONBOARDING_ACCOUNTS.c.primary_contact["email"].as_string().label("contact"),
        ONBOARDING_ACCOUNTS.c.created_at,
    ),
    # A FAN is a business account of the inventory (a consumer's wireless account is
    # shown on its customer's page).
    FAN: select(
        literal(FAN).label("kind"),
        INVENTORY_ACCOUNTS.c.number.label("id"),
        INVENTORY_ACCOUNTS.c.name,
        INVENTORY_ACCOUNTS.c.number.label("reference"),
        cast(null(), String).label("contact"),
        INVENTORY_ACCOUNTS.c.created_at,
    ).where(INVENTORY_ACCOUNTS.c.kind == "business"),
}


def _like(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def browse(
    session: Session, *, name: str | None, kind: str | None, limit: int, offset: int
) -> tuple[list[Row], int]:
    """A page of customers and accounts by name (A to Z), of one kind or all, whose name
    holds `name` (or whose id or number is it), and how many match. Every customer is
    compared (acceptable at today's sizes: the sandbox's hundreds, a bench's thousands)."""
    branches = [b for k, b in _BRANCHES.items() if kind in (None, k)]
    if not branches:
        return [], 0
    everyone = union_all(*branches).subquery("parties")
    wanted = []
    if name:
        wanted.append(
            or_(
                func.lower(everyone.c.name).like(_like(name), escape="\\"),
                everyone.c.id == name,
                everyone.c.reference == name,
            )
        )
    total = session.execute(select(func.count()).select_from(everyone).where(*wanted)).scalar_one()
    rows = session.execute(
        select(everyone)
        .where(*wanted)
        .order_by(func.lower(everyone.c.name), everyone.c.kind, everyone.c.id)
        .limit(limit)
        .offset(offset)
    ).all()
    return list(rows), total


@dataclass(frozen=True)
class Party:
    """One customer or account as the console's page shows it."""

    kind: str
    id: str
    name: str
    created_at: datetime | None
    # (label, value): plain facts, and e-mails and phones (shown through the role's mask).
    facts: list[tuple[str, str]] = field(default_factory=list)
    contacts: list[tuple[str, str]] = field(default_factory=list)
    addresses: list[str] = field(default_factory=list)
    # Billing accounts of the customer's own tables: wireless accounts, sub-accounts.
    accounts: list[Row] = field(default_factory=list)
    credit: Row | None = None  # a consumer's credit on file (its decision and date shown)
    alliances: list[Row] = field(default_factory=list)  # per partner: partner_id, name, status
    # (label, kind, id): the customer an account belongs to.
    belongs_to: tuple[str, str, str] | None = None

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]


def _address(line1: str, line2: str | None, city: str, state: str, zip_code: str) -> str:
    return ", ".join(p for p in (line1, line2, city, f"{state} {zip_code}") if p)


_CONSUMER = select(CUSTOMERS).where(CUSTOMERS.c.id == bindparam("b_id"))
_CONSUMER_ACCOUNTS = (
    select(ACCOUNTS)
    .where(ACCOUNTS.c.customer_id == bindparam("b_id"))
    .order_by(ACCOUNTS.c.created_at, ACCOUNTS.c.id)
)
_CONSUMER_ADDRESSES = (
    select(ADDRESSES).where(ADDRESSES.c.customer_id == bindparam("b_id")).order_by(ADDRESSES.c.kind)
)
_BUSINESS = select(BUSINESS_CUSTOMERS).where(BUSINESS_CUSTOMERS.c.id == bindparam("b_id"))
_SUB_ACCOUNTS = (
    select(SUB_ACCOUNTS)
    .where(SUB_ACCOUNTS.c.customer_id == bindparam("b_id"))
    .order_by(SUB_ACCOUNTS.c.number)
)
# Every partner's alliance row for the customer: `partner_alliances` is keyed by partner
# first, so this reads the small table through its customer's rows.
_ALLIANCES = (
    select(ALLIANCES.c.partner_id, ALLIANCES.c.status, PARTNERS.c.name)
    .join(PARTNERS, PARTNERS.c.id == ALLIANCES.c.partner_id)
    .where(ALLIANCES.c.customer_id == bindparam("b_id"))
    .order_by(PARTNERS.c.name)
)
_ONBOARDING = (
    select(
        ONBOARDING_ACCOUNTS.c.id,
        ONBOARDING_ACCOUNTS.c.number,
        ONBOARDING_ACCOUNTS.c.partner_id,
        ONBOARDING_ACCOUNTS.c.customer,
        ONBOARDING_ACCOUNTS.c.primary_contact,
        ONBOARDING_ACCOUNTS.c.billing_contact,
        ONBOARDING_ACCOUNTS.c.username,
        ONBOARDING_ACCOUNTS.c.realms,
        ONBOARDING_ACCOUNTS.c.created_at,
        PARTNERS.c.name.label("partner_name"),
    )
    .join(PARTNERS, PARTNERS.c.id == ONBOARDING_ACCOUNTS.c.partner_id)
    .where(ONBOARDING_ACCOUNTS.c.id == bindparam("b_id"))
)
_INVENTORY_ACCOUNT = select(INVENTORY_ACCOUNTS).where(
    INVENTORY_ACCOUNTS.c.number == bindparam("b_id")
)
_OWNER_NAMES = {
    CONSUMER: select(
        (CUSTOMERS.c.first_name + literal(" ") + CUSTOMERS.c.last_name).label("name")
    ).where(CUSTOMERS.c.id == bindparam("b_id")),
    BUSINESS: select(BUSINESS_CUSTOMERS.c.name).where(BUSINESS_CUSTOMERS.c.id == bindparam("b_id")),
    ONBOARDING: select(_onboarding_name.label("name")).where(
        ONBOARDING_ACCOUNTS.c.id == bindparam("b_id")
    ),
}


def _consumer(session: Session, party_id: str) -> Party | None:
    row = session.execute(_CONSUMER, {"b_id": party_id}).first()
    if row is None:
        return None
    return Party(
        CONSUMER,
        row.id,
        f"{row.first_name} {row.last_name}",
        row.created_at,
        facts=[("Customer id", row.id), ("Type", row.type)],
        contacts=[("E-mail", row.email or ""), ("Phone", row.phone or "")],
        addresses=[
            f"{a.kind}: {_address(a.line1, a.line2, a.city, a.state, a.zip_code)}"
            for a in session.execute(_CONSUMER_ADDRESSES, {"b_id": party_id})
        ],
        accounts=list(session.execute(_CONSUMER_ACCOUNTS, {"b_id": party_id})),
        credit=profiles.get(session, customer_id=party_id),
    )


def _business(session: Session, party_id: str) -> Party | None:
    row = session.execute(_BUSINESS, {"b_id": party_id}).first()
    if row is None:
        return None
    return Party(
        BUSINESS,
        row.id,
        row.name,
        row.created_at,
        # The tax id is the business's, not a person's; only its last digits are needed
        # to tell two customers apart on a call.
        facts=[("Customer id", row.id), ("Tax id", f"•••••{row.tax_id[-4:]}")],
        contacts=[("Phone", row.phone or "")],
        addresses=[
            "service: "
            + _address(row.address_line1, row.address_line2, row.city, row.state, row.zip_code)
        ],
        accounts=list(session.execute(_SUB_ACCOUNTS, {"b_id": party_id})),
        alliances=list(session.execute(_ALLIANCES, {"b_id": party_id})),
    )


def _onboarding(session: Session, party_id: str) -> Party | None:
    row = session.execute(_ONBOARDING, {"b_id": party_id}).first()
    if row is None:
        return None
    customer = row.customer or {}
    person = " ".join(n for n in (customer.get("firstName"), customer.get("lastName")) if n)
    contacts = []
    for label, contact in (("Primary", row.primary_contact), ("Billing", row.billing_contact)):
        contact = contact or {}
        contacts += [(f"{label} e-mail", contact.get("email") or "")]
        contacts += [(f"{label} phone", contact.get("phone") or "")]
    return Party(
        ONBOARDING,
        row.id,
        customer.get("companyName") or person or f"Onboarding account {row.number}",
        row.created_at,
        facts=[
            ("Account id", row.id),
            ("Account number", row.number),
            ("Customer type", str(customer.get("type") or "—")),
            ("Provider", f"{row.partner_name} ({row.partner_id})"),
            ("Portal username", row.username),
            ("Identifier realms", ", ".join(row.realms or []) or "—"),
        ],
        contacts=contacts,
    )


def _fan(session: Session, party_id: str) -> Party | None:
    row = session.execute(_INVENTORY_ACCOUNT, {"b_id": party_id}).first()
    if row is None:
        return None
    belongs_to = None
    if row.customer_id:
        kind = _OWNER_KINDS.get(row.kind)
        owner = None
        if kind is not None:
            owner = session.execute(_OWNER_NAMES[kind], {"b_id": row.customer_id}).scalar()
        if kind is not None and owner is not None:
            belongs_to = (owner, kind, row.customer_id)
    return Party(
        FAN,
        row.number,
        row.name,
        row.created_at,
        facts=[("Account number", row.number), ("Account kind", row.kind)],
        belongs_to=belongs_to,
    )


# An inventory account's kind says whose it is (inventory/service.ensure_account's callers).
_OWNER_KINDS = {"consumer": CONSUMER, "business": BUSINESS, "serviceProvider": ONBOARDING}
_READERS = {CONSUMER: _consumer, BUSINESS: _business, ONBOARDING: _onboarding, FAN: _fan}


def party(session: Session, *, kind: str, party_id: str) -> Party | None:
    """The customer or account of this ledger party kind and id, or None."""
    reader = _READERS.get(kind)
    return None if reader is None else reader(session, party_id)
