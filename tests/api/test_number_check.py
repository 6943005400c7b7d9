"""Checking a requested number (issue 13 item 1): POST /v1/order/{id}/number.available
with `{"number": ...}`, beside the area-code search."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update

from orderhub.ids import utcnow
from orderhub.numbers.models import PhoneNumber
from tests.helpers import (
    BASE,
    create_order,
    credit_body,
    fulfillment_body,
    is_problem,
    random_phone,
    sign_in,
)

JORDAN_PHONE = "4695550111"


def _with_credit(client, headers, **overrides) -> dict:
    order = create_order(client, headers, **overrides)
    url = f"{BASE}/v1/order/{order['id']}/credit.submit"
    assert client.post(url, json=credit_body(), headers=headers).status_code == 200
    return order


def _check(client, headers, order, number: str):
    return client.post(
        f"{BASE}/v1/order/{order['id']}/number.available", json={"number": number}, headers=headers
    )


def _reserve(client, headers, order, number: str):
    line = next(i for i in order["items"] if i["lines"])
    return client.patch(
        f"{BASE}/v1/order/{order['id']}/number.reserve",
        json={"number": number, "itemId": line["id"]},
        headers=headers,
    )


@pytest.fixture
def alex(client):
    headers = sign_in(client)
    return headers, _with_credit(client, headers)


def test_a_free_number_is_available(client, alex):
    headers, order = alex
    answer = _check(client, headers, order, "2145551500")
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"number": "2145551500", "available": True, "status": "available"}


def test_the_orders_own_reservation_says_so(client, alex):
    headers, order = alex
    assert _reserve(client, headers, order, "2145551501").status_code == 200
    answer = _check(client, headers, order, "2145551501").json()
    assert answer == {"number": "2145551501", "available": True, "status": "reservedByThisOrder"}


def test_a_number_another_customer_holds_is_reserved_and_the_holder_is_not_told(client, alex):
    headers, order = alex
    jordan = sign_in(client, JORDAN_PHONE)
    theirs = _with_credit(client, jordan)
    assert _reserve(client, jordan, theirs, "4695551502").status_code == 200
    answer = _check(client, headers, order, "4695551502")
    assert answer.json() == {"number": "4695551502", "available": False, "status": "reserved"}
    assert theirs["id"] not in answer.text and "jordan" not in answer.text.lower()


def test_a_lapsed_reservation_is_available_again(client, alex, database):
    headers, order = alex
    jordan = sign_in(client, JORDAN_PHONE)
    assert _reserve(client, jordan, _with_credit(client, jordan), "9725551503").status_code == 200
    with database.transaction() as session:
        session.execute(
            update(PhoneNumber)
            .where(PhoneNumber.number == "9725551503")
            .values(reserved_until=utcnow() - timedelta(seconds=1))
        )
    assert _check(client, headers, order, "9725551503").json()["status"] == "available"


def test_an_assigned_number_is_taken(client, alex):
    headers, order = alex
    first = _with_credit(client, headers)
    oid = first["id"]
    fulfillment = client.post(
        f"{BASE}/v1/order/{oid}/fulfillment", json=fulfillment_body(), headers=headers
    )
    assert fulfillment.status_code == 200
    assert _reserve(client, headers, first, "2145551504").status_code == 200
    submitted = client.post(f"{BASE}/v1/order/submit", json={"orderId": oid}, headers=headers)
    assert submitted.status_code == 200, submitted.text
    answer = _check(client, headers, order, "2145551504").json()
    assert answer == {"number": "2145551504", "available": False, "status": "taken"}


def test_a_number_in_no_pool_is_unknown(client, alex):
    headers, order = alex
    answer = _check(client, headers, order, "2145559999").json()
    assert answer == {"number": "2145559999", "available": False, "status": "unknown"}


def test_a_number_outside_the_customers_area_is_not_in_area_and_cannot_be_reserved(client, alex):
    headers, order = alex  # Alex's service address is in Dallas (ZIP 75201)
    answer = _check(client, headers, order, "7135551000").json()
    assert answer == {"number": "7135551000", "available": False, "status": "notInArea"}
    refused = _reserve(client, headers, order, "7135551000")
    assert is_problem(refused, 422)
    assert refused.json()["errors"][0] == {
        "field": "number",
        "rule": "number_not_in_area",
        "message": "Number 7135551000 is not local to the customer's service address.",
    }


def test_a_customer_without_an_address_has_no_area_to_be_outside_of(client):
    phone = random_phone()
    headers = sign_in(client, phone)
    prospect = {
        "firstName": "Pat",
        "lastName": "Doe",
        "email": f"pat{phone}@example.com",
        "phone": phone,
    }
    order = _with_credit(client, headers, customer=prospect)
    assert _check(client, headers, order, "7135551001").json()["status"] == "available"
    assert _reserve(client, headers, order, "7135551001").status_code == 200


@pytest.mark.parametrize(
    ("body", "field", "rule"),
    [
        ({"number": "21455510"}, "number", "string_pattern_mismatch"),
        ({"number": "1145551000"}, "number", "string_pattern_mismatch"),
        ({"number": "214-555-1000"}, "number", "string_too_long"),
        ({"number": 2145551000}, "number", "string_type"),
        ({}, "areaCode", "area_code_or_number"),
        ({"areaCode": "214", "number": "2145551000"}, "number", "area_code_or_number"),
        ({"number": "2145551000", "count": 3}, "count", "area_code_search_only"),
    ],
)
def test_a_malformed_question_is_a_422_naming_the_field(client, alex, body, field, rule):
    headers, order = alex
    response = client.post(
        f"{BASE}/v1/order/{order['id']}/number.available", json=body, headers=headers
    )
    assert is_problem(response, 422)
    assert (field, rule) in [(e["field"], e["rule"]) for e in response.json()["errors"]]


def test_the_area_code_search_answers_as_before(client, alex):
    headers, order = alex
    found = client.post(
        f"{BASE}/v1/order/{order['id']}/number.available",
        json={"areaCode": "713", "count": 2},
        headers=headers,
    ).json()
    assert found["areaCode"] == "713" and len(found["numbers"]) == 2


def test_another_customers_order_is_a_404(client, alex):
    _, order = alex
    jordan = sign_in(client, JORDAN_PHONE)
    assert is_problem(_check(client, jordan, order, "2145551505"), 404, "order_not_found")
