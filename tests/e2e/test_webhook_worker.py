"""The worker inside `orderhub serve` delivers an event once, even with two processes."""

from __future__ import annotations

import time

from orderhub.identity.service import signing_key
from orderhub.webhooks import rules
from orderhub.webhooks import service as webhooks
from tests.receiver import Receiver

OWNER = "partner:p_e2e"


def test_served_processes_deliver_each_event_once(serve, database, settings, monkeypatch):
    monkeypatch.setenv("ORDERHUB_WORKER_POLL_SECONDS", "0.1")
    receiver = Receiver()
    try:
        serve(workers=2)
        with database.transaction() as session:
            key = signing_key(session, settings)  # the one the server signs with
            new = webhooks.subscribe(
                session,
                owner=OWNER,
                url=receiver.url,
                event_types=["order.*"],
                key=key,
                allow_http=True,
            )
            event_id = webhooks.publish(
                session, owner=OWNER, type="order.status_changed", subject="o", data={}
            )
        deadline = time.monotonic() + 15
        while not receiver.received and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(1)  # a second delivery, if one were coming, would arrive by now
        assert [r.headers["OrderHub-Event-Id"] for r in receiver.received] == [event_id]
        got = receiver.received[0]
        timestamp = int(got.headers["OrderHub-Timestamp"])
        assert got.headers["OrderHub-Signature"] == rules.signature(new.secret, timestamp, got.body)
    finally:
        receiver.close()
