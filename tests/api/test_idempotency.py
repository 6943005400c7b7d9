"""Idempotency-Key on create and submit; expired reservations."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select, update

from orderhub.ids import utcnow
from orderhub.ledger.models import Order
from orderhub.numbers.models import PhoneNumber
from tests.helpers import BASE, create_order, is_problem, ready_order, sign_in, submit_credit

CART = {"items": [{"offerId": "plan-unlimited-extra", "quantity": 1}]}


def _order_count(database) -> int:
    with database.transaction(write=False) as session:
        return session.scalar(select(func.count()).select_from(Order))


def test_create_replays_the_first_answer_for_the_same_key(client, database):
    headers = sign_in(client) | {"Idempotency-Key": "create-1"}
    before = _order_count(database)
    first = client.post(f"{BASE}/v1/order/create", json=CART, headers=headers)
    again = client.post(f"{BASE}/v1/order/create", json=CART, headers=headers)
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert _order_count(database) == before + 1


def test_same_key_with_another_body_is_a_422(client):
    headers = sign_in(client) | {"Idempotency-Key": "create-2"}
    client.post(f"{BASE}/v1/order/create", json=CART, headers=headers)
    other = client.post(
        f"{BASE}/v1/order/create",
        headers=headers,
        json={"items": [{"offerId": "plan-unlimited-premium"}]},
    )
    assert is_problem(other, 422)
    assert other.json()["errors"][0]["rule"] == "key_reused"


def test_keys_belong_to_the_caller(client):
    alex = sign_in(client) | {"Idempotency-Key": "shared"}
    jordan = sign_in(client, "4695550111") | {"Idempotency-Key": "shared"}
    a = client.post(f"{BASE}/v1/order/create", json=CART, headers=alex).json()
    b = client.post(f"{BASE}/v1/order/create", json=CART, headers=jordan).json()
    assert a["id"] != b["id"] and b["customerId"] == "cus_jordan_lee"


def test_submit_replays_and_does_nothing_again(client):
    headers = sign_in(client)
    order = ready_order(client, headers)
    keyed = headers | {"Idempotency-Key": "submit-1"}
    first = client.post(f"{BASE}/v1/order/submit", json={"orderId": order["id"]}, headers=keyed)
    again = client.post(f"{BASE}/v1/order/submit", json={"orderId": order["id"]}, headers=keyed)
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json()
    events = client.get(f"{BASE}/v1/order/{order['id']}", headers=headers).json()["events"]
    assert [e["type"] for e in events].count("order.submitted") == 1


def test_a_failed_create_keeps_no_key_and_no_half_written_order(client, database):
    headers = sign_in(client) | {"Idempotency-Key": "create-3"}
    before = _order_count(database)
    bad = client.post(
        f"{BASE}/v1/order/create",
        headers=headers,
        json={"items": [{"offerId": "plan-unlimited-extra"}, {"offerId": "nope"}]},
    )
    assert is_problem(bad, 422)
    assert _order_count(database) == before
    assert client.post(f"{BASE}/v1/order/create", json=CART, headers=headers).status_code == 200


def test_an_expired_reservation_blocks_submission_and_frees_the_number(client, database):
    headers = sign_in(client)
    order = ready_order(client, headers)
    with database.transaction() as session:
        session.execute(
            update(PhoneNumber)
            .where(PhoneNumber.order_id == order["id"])
            .values(reserved_until=utcnow() - timedelta(seconds=1))
        )
        number = session.scalar(
            select(PhoneNumber.number).where(PhoneNumber.order_id == order["id"])
        )
    problems = client.get(f"{BASE}/V1/order/{order['id']}/validate", headers=headers).json()
    assert [p["code"] for p in problems["problems"]] == ["reservation_expired", "number_missing"]
    # The expired number is back in the pool: another order may take it.
    other = create_order(client, headers)
    submit_credit(client, headers, other["id"])
    taken = client.patch(
        f"{BASE}/v1/order/{other['id']}/number.reserve",
        headers=headers,
        json={"number": number, "itemId": other["items"][0]["id"]},
    )
    assert taken.status_code == 200


def test_a_key_older_than_its_lifetime_is_free_again(client, database):
    from orderhub.idempotency.models import IdempotencyRecord

    headers = sign_in(client) | {"Idempotency-Key": "old-key"}
    first = client.post(f"{BASE}/v1/order/create", json=CART, headers=headers).json()
    with database.transaction() as session:
        session.execute(
            update(IdempotencyRecord)
            .where(IdempotencyRecord.key == "old-key")
            .values(created_at=utcnow() - timedelta(days=2))
        )
    again = client.post(f"{BASE}/v1/order/create", json=CART, headers=headers)
    assert again.status_code == 200
    assert "Idempotent-Replayed" not in again.headers
    assert again.json()["id"] != first["id"]
