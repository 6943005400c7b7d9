"""The other channels' bench data: business customers for partner orders, a business
account full of lines for care orders, and where onboarding identifiers go on from.

Like seed.py: bulk Core inserts (the ORM for the few business customers, whose service
standardizes the address), rows already there skipped, so a database can be reused.
"""

from __future__ import annotations

from sqlalchemy import Connection, func, insert, select
from sqlalchemy.orm import Session

from orderhub.adapters.postal import PostalAddress, SandboxPostalValidator
from orderhub.bench import identities
from orderhub.bench.seed import chunks
from orderhub.business import service as business
from orderhub.business.models import BusinessCustomer
from orderhub.business.rules import AllianceStatus
from orderhub.db import Database
from orderhub.ids import utcnow
from orderhub.inventory.models import (
    AccountAccess,
    AccountGroup,
    InventoryAccount,
    ServiceIdentifier,
    Subscriber,
)

# The quote's main site is at this address (the demo's), so the customer is too.
HQ = PostalAddress("1500 Main Street", "Dallas", "TX", "75201")


def prepare(database: Database, *, lines: int) -> dict[str, int]:
    """Add what is missing; returns how many business customers and lines were added."""
    with database.transaction() as session:
        customers = _add_business_customers(session)
    with database.engine.begin() as conn:
        added_lines = _add_care_lines(conn, lines)
    return {"business_customers_added": customers, "lines_added": added_lines}


def _add_business_customers(session: Session) -> int:
    existing = set(
        session.scalars(
            select(BusinessCustomer.id).where(
                BusinessCustomer.id.like("bcu\\_bench\\_%", escape="\\")
            )
        )
    )
    address = SandboxPostalValidator().validate(HQ).standardized
    assert address is not None
    added = 0
    for i in range(identities.BUSINESS_CUSTOMERS):
        customer_id = identities.business_customer_id(i)
        if customer_id in existing:
            continue
        business.create_customer(
            session,
            customer_id=customer_id,
            name=f"Bench Business {i}",
            tax_id=identities.business_tax_id(i),
            phone=None,
            address=address,
            sub_accounts=[(f"bsa_bench_{i:04d}", f"79{i:010d}", "Main office")],
        )
        # A full alliance: the partner quotes at once, no exception request needed.
        business.set_alliance(
            session,
            partner_id=identities.PARTNER_ID,
            customer_id=customer_id,
            status=AllianceStatus.ALLIANCE,
        )
        added += 1
    session.flush()
    return added


def _add_care_lines(conn: Connection, count: int) -> int:
    now = utcnow()
    account = InventoryAccount.__table__
    if (
        conn.execute(
            select(account.c.number).where(account.c.number == identities.CARE_ACCOUNT)
        ).first()
        is None
    ):
        conn.execute(
            insert(account),
            {
                "number": identities.CARE_ACCOUNT,
                "kind": "business",
                "name": "Bench care account",
                "customer_id": None,
                "created_at": now,
            },
        )
        conn.execute(
            insert(AccountGroup.__table__),
            {
                "id": identities.CARE_GROUP,
                "account_number": identities.CARE_ACCOUNT,
                "name": "Bench lines",
            },
        )
        conn.execute(
            insert(AccountAccess.__table__),
            {"account_number": identities.CARE_ACCOUNT, "partner_id": identities.PARTNER_ID},
        )
    existing = set(
        conn.scalars(
            select(Subscriber.ctn).where(Subscriber.account_number == identities.CARE_ACCOUNT)
        )
    )
    missing = [c for c in map(identities.care_ctn, range(count)) if c not in existing]
    for chunk in chunks(missing):
        conn.execute(insert(Subscriber.__table__), [_line(ctn, now) for ctn in chunk])
    return len(missing)


def _line(ctn: str, now) -> dict:
    return {
        "ctn": ctn,
        "account_number": identities.CARE_ACCOUNT,
        "account_group_id": identities.CARE_GROUP,
        "status": "active",
        "rate_plan_id": identities.CARE_RATE_PLAN,
        "bill_cycle_day": 1,
        "udl": [],
        "imei": None,
        "iccid": None,
        "network_block": False,
        "subscriber_contact": None,
        "billing_contact": None,
        "voicemail": {"pinSet": False},
        "source_order_id": None,
        "activated_on": now.date(),
        "created_at": now,
        "updated_at": now,
    }


def next_identifier(database: Database) -> int:
    """The first bench SIP username number no submitted onboarding order holds yet."""
    with database.transaction(write=False) as session:
        highest = session.scalar(
            select(func.max(ServiceIdentifier.value)).where(
                ServiceIdentifier.name == "sipUsername",
                ServiceIdentifier.value.like(f"{identities.SIP_PREFIX}%"),
            )
        )
    return 0 if highest is None else int(highest[len(identities.SIP_PREFIX) :]) + 1
