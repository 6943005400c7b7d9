"""Issue 13 item 11: payments as part of the order process, charged outside the request's
transaction (intent, port call, outcome), so a crash never charges twice or loses one."""

from __future__ import annotations

import asyncio
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from orderhub.ids import utcnow
from orderhub.onboarding import payment_recovery, payments
from tests.api.b2b_helpers import OPERATOR, SANDBOX_CLIENT_B, partner_headers
from tests.api.test_onboarding import ONB, new_account, new_order
from tests.api.test_onboarding_modules import configured_order
from tests.helpers import is_problem

CARD = {"number": "4242424242424242", "expiry": "12/30", "cvc": "123"}
DECLINED = {"number": "4000000000000002", "expiry": "12/30", "cvc": "123"}
B_REALMS = {"home-broadband": "isp-b.example", "voip-line": "voice-b.example"}


def pay(client, headers, oid, card=CARD, key=None, **body):
    extra = {"Idempotency-Key": key} if key else {}
    return client.post(
        f"{ONB}/orders/{oid}/payments", json={"card": card} | body, headers=headers | extra
    )


def sandbox_ledger(client):
    return client.app.state.runtime.adapters.payments.ledger


def accept_terms(client, headers, oid):
    blocks = client.get(f"{ONB}/orders/{oid}/terms", headers=headers).json()["blocks"]
    client.post(
        f"{ONB}/orders/{oid}/terms/acceptance",
        json={"accepted": [{"id": b["id"], "version": b["version"]} for b in blocks]},
        headers=headers,
    )


def test_an_order_payment_defaults_to_the_up_front_amount_and_shows_on_the_order(client):
    headers = partner_headers(client)
    oid = configured_order(client, headers)
    before = client.get(f"{ONB}/orders/{oid}", headers=headers).json()
    assert before["payment"] == {
        "required": False,
        "upFront": "89.00",  # home-essentials-12: no one-time charge, 89.00 a month
        "paid": "0.00",
        "due": "89.00",
        "currency": "USD",
    }

    paid = pay(client, headers, oid)

    assert paid.status_code == 201, paid.text
    assert (paid.json()["amount"], paid.json()["orderId"]) == ("89.00", oid)
    assert paid.json()["status"] == "succeeded" and paid.json()["settledAt"]
    after = client.get(f"{ONB}/orders/{oid}", headers=headers).json()
    assert (after["payment"]["paid"], after["payment"]["due"]) == ("89.00", "0.00")
    assert [p["id"] for p in after["payments"]] == [paid.json()["id"]]
    assert after["events"][-1]["type"] == "payment.succeeded"
    listed = client.get(f"{ONB}/orders/{oid}/payments", headers=headers).json()
    assert listed["payment"] == after["payment"] and listed["payments"] == after["payments"]
    account = client.get(f"{ONB}/accounts/{after['accountId']}/payments", headers=headers).json()
    assert [p["id"] for p in account["payments"]] == [paid.json()["id"]]
    assert is_problem(pay(client, headers, oid), 409, "nothing_due")
    more = pay(client, headers, oid, amount="10.00")
    assert more.status_code == 201 and more.json()["amount"] == "10.00"


def test_an_order_is_paid_for_after_its_plan_and_before_submit(client):
    headers = partner_headers(client)
    oid = new_order(client, headers)["id"]
    early = pay(client, headers, oid)
    assert is_problem(early, 409, "step_out_of_order")
    assert early.json()["missingStep"] == "packageSelection"
    assert is_problem(pay(client, headers, "oor_nope"), 404, "order_not_found")
    other = partner_headers(client, SANDBOX_CLIENT_B)
    assert is_problem(pay(client, other, oid), 404, "order_not_found")
    wrong = pay(client, headers, oid, currency="EUR")
    assert is_problem(wrong, 422) and wrong.json()["errors"][0]["field"] == "currency"


def test_a_provider_asking_for_payment_refuses_submit_until_it_succeeds(client):
    # Sandbox partner B: no terms module, payment required, realms of its own.
    headers = partner_headers(client, SANDBOX_CLIENT_B)
    oid = configured_order(client, headers, realms=B_REALMS)
    assert client.get(f"{ONB}/orders/{oid}", headers=headers).json()["payment"]["required"]

    unpaid = client.post(f"{ONB}/orders/{oid}/submit", headers=headers)
    assert is_problem(unpaid, 409, "order_incomplete")
    assert unpaid.json()["errors"] == [
        {
            "field": "payment",
            "rule": "payment_required",
            "message": "Pay the order's up-front amount first: 89.00 USD is due.",
            "amount": "89.00",
            "currency": "USD",
        }
    ]
    declined = pay(client, headers, oid, card=DECLINED)
    assert declined.status_code == 201 and declined.json()["status"] == "declined"
    still = client.post(f"{ONB}/orders/{oid}/submit", headers=headers)
    assert [e["rule"] for e in still.json()["errors"]] == ["payment_required"]

    assert pay(client, headers, oid).json()["status"] == "succeeded"
    submitted = client.post(f"{ONB}/orders/{oid}/submit", headers=headers)
    assert submitted.status_code == 200, submitted.text


