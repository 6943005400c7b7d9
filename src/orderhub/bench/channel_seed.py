"""The other channels' bench data: business customers for partner orders, a business
account full of lines for care orders, and where onboarding identifiers go on from.

Like seed.py, rows already there are skipped, so a database can be reused. The domain's
own writers make the rows: the business service for the few customers (it standardizes
the address), the inventory's `add_lines` for the lines (a bulk insert, each line with
its first history event).
"""

from __future__ import annotations

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from orderhub.adapters.postal import PostalAddress, SandboxPostalValidator
from orderhub.bench import identities
from orderhub.bench.seed import chunks
from orderhub.business import service as business
from orderhub.business.models import BusinessCustomer
from orderhub.business.rules import AllianceStatus
from orderhub.db import Database
from orderhub.ids import utcnow
from orderhub.inventory import service as inventory
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
    with database.transaction() as session:
        added_lines = _add_care_lines(session, lines)
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


def _add_care_lines(session: Session, count: int) -> int:
    conn = session.connection()
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
                "created_at": utcnow(),
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
    # The inventory's own insert of new lines (with their first history event), in chunks.
    for chunk in chunks(missing):
        inventory.add_lines(
            session,
            lines=[
                inventory.NewLine(
                    ctn=ctn,
                    account_number=identities.CARE_ACCOUNT,
                    account_group_id=identities.CARE_GROUP,
                    rate_plan_id=identities.CARE_RATE_PLAN,
                    status="active",
                )
                for ctn in chunk
            ],
            actor="bench:seed",
            loaded=True,
        )
    return len(missing)


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
