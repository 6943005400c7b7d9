"""Preparing a bench database: schema, sandbox data, bench customers and a big number pool.

Bulk Core inserts in chunks, skipping rows already there, so a second run on the same
database adds nothing twice and a PostgreSQL database can be reused across runs.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Table, func, insert, select

from orderhub import migrate
from orderhub.bench import identities
from orderhub.customers.models import Account, Address, Customer
from orderhub.db import Database
from orderhub.identity.models import OtpChallenge
from orderhub.ids import utcnow
from orderhub.ledger.models import Order
from orderhub.numbers.models import PhoneNumber
from orderhub.sandbox import loader

CHUNK = 5_000


@dataclass(frozen=True)
class SeedSize:
    customers: int
    numbers: int
    # The care scenario's lines (channel_seed.py); a seed for the consumer flow alone
    # (tests/e2e/test_database_restart.py) needs none.
    lines: int = 0


# OTP issue is limited to 5 codes per identifier per 15 minutes, so every buyer iteration
# takes the next unused customer: 20,000 of them cover far more orders than a run makes.
FULL = SeedSize(customers=20_000, numbers=200_000, lines=20_000)
SMOKE = SeedSize(customers=1_000, numbers=10_000, lines=1_000)


@dataclass(frozen=True)
class SeedReport:
    customers_added: int
    numbers_added: int


def prepare(url: str, size: SeedSize) -> SeedReport:
    """Migrate, load the sandbox data (catalog, terms) and the bench's own rows."""
    if size.numbers > identities.MAX_NUMBERS:
        raise ValueError(f"the bench area code holds at most {identities.MAX_NUMBERS} numbers")
    database = Database(url)
    try:
        migrate.upgrade(database)
        with database.transaction() as session:
            loader.load(session)
        with database.engine.begin() as conn:
            report = SeedReport(
                customers_added=_add_customers(conn, size.customers),
                numbers_added=_add_numbers(conn, size.numbers),
            )
        if not database.is_sqlite:
            _analyze(database)
        return report
    finally:
        database.dispose()


def _analyze(database: Database) -> None:
    """Give PostgreSQL's planner statistics for the bulk-loaded tables now.

    A live database gets them from autovacuum; a freshly seeded one may not have them yet,
    and without them the number search sorts the whole pool (40 ms) instead of walking the
    primary key (0.05 ms): the bench would measure the missing statistics, not OrderHub.
    SQLite is left alone: OrderHub never runs ANALYZE there, so neither does the bench.
    """
    tables = [t.__table__.name for t in (Customer, Account, Address, PhoneNumber)]
    with database.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql(f"ANALYZE {', '.join(tables)}")


def _add_customers(conn: Connection, count: int) -> int:
    existing = set(
        conn.scalars(select(Customer.id).where(Customer.id.like("cus\\_bench\\_%", escape="\\")))
    )
    missing = [i for i in range(count) if identities.customer_id(i) not in existing]
    now = utcnow()
    for chunk in chunks(missing):
        _insert(conn, Customer.__table__, [_customer(i, now) for i in chunk])
        _insert(
            conn,
            Account.__table__,
            [
                {
                    "id": f"acc_bench_{i:06d}",
                    "customer_id": identities.customer_id(i),
                    # 8-prefixed: the sandbox's accounts are 9-prefixed, so never a clash.
                    "number": f"8{i:011d}",
                    "type": "wireless",
                    "status": "active",
                    "created_at": now,
                }
                for i in chunk
            ],
        )
        address = identities.ADDRESS
        _insert(
            conn,
            Address.__table__,
            [
                {
                    "id": f"adr_bench_{i:06d}",
                    "customer_id": identities.customer_id(i),
                    "kind": "service",
                    "line1": address["addressLine1"],
                    "line2": None,
                    "city": address["city"],
                    "state": address["state"],
                    "zip_code": address["zipCode"],
                }
                for i in chunk
            ],
        )
    return len(missing)


def _customer(index: int, now: Any) -> dict[str, Any]:
    return {
        "id": identities.customer_id(index),
        "type": "consumer",
        "first_name": "Bench",
        "last_name": f"Buyer{index}",
        "email": f"bench{index}@bench.example",
        "phone": identities.phone(index),
        "created_at": now,
    }


def _add_numbers(conn: Connection, count: int) -> int:
    existing = set(
        conn.scalars(
            select(PhoneNumber.number).where(PhoneNumber.area_code == identities.AREA_CODE)
        )
    )
    missing = [n for n in map(identities.pool_number, range(count)) if n not in existing]
    for chunk in chunks(missing):
        _insert(
            conn,
            PhoneNumber.__table__,
            [
                {"number": n, "area_code": identities.AREA_CODE, "status": "available"}
                for n in chunk
            ],
        )
    return len(missing)


def _insert(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    if rows:
        conn.execute(insert(table), rows)


def chunks(items: list[Any]) -> Iterator[list[Any]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def next_customer(url: str) -> int:
    """Where the next buyer starts: one OTP was issued per bench customer used so far.

    Buyers take customers in order from this cursor, so a database reused within the OTP
    rate-limit window (5 codes per 15 minutes) hands out fresh customers first.
    """
    database = Database(url)
    try:
        with database.transaction(write=False) as session:
            return session.scalar(
                select(func.count())
                .select_from(OtpChallenge)
                .where(
                    OtpChallenge.identifier.between(
                        identities.phone(0), identities.phone(10**6 - 1)
                    )
                )
            )
    finally:
        database.dispose()


# What a submitted order may have become meanwhile (the fulfillment worker moves it).
KEPT = frozenset({"submitted", "inFulfillment", "completed"})


def lost_orders(url: str, order_ids: list[str]) -> list[str]:
    """The ids among those a buyer saw submitted that the database does not hold as
    submitted, or moved on since by the fulfillment worker."""
    database = Database(url)
    found: dict[str, str] = {}
    try:
        with database.transaction(write=False) as session:
            for chunk in chunks(order_ids):
                found.update(
                    session.execute(select(Order.id, Order.status).where(Order.id.in_(chunk)))
                    .tuples()
                    .all()
                )
    finally:
        database.dispose()
    return [i for i in order_ids if found.get(i) not in KEPT]