def test_the_switch_makes_the_sandbox_partner_ask_for_payment_too(client):
    headers = partner_headers(client)
    oid = configured_order(client, headers)
    accept_terms(client, headers, oid)
    client.patch(
        "/operator/v1/partners/prt_sandbox/onboarding-settings",
        json={"paymentRequired": True},
        headers=OPERATOR,
    )

    refused = client.post(f"{ONB}/orders/{oid}/submit", headers=headers)

    assert [e["rule"] for e in refused.json()["errors"]] == ["payment_required"]


# ---- crash windows -----------------------------------------------------------------------


def test_a_crash_after_the_charge_is_settled_by_the_retry_without_charging_again(
    client, monkeypatch
):
    headers = partner_headers(client)
    oid = configured_order(client, headers)
    real_settle = payments.settle

    def crash(*args, **kwargs):
        raise RuntimeError("the process died after the port answered")

    monkeypatch.setattr(payments, "settle", crash)
    lost = pay(client, headers, oid, key="pay-1")
    assert lost.status_code == 500
    pending = client.get(f"{ONB}/orders/{oid}", headers=headers).json()["payments"]
    assert [(p["status"], p["reference"]) for p in pending] == [("pending", None)]
    assert len(sandbox_ledger(client)) == 1  # charged, not recorded

    monkeypatch.setattr(payments, "settle", real_settle)
    retried = pay(client, headers, oid, key="pay-1")

    assert retried.status_code == 201, retried.text
    assert retried.headers["Idempotent-Replayed"] == "true"
    assert retried.json()["id"] == pending[0]["id"] and retried.json()["status"] == "succeeded"
    assert retried.json()["reference"] == sandbox_ledger(client)[0].charge.reference
    assert len(sandbox_ledger(client)) == 1
    again = pay(client, headers, oid, key="pay-1")
    assert again.json() == retried.json() and len(sandbox_ledger(client)) == 1
    shown = client.get(f"{ONB}/orders/{oid}", headers=headers).json()
    assert [p["status"] for p in shown["payments"]] == ["succeeded"]
    assert shown["payment"]["paid"] == "89.00"


def test_a_crash_before_the_charge_is_charged_once_by_the_retry(client, monkeypatch):
    headers = partner_headers(client)
    oid = configured_order(client, headers)
    adapter = client.app.state.runtime.adapters.payments
    real_charge = adapter.charge

    def unreachable(**kwargs):
        raise ConnectionError("the payments provider did not answer")

    monkeypatch.setattr(adapter, "charge", unreachable)
    down = pay(client, headers, oid, key="pay-2")
    assert is_problem(down, 503, "payment_provider_unavailable")
    pending = client.get(f"{ONB}/orders/{oid}/payments", headers=headers).json()["payments"]
    assert [p["status"] for p in pending] == ["pending"]
    assert down.json()["paymentId"] == pending[0]["id"]
    assert "same Idempotency-Key" in down.json()["detail"]
    assert CARD["number"] not in down.text
    assert len(sandbox_ledger(client)) == 0
    # Another payment of the order waits for this one.
    waiting = pay(client, headers, oid, amount="1.00")
    assert is_problem(waiting, 409, "payment_pending")
    assert waiting.json()["paymentId"] == pending[0]["id"]

    monkeypatch.setattr(adapter, "charge", real_charge)
    retried = pay(client, headers, oid, key="pay-2")

    assert retried.status_code == 201 and retried.json()["status"] == "succeeded"
    assert len(sandbox_ledger(client)) == 1
    assert len(client.get(f"{ONB}/orders/{oid}/payments", headers=headers).json()["payments"]) == 1


def test_a_key_reused_with_another_card_is_refused(client):
    headers = partner_headers(client)
    oid = configured_order(client, headers)
    assert pay(client, headers, oid, key="pay-3").status_code == 201
    other_card = pay(client, headers, oid, card=DECLINED, key="pay-3")
    assert is_problem(other_card, 422)
    assert other_card.json()["errors"][0]["rule"] == "key_reused"
    assert len(sandbox_ledger(client)) == 1


