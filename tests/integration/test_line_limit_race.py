"""Reservations racing on one order at its credit policy's line limit (issue 13 item 5):
each on its own connection, never more numbers than `maxLines` (the order row is locked
before the count, orders.claim_for_change)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from orderhub.numbers import service as numbers
from orderhub.numbers.models import PhoneNumber
from orderhub.orders import service as orders
from tests.integration.credit_helpers import ALEX, decide_credit

RACERS = 8


def _reserve(database, order_id: str, item_id: str, number: str) -> None:
    with database.transaction() as session:
        order = orders.claim_for_change(session, order_id=order_id, principal=ALEX)
        numbers.reserve(
            session, order=order, item_id=item_id, number=number, ttl_seconds=600, actor="test"
        )


def test_concurrent_reservations_never_pass_the_line_limit(database):
    with database.transaction() as session:
        order_id = orders.create(
            session,
            principal=ALEX,
            customer_id=None,
            new_customer=None,
            items=[orders.ItemRequest("bundle-family-4", 1)],  # four lines
        )
        decide_credit(session, order_id=order_id, ssn="123-45-1111")  # maxLines 3
        item_id = orders.items_of(session, order_id=order_id)[0].id
    for number in ("2145551700", "2145551701"):
        _reserve(database, order_id, item_id, number)

    barrier = threading.Barrier(RACERS)

    def race(i: int) -> str:
        barrier.wait()
        try:
            _reserve(database, order_id, item_id, f"21455518{i:02d}")
            return "won"
        except numbers.MaxLinesExceeded:
            return "refused"

    with ThreadPoolExecutor(max_workers=RACERS) as pool:
        outcomes = list(pool.map(race, range(RACERS)))

    assert outcomes.count("won") == 1, outcomes
    assert outcomes.count("refused") == RACERS - 1, outcomes
    with database.transaction(write=False) as session:
        held = session.scalar(
            select(func.count())
            .select_from(PhoneNumber)
            .where(PhoneNumber.order_id == order_id, PhoneNumber.status == "reserved")
        )
    assert held == 3
