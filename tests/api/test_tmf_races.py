"""Concurrent writers of TMF620, TMF629 and TMF622 objects, each on its own connection:
they take turns on the row they change, so neither's change is lost and none is a 500."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from sqlalchemy import insert

from orderhub.catalog import offerings
from orderhub.customers import directory, management
from orderhub.customers import service as customers
from orderhub.db import Database, serialize_on
from orderhub.ids import new_id, utcnow
from orderhub.ledger.models import Order
from tests.helpers import random_phone

HOLD = 0.4  # how long the first writer keeps its transaction open after its change


def one_after_other(
    database: Database, first: Callable[[Any], Any], second: Callable[[Any], Any]
) -> list[Any]:
    """Run `first` in a transaction held open a moment after it ran, and `second` in
    another transaction started meanwhile; each one's result (or the error it raised)."""
    started = threading.Event()

    def run_first() -> Any:
        with database.transaction() as session:
            result = first(session)
            started.set()
            time.sleep(HOLD)
        return result

    def run_second() -> Any:
        started.wait(5)
        try:
            with database.transaction() as session:
                return second(session)
        except Exception as exc:  # the test looks at it
            return exc

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = [pool.submit(run_first), pool.submit(run_second)]
        return [r.result() for r in results]


def test_two_concurrent_changes_of_one_offering_both_land(database):
    with database.transaction() as session:
        offer_id = offerings.create(
            session,
            offer={"name": "Race Plan", "category": "plan", "monthlyCents": 3000},
            status="In design",
        ).id

    _, repriced = one_after_other(
        database,
        lambda s: offerings.change(s, offer_id=offer_id, changes={"name": "Renamed"}, status=None),
        lambda s: offerings.change(
            s, offer_id=offer_id, changes={"monthlyCents": 4500}, status="Launched"
        ),
    )

    assert not isinstance(repriced, Exception), repriced
    with database.transaction(write=False) as session:
        after = offerings.get(session, offer_id=offer_id)
    assert (after.name, after.monthly_cents, after.lifecycle_status, after.active) == (
        "Renamed",
        4500,
        "Launched",
        True,
    )


def test_a_prospects_first_order_and_tmf629_take_turns_on_one_identifier(database):
    phone = random_phone()

    def first_order(session: Any) -> str:
        # What a prospect's first order does (orders/service.py `_ordering_customer`).
        serialize_on(session, f"customer:{phone}")
        return customers.create(session, first_name="Pat", last_name="Lee", email=None, phone=phone)

    def tmf629(session: Any) -> Any:
        return management.create_individual(
            session,
            postal=None,  # type: ignore[arg-type]  # no address given
            first_name="Pat",
            last_name="Lee",
            email=None,
            phone=phone,
            address=None,
            owner="operations",
        )

    made, refused = one_after_other(database, first_order, tmf629)

    assert isinstance(refused, management.ContactTaken), refused
    with database.transaction(write=False) as session:
        assert customers.id_by_identifier(session, phone) == made


def test_deleting_a_customer_waits_for_an_order_being_made_for_it(database):
    with database.transaction() as session:
        made = management.create_individual(
            session,
            postal=None,  # type: ignore[arg-type]  # no address given
            first_name="Sam",
            last_name="Reyes",
            email=None,
            phone=random_phone(),
            address=None,
            owner="operations",
        )

    def order_for_them(session: Any) -> None:
        now = utcnow()
        session.execute(
            insert(Order.__table__),
            {
                "id": new_id("ord"),
                "owner": f"customer:{made.id}",
                "party_kind": "customer",
                "party_id": made.id,
                "customer_id": made.id,
                "status": "draft",
                "state": "acknowledged",
                "created_at": now,
                "updated_at": now,
            },
        )

    def delete(session: Any) -> None:
        found = directory.get_customer(
            session, scope=directory.Scope(everything=True), customer_id=made.id
        )
        management.delete_customer(session, customer=found, owner="operations")

    _, refused = one_after_other(database, order_for_them, delete)

    # The delete waited on the customer's row, then saw the order (not a 500, and not
    # merely the foreign key's complaint).
    assert isinstance(refused, management.CustomerInUse), refused
    assert refused.extra == {"inUseBy": "orders"}
