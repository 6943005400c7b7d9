"""One partner order the provisioning port fails on does not hold back the others."""

from __future__ import annotations

import dataclasses
import logging
from datetime import timedelta

from fastapi.testclient import TestClient

from orderhub.adapters.provisioning import SandboxProvisioning
from orderhub.app import create_app
from orderhub.ids import utcnow
from orderhub.partner_orders import provisioning_worker
from tests.api.b2b_helpers import B2B, partner_headers, submitted_order

SANDBOX = SandboxProvisioning(step_seconds=30)


class BrokenFor:
    """The sandbox, except that asking about some sub-orders raises (a port bug, a lost
    connection)."""

    def __init__(self, broken_sub_orders: set[str]) -> None:
        self.broken = broken_sub_orders

    def hand_off(self, *, order_id, sub_orders):
        return SANDBOX.hand_off(order_id=order_id, sub_orders=sub_orders)

    def check(self, *, reference, sub_orders):
        if {s.id for s in sub_orders} & self.broken:
            raise RuntimeError("connection reset by the provisioning system")
        return SANDBOX.check(reference=reference, sub_orders=sub_orders)


def test_a_failing_order_is_retried_later_and_the_batch_goes_on(settings, database, caplog):
    app = create_app(dataclasses.replace(settings, provisioning_step_seconds=30))
    with TestClient(app) as client:
        headers = partner_headers(client)
        broken = submitted_order(client, headers)
        fine = submitted_order(client, headers)

        def read(order: dict) -> dict:
            return client.get(f"{B2B}/orders/{order['id']}", headers=headers).json()

        port = BrokenFor({s["id"] for s in read(broken)["subOrders"]})
        later = utcnow() + timedelta(seconds=31)
        with database.transaction() as session, caplog.at_level(logging.WARNING):
            assert provisioning_worker.apply_due(session, provisioning=port, now=later) == 2

        assert read(fine)["status"] == "accepted"
        assert read(broken)["status"] == "submitted"
        assert any(broken["id"] in r.getMessage() for r in caplog.records if r.levelname == "ERROR")
        # Not due again until the retry...
        with database.transaction() as session:
            assert provisioning_worker.apply_due(session, provisioning=SANDBOX, now=later) == 0
        # ...then taken up as usual.
        retry = later + timedelta(seconds=provisioning_worker.RETRY_SECONDS)
        with database.transaction() as session:
            assert provisioning_worker.apply_due(session, provisioning=SANDBOX, now=retry) >= 1
        assert read(broken)["status"] == "accepted"
