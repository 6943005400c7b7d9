"""Racing orders from the alternatives of one opportunity, each on its own connection:
the first wins the opportunity, every other is refused and creates nothing."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from fastapi.testclient import TestClient
from sqlalchemy import select

from orderhub.app import create_app
from orderhub.errors import Conflict
from orderhub.opportunities import service as opportunities
from orderhub.partner_orders import service as orders
from orderhub.partner_orders.models import PartnerOrder
from tests.api.b2b_helpers import ALLIANCE_CUSTOMER, B2B, partner_headers, signed_quote

PARTNER = "prt_sandbox"
RACERS = 4


def test_of_concurrent_orders_from_alternatives_one_wins_the_opportunity(settings, database):
    with TestClient(create_app(settings)) as client:
        headers = partner_headers(client)
        opened = client.post(
            f"{B2B}/opportunities", json={"customerId": ALLIANCE_CUSTOMER}, headers=headers
        ).json()
        quotes = [
            signed_quote(client, headers, opportunityId=opened["id"])["quoteId"]
            for _ in range(RACERS)
        ]
    barrier = threading.Barrier(RACERS)

    def order(quote_id: str) -> str:
        barrier.wait()
        try:
            with database.transaction() as session:
                orders.create(session, partner_id=PARTNER, quote_id=quote_id)
            return "done"
        except Conflict:
            return "refused"

    with ThreadPoolExecutor(max_workers=RACERS) as pool:
        outcomes = list(pool.map(order, quotes))

    assert sorted(outcomes) == ["done"] + ["refused"] * (RACERS - 1)
    with database.transaction(write=False) as session:
        made = session.scalars(
            select(PartnerOrder.quote_id).where(PartnerOrder.quote_id.in_(quotes))
        ).all()
        won = opportunities.get_for_partner(
            session, partner_id=PARTNER, opportunity_id=opened["id"]
        )
    assert len(made) == 1
    assert (won.status, won.won_quote_id) == ("won", made[0])
    assert won.won_quote_id == quotes[outcomes.index("done")]
