"""Seed 000 declares 200 for creating the order and its fulfillment (issue 13 item 3)."""

from __future__ import annotations

from sqlalchemy import update

from orderhub.idempotency.models import IdempotencyRecord
from tests.helpers import BASE, create_order, fulfillment_body, sign_in

CART = {"items": [{"offerId": "plan-unlimited-extra", "quantity": 1}]}


def test_create_answers_200_with_the_orders_location(client):
    headers = sign_in(client)
    created = client.post(f"{BASE}/v1/order/create", json=CART, headers=headers)
    assert created.status_code == 200, created.text
    order_id = created.json()["id"]
    assert created.headers["Location"] == f"{BASE}/v1/order/{order_id}"
    read = client.get(created.headers["Location"], headers=headers)
    assert read.status_code == 200 and read.json()["id"] == order_id


def test_a_replayed_create_is_the_same_200_with_its_location(client):
    headers = sign_in(client) | {"Idempotency-Key": "seed-200"}
    first = client.post(f"{BASE}/v1/order/create", json=CART, headers=headers)
    again = client.post(f"{BASE}/v1/order/create", json=CART, headers=headers)
    assert first.status_code == again.status_code == 200
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.headers["Location"] == first.headers["Location"]
    assert again.json() == first.json()


def test_an_answer_kept_as_201_before_the_switch_replays_as_200(client, database):
    headers = sign_in(client) | {"Idempotency-Key": "kept-as-201"}
    first = client.post(f"{BASE}/v1/order/create", json=CART, headers=headers)
    with database.transaction() as session:
        session.execute(
            update(IdempotencyRecord)
            .where(IdempotencyRecord.key == "kept-as-201")
            .values(status_code=201)
        )
    again = client.post(f"{BASE}/v1/order/create", json=CART, headers=headers)
    assert again.status_code == 200
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]


def test_fulfillment_answers_200_with_its_location(client):
    headers = sign_in(client)
    order = create_order(client, headers)
    url = f"{BASE}/v1/order/{order['id']}/fulfillment"
    created = client.post(url, json=fulfillment_body(), headers=headers)
    assert created.status_code == 200, created.text
    assert created.headers["Location"] == url
    assert created.json()["orderId"] == order["id"]


def test_the_openapi_document_declares_200_for_both(client):
    paths = client.get("/openapi.json").json()["paths"]
    for path in (f"{BASE}/v1/order/create", f"{BASE}/v1/order/{{id}}/fulfillment"):
        answers = paths[path]["post"]["responses"]
        assert "201" not in answers
        assert "Location" in answers["200"]["headers"]
        assert answers["200"]["content"]["application/json"]["schema"]["$ref"]