def test_the_recovery_pass_asks_the_port_about_pending_payments(client, monkeypatch):
    headers = partner_headers(client)
    oid = configured_order(client, headers)
    runtime = client.app.state.runtime
    adapter = runtime.adapters.payments
    real_settle, real_charge = payments.settle, adapter.charge

    def crash(*args, **kwargs):
        raise RuntimeError("the process died")

    def recover(after: timedelta) -> int:
        return asyncio.run(
            payment_recovery.resolve_pending(runtime.database, adapter, now=utcnow() + after)
        )

    # One charged but not recorded, then one never charged (no Idempotency-Key: no retry).
    monkeypatch.setattr(payments, "settle", crash)
    assert pay(client, headers, oid, amount="5.00").status_code == 500
    monkeypatch.setattr(payments, "settle", real_settle)
    assert recover(timedelta(minutes=1)) == 0  # a request may still be on its way
    assert recover(timedelta(minutes=16)) == 1
    monkeypatch.setattr(adapter, "charge", crash)
    assert pay(client, headers, oid, amount="7.00").status_code == 503
    monkeypatch.setattr(adapter, "charge", real_charge)
    assert recover(timedelta(minutes=16)) == 1

    shown = client.get(f"{ONB}/orders/{oid}/payments", headers=headers).json()
    assert [(p["amount"], p["status"], p["declineCode"]) for p in shown["payments"]] == [
        ("5.00", "succeeded", None),
        ("7.00", "failed", "not_charged"),
    ]
    assert shown["payment"]["paid"] == "5.00"
    assert [c.amount_cents for c in sandbox_ledger(client)] == [500]
    assert recover(timedelta(minutes=16)) == 0


def test_an_account_payment_kept_before_0019_is_replayed_not_charged_again(client):
    import hashlib
    import hmac

    from sqlalchemy import update

    from orderhub.idempotency import service as idempotency

    headers = partner_headers(client)
    account = new_account(client, headers)
    path = f"{ONB}/accounts/{account['id']}/payments"
    body = {"amount": "25.00", "currency": "USD", "card": CARD}
    first = client.post(path, json=body, headers=headers | {"Idempotency-Key": "old-1"})
    assert first.status_code == 201
    # As the code before 0019 left it: the answer in the idempotency store, no request key.
    runtime = client.app.state.runtime
    card = hmac.new(runtime.key, CARD["number"].encode(), hashlib.sha256).hexdigest()
    fingerprint = idempotency.fingerprint(
        "POST", path, {"amount": "25.00", "currency": "USD", "card": card}
    )
    with runtime.database.transaction() as session:
        session.execute(update(payments.PAYMENTS).values(request_key=None, request_hash=None))
        idempotency.remember(
            session,
            scope="partner:prt_sandbox",
            key="old-1",
            request_hash=fingerprint,
            status_code=201,
            body=first.json(),
        )

    again = client.post(path, json=body, headers=headers | {"Idempotency-Key": "old-1"})

    assert again.status_code == 201 and again.json()["id"] == first.json()["id"]
    assert again.headers["Idempotent-Replayed"] == "true"
    assert len(sandbox_ledger(client)) == 1


# ---- races -------------------------------------------------------------------------------


def test_concurrent_default_payments_of_one_order_charge_once(client, monkeypatch):
    headers = partner_headers(client)
    oid = configured_order(client, headers)
    adapter = client.app.state.runtime.adapters.payments
    real_charge = adapter.charge

    def slow(**kwargs):
        time.sleep(0.3)  # every racer gets its turn while the first charge is on its way
        return real_charge(**kwargs)

    monkeypatch.setattr(adapter, "charge", slow)
    racers = 4
    barrier = threading.Barrier(racers)

    def race(_: int):
        barrier.wait()
        return pay(client, headers, oid)

    with ThreadPoolExecutor(max_workers=racers) as pool:
        answers = list(pool.map(race, range(racers)))

    made = [a for a in answers if a.status_code == 201]
    assert len(made) == 1, [a.text for a in answers]
    assert all(
        is_problem(a, 409, "payment_pending") and a.json()["paymentId"] == made[0].json()["id"]
        for a in answers
        if a.status_code != 201
    )
    assert [c.amount_cents for c in sandbox_ledger(client)] == [8900]
    shown = client.get(f"{ONB}/orders/{oid}", headers=headers).json()["payment"]
    assert (shown["paid"], shown["due"]) == ("89.00", "0.00")


def _events(client, headers, oid, kind):
    events = client.get(f"{ONB}/orders/{oid}", headers=headers).json()["events"]
    return [e for e in events if e["type"] == kind]


