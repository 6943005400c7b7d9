"""Withdrawing a care order (`POST /careOrder/{id}/cancel`): what has not applied yet is
cancelled and never applies; what has applied stays; the worker and a withdrawal never
both win a change."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from orderhub.careorders import worker
from orderhub.inventory.service import SUBSCRIBERS
from tests.api.b2b_helpers import SANDBOX_CLIENT_B
from tests.api.care_helpers import (
    CARE,
    ELITE,
    POOLED,
    VOICE_PACK,
    Partner,
    add,
    change,
    moment,
)
from tests.helpers import is_problem


@pytest.fixture
def care(client) -> Partner:
    return Partner(client)


def cancel(care: Partner, order_id: str, partner: Partner | None = None):
    caller = partner or care
    return caller.http.post(f"{CARE}/careOrder/{order_id}/cancel", headers=caller.auth)


def test_a_withdrawn_change_never_applies(care):
    order = care.place(change(items=[add(VOICE_PACK)], effectiveDate="nextBillingCycle"))
    care.process()  # scheduled, waiting for the billing cycle
    withdrawn = cancel(care, order["id"])
    assert withdrawn.status_code == 200, withdrawn.text
    body = withdrawn.json()
    assert body["status"] == "cancelled"
    assert [(c["status"], c["notes"]) for c in body["changeRequests"]] == [
        ("cancelled", ["Withdrawn by the client."])
    ]
    care.run_until(moment(order["changeRequests"][0]["dueAt"]))
    assert care.order(order["id"])["status"] == "cancelled"
    assert VOICE_PACK not in care.features(POOLED)
    moves = [(e["previousStatus"], e["status"]) for e in care.events("care_change.status_changed")]
    assert moves == [("received", "scheduled"), ("scheduled", "cancelled")]
    assert is_problem(cancel(care, order["id"]), 409, "care_order_final")


def test_a_received_change_is_withdrawn_before_the_worker_schedules_it(care):
    order = care.place(change(udl=[{"type": "Team", "value": "Ops"}]))
    assert cancel(care, order["id"]).json()["changeRequests"][0]["status"] == "cancelled"
    care.process()
    assert care.order(order["id"])["changeRequests"][0]["status"] == "cancelled"
    assert {"type": "Team", "value": "Ops"} not in care.line(POOLED)["udl"]


def test_withdrawing_keeps_what_already_applied(care):
    order = care.place(
        change(udl=[{"type": "Team", "value": "Ops"}]),
        change(
            ctn=ELITE, udl=[{"type": "Team", "value": "Later"}], effectiveDate="nextBillingCycle"
        ),
    )
    care.process()
    withdrawn = cancel(care, order["id"]).json()
    assert withdrawn["status"] == "partiallyCompleted"
    assert [c["status"] for c in withdrawn["changeRequests"]] == ["completed", "cancelled"]
    assert {"type": "Team", "value": "Ops"} in care.line(POOLED)["udl"]


def test_an_applied_order_and_another_partners_order_cannot_be_withdrawn(care, client):
    order = care.place(change(udl=[{"type": "Team", "value": "Ops"}]))
    assert is_problem(cancel(care, order["id"], Partner(client, SANDBOX_CLIENT_B)), 404)
    care.process()
    assert is_problem(cancel(care, order["id"]), 409, "care_order_final")
    assert is_problem(cancel(care, "care_missing"), 404, "care_order_not_found")


def test_a_withdrawal_waits_for_a_worker_applying_the_line(care, backend):
    """The worker holds the line while it applies; a withdrawal meanwhile waits, then finds
    the change applied (409) instead of cancelling a change that already took effect."""
    if backend != "postgresql":
        pytest.skip("SQLite runs one writer at a time: the two cannot overlap")
    order = care.place(change(udl=[{"type": "Team", "value": "Ops"}]))
    runtime = care.http.app.state.runtime
    answers = []
    with runtime.database.transaction() as session:
        now = care.now()
        worker.schedule_received(session, now=now)
    with runtime.database.transaction() as session:
        session.execute(select(SUBSCRIBERS).where(SUBSCRIBERS.c.ctn == POOLED).with_for_update())
        waiting = threading.Thread(target=lambda: answers.append(cancel(care, order["id"])))
        waiting.start()
        waiting.join(timeout=1.0)
        assert waiting.is_alive(), "the withdrawal did not wait for the line"
        worker.apply_due_on_line(
            session, ctn=POOLED, now=now, key=runtime.key, messenger=runtime.adapters.messenger
        )
    waiting.join(timeout=10)
    assert is_problem(answers[0], 409, "care_order_final")
    assert care.order(order["id"])["changeRequests"][0]["status"] == "completed"
