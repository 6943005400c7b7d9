"""Loading the sandbox's demo data. Idempotent: a second load adds nothing twice.

Each kind of data is loaded by its own area's service, which `orderhub ... load` (cli/data.py)
uses for an operator's files too."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from orderhub.adapters.postal import PostalAddress, SandboxPostalValidator
from orderhub.business import service as business
from orderhub.business.models import BusinessCustomer
from orderhub.business.rules import AllianceStatus
from orderhub.business_catalog import service as business_catalog
from orderhub.catalog import service as catalog
from orderhub.customers import service as customers
from orderhub.customers.models import Customer
from orderhub.inventory import sandbox as inventory_sandbox
from orderhub.numbers import service as numbers
from orderhub.onboarding import catalog as onboarding_catalog
from orderhub.onboarding import providers as onboarding_providers
from orderhub.operators import service as operators
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
    # Only the missing ones: a restart need not re-check their passwords (a hash each).
    new = [raw for raw in people["customers"] if session.get(Customer, raw["id"]) is None]
    added, _ = customers.load(session, data={"customers": new})
    numbers_added, _ = numbers.load(session, data=people)
    b2b = read("partners.json")
    partners_added = sum(_add_partner(session, raw) for raw in b2b["partners"])
    business_added = sum(_add_business_customer(session, raw) for raw in b2b["businessCustomers"])
    products = business_catalog.load(session, data=read("business_catalog.json"))
    lines = inventory_sandbox.load(session, read("inventory.json"))
    onboarding_catalog.load(session, DATA / "onboarding")
    for raw in read("onboarding/providers.json")["providers"]:
        # Only where none are stored: what an operator changed since stays changed.
        onboarding_providers.ensure(
            session,
            onboarding_providers.Settings(
                raw["partnerId"],
                terms_module=raw["termsModule"],
                payment_required=raw["paymentRequired"],
                identifier_realms=raw["identifierRealms"],
            ),
        )
    for raw in read("operators.json")["operators"]:
        # Only the missing ones: a changed role or a disabled user stays so.
        if operators.find(session, username=raw["username"]) is None:
            operators.create(
                session,
                username=raw["username"],
                password=raw["password"],
                role=raw["role"],
                display_name=raw["displayName"],
                sandbox=True,
            )
    return LoadReport(
        offers, stores, added, numbers_added, partners_added, business_added, products, lines
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