def test_two_recovery_passes_at_once_record_one_event(client, monkeypatch):
    headers = partner_headers(client)
    oid = configured_order(client, headers)
    runtime = client.app.state.runtime
    adapter = runtime.adapters.payments
    real_lookup = adapter.lookup

    def down(**kwargs):
        raise ConnectionError("the payments provider did not answer")

    monkeypatch.setattr(adapter, "charge", down)
    assert pay(client, headers, oid, amount="7.00").status_code == 503
    both_asked = threading.Barrier(2)

    def slow_lookup(key):
        both_asked.wait(timeout=5)  # each pass has read the row before either settles
        return real_lookup(key)

    monkeypatch.setattr(adapter, "lookup", slow_lookup)

    async def two_passes():
        later = utcnow() + timedelta(minutes=16)
        return await asyncio.gather(
            payment_recovery.resolve_pending(runtime.database, adapter, now=later),
            payment_recovery.resolve_pending(runtime.database, adapter, now=later),
        )

    assert asyncio.run(two_passes()) == [1, 1]
    assert len(_events(client, headers, oid, "payment.failed")) == 1
    shown = client.get(f"{ONB}/orders/{oid}/payments", headers=headers).json()["payments"]
    assert [(p["status"], p["declineCode"]) for p in shown] == [("failed", "not_charged")]


def test_a_failing_lookup_leaves_its_payment_pending_and_the_pass_goes_on(client, monkeypatch):
    headers = partner_headers(client)
    oid = configured_order(client, headers)
    account = client.get(f"{ONB}/orders/{oid}", headers=headers).json()["accountId"]
    runtime = client.app.state.runtime
    adapter = runtime.adapters.payments
    real_lookup = adapter.lookup

    def down(**kwargs):
        raise ConnectionError("the payments provider did not answer")

    monkeypatch.setattr(adapter, "charge", down)
    assert pay(client, headers, oid, amount="3.00").status_code == 503
    on_account = client.post(
        f"{ONB}/accounts/{account}/payments",
        json={"amount": "4.00", "currency": "USD", "card": CARD},
        headers=headers,
    )
    assert is_problem(on_account, 503, "payment_provider_unavailable")
    with runtime.database.transaction(write=False) as session:
        broken = payments.of_order(session, order_id=oid)[0].port_key

    def flaky(key):
        if key == broken:
            raise ConnectionError("lookup failed")
        return real_lookup(key)

    monkeypatch.setattr(adapter, "lookup", flaky)
    later = utcnow() + timedelta(minutes=16)
    assert asyncio.run(payment_recovery.resolve_pending(runtime.database, adapter, now=later)) == 2

    shown = client.get(f"{ONB}/accounts/{account}/payments", headers=headers).json()
    assert [(p["amount"], p["status"]) for p in shown["payments"]] == [
        ("4.00", "failed"),  # newest first
        ("3.00", "pending"),
    ]


def test_a_charge_made_after_recovery_closed_the_payment_is_found_by_the_retry(client, monkeypatch):
    headers = partner_headers(client)
    oid = configured_order(client, headers)
    runtime = client.app.state.runtime
    adapter = runtime.adapters.payments
    real_charge = adapter.charge

    def down(**kwargs):
        raise ConnectionError("the payments provider did not answer")

    monkeypatch.setattr(adapter, "charge", down)
    assert pay(client, headers, oid, key="pay-6").status_code == 503
    later = utcnow() + timedelta(minutes=16)
    assert asyncio.run(payment_recovery.resolve_pending(runtime.database, adapter, now=later)) == 1
    monkeypatch.setattr(adapter, "charge", real_charge)
    # The slow first try charges after all, and dies before recording it.
    with runtime.database.transaction(write=False) as session:
        closed = payments.of_order(session, order_id=oid)[0]
    assert (closed.status, closed.decline_code) == ("failed", "not_charged")
    late = adapter.charge(
        idempotency_key=closed.port_key,
        card_number=CARD["number"],
        expiry=CARD["expiry"],
        cvc=CARD["cvc"],
        amount_cents=8900,
        currency="USD",
    )

    retried = pay(client, headers, oid, key="pay-6")

    assert retried.status_code == 201, retried.text
    assert (retried.json()["status"], retried.json()["reference"]) == ("succeeded", late.reference)
    assert retried.json()["declineCode"] is None
    assert len(sandbox_ledger(client)) == 1
    assert len(_events(client, headers, oid, "payment.succeeded")) == 1
    assert client.get(f"{ONB}/orders/{oid}", headers=headers).json()["payment"]["due"] == "0.00"


def test_a_port_slower_than_the_timeout_answers_503_and_the_payment_stays_pending(
    client, monkeypatch
):
    headers = partner_headers(client)
    oid = configured_order(client, headers)
    adapter = client.app.state.runtime.adapters.payments
    monkeypatch.setattr(payments, "PORT_TIMEOUT_SECONDS", 0.2)
    monkeypatch.setattr(adapter, "charge", lambda **kwargs: time.sleep(1))

    slow = pay(client, headers, oid, key="pay-7")

    assert is_problem(slow, 503, "payment_provider_unavailable")
    shown = client.get(f"{ONB}/orders/{oid}/payments", headers=headers).json()["payments"]
    assert [(p["id"], p["status"]) for p in shown] == [(slow.json()["paymentId"], "pending")]
