"""Fifty clients race for one number, each on its own connection: exactly one wins."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import select

from orderhub.errors import Conflict
from orderhub.identity.tokens import Principal
from orderhub.numbers import service as numbers
from orderhub.numbers.models import PhoneNumber
from orderhub.orders import service as orders
from tests.integration.credit_helpers import decide_credit

ALEX = Principal("2145550100", "cus_alex_bell", 2**31)
RACERS = 50


def _draft_orders(database, count: int) -> list[str]:
    """Orders of one plan with an approved credit decision (numbers come after credit)."""
    with database.transaction() as session:
        order_ids = [
            orders.create(
                session,
                principal=ALEX,
                customer_id=None,
                new_customer=None,
                items=[orders.ItemRequest("plan-unlimited-extra", 1)],
            )
            for _ in range(count)
        ]
        for order_id in order_ids:
            decide_credit(session, order_id=order_id)
        return order_ids


def test_fifty_concurrent_reservations_of_one_number_have_one_winner(database):
    order_ids = _draft_orders(database, RACERS)
    number = "2145551234"
    barrier = threading.Barrier(RACERS)

    def race(order_id: str) -> str:
        barrier.wait()
        try:
            with database.transaction() as session:
                order = orders.claim_for_change(session, order_id=order_id, principal=ALEX)
                numbers.reserve(
                    session,
                    order=order,
                    item_id=orders.items_of(session, order_id=order_id)[0].id,
                    number=number,
                    ttl_seconds=600,
                    actor="test",
                )
            return "won"
        except Conflict:
            return "lost"

    with ThreadPoolExecutor(max_workers=RACERS) as pool:
        outcomes = list(pool.map(race, order_ids))

    assert outcomes.count("won") == 1
    assert outcomes.count("lost") == RACERS - 1
    with database.transaction(write=False) as session:
        holder = session.scalar(select(PhoneNumber.order_id).where(PhoneNumber.number == number))
    assert holder == order_ids[outcomes.index("won")]
