"""Loading the sandbox's demo data. Idempotent: a second load adds nothing twice."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from orderhub.adapters.postal import PostalAddress, SandboxPostalValidator
from orderhub.business import service as business
from orderhub.business.models import BusinessCustomer
from orderhub.business.rules import AllianceStatus
from orderhub.business_catalog import service as business_catalog
from orderhub.catalog import service as catalog
from orderhub.customers.models import Account, Address, Customer
from orderhub.identity.models import PasswordCredential
from orderhub.identity.service import hash_password
from orderhub.ids import new_id, utcnow
from orderhub.inventory import sandbox as inventory_sandbox
from orderhub.numbers.models import PhoneNumber
from orderhub.onboarding import catalog as onboarding_catalog
from orderhub.partners import service as partners
from orderhub.partners.models import Partner

DATA = Path(__file__).parent / "data"


@dataclass(frozen=True)
class LoadReport:
    offers: int
    stores: int
    customers_added: int
    numbers_added: int
    partners_added: int = 0
    business_customers_added: int = 0
    business_products: int = 0
    lines_added: int = 0


def read(name: str) -> dict[str, Any]:
    return json.loads((DATA / name).read_text())


def load(session: Session) -> LoadReport:
    offers, stores = catalog.load(session, data=read("catalog.json"))
    people = read("customers.json")
    added = sum(_add_customer(session, raw) for raw in people["customers"])
    numbers = sum(
        add_numbers(
            session,
            area_code=p["areaCode"],
            exchange=p["exchange"],
            first=p["first"],
            count=p["count"],
        )
        for p in people["numberPools"]
    )
    b2b = read("partners.json")
    partners_added = sum(_add_partner(session, raw) for raw in b2b["partners"])
    business_added = sum(_add_business_customer(session, raw) for raw in b2b["businessCustomers"])
    products = business_catalog.load(session, data=read("business_catalog.json"))
    lines = inventory_sandbox.load(session, read("inventory.json"))
    onboarding_catalog.load(session, DATA / "onboarding")
    return LoadReport(
        offers, stores, added, numbers, partners_added, business_added, products, lines
    )


def _add_partner(session: Session, raw: dict[str, Any]) -> int:
    if session.get(Partner, raw["id"]) is not None:
        return 0  # kept as it is, so a rotated sandbox secret stays rotated
    partners.create_partner(
        session,
        name=raw["name"],
        partner_id=raw["id"],
        client_id=raw["clientId"],
        client_secret=raw["clientSecret"],
        sandbox=True,
    )
    return 1


def _add_business_customer(session: Session, raw: dict[str, Any]) -> int:
    if session.get(BusinessCustomer, raw["id"]) is not None:
        return 0
    a = raw["address"]
    checked = SandboxPostalValidator().validate(
        PostalAddress(a["addressLine1"], a["city"], a["state"], a["zipCode"], a.get("addressLine2"))
    )
    if checked.standardized is None:
        raise ValueError(f"sandbox address of {raw['id']} is not valid: {checked.problems}")
    business.create_customer(
        session,
        customer_id=raw["id"],
        name=raw["name"],
        tax_id=raw["taxId"],
        phone=raw.get("phone"),
        address=checked.standardized,
        sub_accounts=[(s["id"], s["number"], s["name"]) for s in raw["subAccounts"]],
    )
    for partner_id, status in raw["alliances"].items():
        business.set_alliance(
            session, partner_id=partner_id, customer_id=raw["id"], status=AllianceStatus(status)
        )
    session.flush()
    return 1


def _add_customer(session: Session, raw: dict[str, Any]) -> int:
    if session.get(Customer, raw["id"]) is not None:
        return 0
    now = utcnow()
    customer = Customer(
        id=raw["id"],
        type=raw["type"],
        first_name=raw["firstName"],
        last_name=raw["lastName"],
        email=raw["email"],
        phone=raw["phone"],
        created_at=now,
    )
    customer.accounts = [
        Account(id=raw["account"]["id"], number=raw["account"]["number"], created_at=now)
    ]
    a = raw["address"]
    customer.addresses = [
        Address(
            id=new_id("adr"),
            kind="service",
            line1=a["addressLine1"],
            city=a["city"],
            state=a["state"],
            zip_code=a["zipCode"],
        )
    ]
    session.add(customer)
    if raw.get("password"):
        session.add(
            PasswordCredential(
                customer_id=raw["id"],
                username=raw["email"],
                password_hash=hash_password(raw["password"]),
            )
        )
    session.flush()
    return 1


def add_numbers(session: Session, *, area_code: str, exchange: str, first: int, count: int) -> int:
    """Add the block `area_code exchange first..first+count-1` to the pool, skipping known ones."""
    wanted = [f"{area_code}{exchange}{line:04d}" for line in range(first, first + count)]
    existing = set(
        session.scalars(
            select(PhoneNumber.number).where(PhoneNumber.number.between(wanted[0], wanted[-1]))
        )
    )
    rows = [
        {"number": n, "area_code": area_code, "status": "available"}
        for n in wanted
        if n not in existing
    ]
    if rows:
        session.execute(insert(PhoneNumber), rows)
    return len(rows)
