"""Loading the sandbox's demo data. Idempotent: a second load adds nothing twice."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from orderhub.catalog import service as catalog
from orderhub.customers.models import Account, Address, Customer
from orderhub.identity.models import PasswordCredential
from orderhub.identity.service import hash_password
from orderhub.ids import new_id, utcnow
from orderhub.numbers.models import PhoneNumber

DATA = Path(__file__).parent / "data"


@dataclass(frozen=True)
class LoadReport:
    offers: int
    stores: int
    customers_added: int
    numbers_added: int


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
    return LoadReport(offers, stores, added, numbers)


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
