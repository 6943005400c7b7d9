"""Ten clients submit the same order at once, each on its own connection: one submission."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

from sqlalchemy import func, select

from orderhub.adapters.credit_bureau import SandboxCreditBureau
from orderhub.adapters.postal import SandboxPostalValidator
from orderhub.credit import service as credit
from orderhub.errors import Conflict
from orderhub.fulfillment import service as fulfillment
from orderhub.identity.tokens import Principal
from orderhub.ledger.models import OrderEvent
from orderhub.orders import service as orders
from orderhub.orders import submit as submission

ALEX = Principal("2145550100", "cus_alex_bell", 2**31)
ADDRESS = {"addressLine1": "123 Main St", "city": "Dallas", "state": "TX", "zipCode": "75201"}
RACERS = 10


def _ready_accessory_order(database) -> str:
    """An order with no phone lines (nothing else to claim), ready to submit."""
    with database.transaction() as session:
        order_id = orders.create(
            session,
            principal=ALEX,
            customer_id=None,
            new_customer=None,
            items=[orders.ItemRequest("acc-clear-case", 1)],
        )
        order = orders.get_for_caller(session, order_id=order_id, principal=ALEX)
        credit.submit(
            session,
            order=order,
            bureau=SandboxCreditBureau(),
            key=b"k",
            actor="t",
            request=credit.CreditRequest("Alex", "Bell", date(1985, 4, 12), "123456789", ADDRESS),
        )
        fulfillment.create(
            session,
            order=order,
            postal=SandboxPostalValidator(),
            terms_version="2026-01",
            actor="t",
            changes={
                "method": "shipping",
                "shippingAddress": ADDRESS,
                "contact": {"firstName": "Alex", "lastName": "Bell"},
                "requestedDate": date.today() + timedelta(days=2),
                "termsAndConditions": {"accepted": True, "version": "2026-01"},
            },
        )
        return order.id


def test_concurrent_submits_of_one_order_submit_it_once(database):
    order_id = _ready_accessory_order(database)
    barrier = threading.Barrier(RACERS)

    def race(_: int) -> str:
        barrier.wait()
        try:
            with database.transaction() as session:
                order = orders.claim_for_change(session, order_id=order_id, principal=ALEX)
                return submission.submit(
                    session, order=order, terms_version="2026-01", actor="t"
                ).confirmation_number
        except Conflict:
            return "refused"

    with ThreadPoolExecutor(max_workers=RACERS) as pool:
        outcomes = list(pool.map(race, range(RACERS)))

    assert outcomes.count("refused") == RACERS - 1
    with database.transaction(write=False) as session:
        submitted_events = session.scalar(
            select(func.count())
            .select_from(OrderEvent)
            .where(OrderEvent.order_id == order_id, OrderEvent.type == "order.submitted")
        )
    assert submitted_events == 1
