"""Credit, fulfillment and terms, number selection: contracts and error cases."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.helpers import (
    ALEX_ADDRESS,
    BASE,
    create_order,
    credit_body,
    fulfillment_body,
    is_problem,
    sign_in,
    submit_credit,
)


@pytest.fixture
def alex(client):
    headers = sign_in(client)
    return headers, create_order(client, headers)


@pytest.mark.parametrize(
    ("ssn", "decision", "max_lines", "deposit"),
    [
        ("123-45-6789", "approved", 5, "0.00"),
        ("123-45-1111", "approved", 3, "150.00"),
        ("123-45-2222", "manualReview", 0, "0.00"),
        ("123-45-0000", "declined", 0, "0.00"),
    ],
)
def test_credit_decision_and_policy_follow_the_sandbox_test_ssns(
    client, alex, ssn, decision, max_lines, deposit
):
    headers, order = alex
    oid = order["id"]
    submitted = client.post(
        f"{BASE}/v1/order/{oid}/credit.submit", json=credit_body(ssn=ssn), headers=headers
    )
    assert submitted.status_code == 200
    assert submitted.json()["decision"] == decision
    policy_response = client.get(f"{BASE}/v1/order/{oid}/credit.policy", headers=headers)
    policy = policy_response.json()
    assert (policy["decision"], policy["maxLines"], policy["depositAmount"]) == (
        decision,
        max_lines,
        deposit,
    )
    # Neither the SSN nor the date of birth ever comes back.
    order_text = client.get(f"{BASE}/v1/order/{oid}", headers=headers).text
    for secret in (ssn, ssn.replace("-", ""), "1985-04-12"):
        assert secret not in submitted.text + policy_response.text + order_text


def test_credit_policy_before_submission_is_a_409(client, alex):
    headers, order = alex
    response = client.get(f"{BASE}/v1/order/{order['id']}/credit.policy", headers=headers)
    assert is_problem(response, 409, "credit_missing")


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"ssn": "12345678"}, "ssn"),
        ({"ssn": "000-12-3456"}, "ssn"),
        ({"dateOfBirth": "2999-01-01"}, "dateOfBirth"),
        ({"dateOfBirth": (date.today() - timedelta(days=365 * 10)).isoformat()}, "dateOfBirth"),
        ({"dateOfBirth": "12/04/1985"}, "dateOfBirth"),
        ({"address": {"city": "Dallas"}}, "address.addressLine1"),
    ],
)
def test_bad_credit_application_names_the_field_and_never_echoes_it(client, alex, override, field):
    headers, order = alex
    response = client.post(
        f"{BASE}/v1/order/{order['id']}/credit.submit",
        json=credit_body(**override),
        headers=headers,
    )
    assert is_problem(response, 422)
    assert field in [e["field"] for e in response.json()["errors"]]
    if "ssn" in override:
        assert override["ssn"] not in response.text


def test_fulfillment_validates_and_standardizes_the_address(client, alex):
    headers, order = alex
    response = client.post(
        f"{BASE}/v1/order/{order['id']}/fulfillment", json=fulfillment_body(), headers=headers
    )
    assert response.status_code == 200
    validation = response.json()["addressValidation"]
    assert validation["valid"] is True
    assert validation["standardizedAddress"]["addressLine1"] == "123 MAIN ST STE 400"


def test_invalid_address_is_kept_but_blocks_submission(client, alex):
    headers, order = alex
    bad = ALEX_ADDRESS | {"zipCode": "10001"}
    response = client.post(
        f"{BASE}/v1/order/{order['id']}/fulfillment",
        json=fulfillment_body(shippingAddress=bad),
        headers=headers,
    )
    assert response.status_code == 200
    assert response.json()["addressValidation"]["problems"][0]["rule"] == "zip_not_in_state"
    problems = client.get(f"{BASE}/V1/order/{order['id']}/validate", headers=headers).json()
    assert "address_not_validated" in [p["code"] for p in problems["problems"]]


def test_fulfillment_post_twice_is_a_409_and_patch_changes_only_what_is_sent(client, alex):
    headers, order = alex
    url = f"{BASE}/v1/order/{order['id']}/fulfillment"
    assert client.post(url, json=fulfillment_body(), headers=headers).status_code == 200
    assert is_problem(
        client.post(url, json=fulfillment_body(), headers=headers), 409, "fulfillment_exists"
    )
    patched = client.patch(
        url, json={"method": "storePickup", "storeId": "store-pln-002"}, headers=headers
    ).json()
    assert (patched["method"], patched["storeId"]) == ("storePickup", "store-pln-002")
    assert patched["contact"]["firstName"] == "Alex"
    assert patched["termsAndConditions"]["accepted"] is True


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"method": "shipping"}, "shippingAddress"),
        ({"method": "storePickup"}, "storeId"),
        ({"method": "storePickup", "storeId": "store-nowhere"}, "storeId"),
        ({"method": "drone"}, "method"),
        (
            {"method": "shipping", "shippingAddress": ALEX_ADDRESS, "requestedDate": "2001-01-01"},
            "requestedDate",
        ),
        (
            {
                "method": "shipping",
                "shippingAddress": ALEX_ADDRESS,
                "termsAndConditions": {"accepted": True, "version": "1999-01"},
            },
            "termsAndConditions.version",
        ),
    ],
)
def test_bad_fulfillment_names_the_field(client, alex, body, field):
    headers, order = alex
    response = client.post(f"{BASE}/v1/order/{order['id']}/fulfillment", json=body, headers=headers)
    assert is_problem(response, 422)
    assert field in [e["field"] for e in response.json()["errors"]]


def test_patch_before_post_is_a_409(client, alex):
    headers, order = alex
    response = client.patch(
        f"{BASE}/v1/order/{order['id']}/fulfillment", json={"contact": None}, headers=headers
    )
    assert is_problem(response, 409, "fulfillment_missing")


def test_number_search_and_reserve(client, alex):
    headers, order = alex
    oid, item = order["id"], order["items"][0]["id"]
    submit_credit(client, headers, oid)
    found = client.post(
        f"{BASE}/v1/order/{oid}/number.available",
        json={"areaCode": "972", "count": 3},
        headers=headers,
    ).json()
    assert len(found["numbers"]) == 3 and all(n.startswith("972") for n in found["numbers"])
    reserved = client.patch(
        f"{BASE}/v1/order/{oid}/number.reserve",
        headers=headers,
        json={"number": found["numbers"][0], "itemId": item},
    )
    assert reserved.status_code == 200
    assert reserved.json()["number"] == found["numbers"][0]
    # A second number for the same one-line item replaces the first.
    client.patch(
        f"{BASE}/v1/order/{oid}/number.reserve",
        headers=headers,
        json={"number": found["numbers"][1], "itemId": item},
    )
    held = client.get(f"{BASE}/v1/order/{oid}", headers=headers).json()["numbers"]
    assert [n["number"] for n in held] == [found["numbers"][1]]


def test_a_number_held_by_another_order_is_a_409(client, alex):
    headers, order = alex
    other = create_order(client, headers)
    for o in (order, other):
        submit_credit(client, headers, o["id"])
    number = client.post(
        f"{BASE}/v1/order/{order['id']}/number.available",
        json={"areaCode": "214", "count": 1},
        headers=headers,
    ).json()["numbers"][0]
    first = client.patch(
        f"{BASE}/v1/order/{order['id']}/number.reserve",
        headers=headers,
        json={"number": number, "itemId": order["items"][0]["id"]},
    )
    second = client.patch(
        f"{BASE}/v1/order/{other['id']}/number.reserve",
        headers=headers,
        json={"number": number, "itemId": other["items"][0]["id"]},
    )
    assert first.status_code == 200
    assert is_problem(second, 409, "number_unavailable")


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"number": "2145551000", "itemId": "itm_nope"}, 422, "itemId"),
        ({"number": "21455510", "itemId": "x"}, 422, "number"),
        ({"areaCode": "014"}, 422, "areaCode"),
    ],
)
def test_bad_number_requests(client, alex, body, status, field):
    headers, order = alex
    path = "number.available" if "areaCode" in body else "number.reserve"
    method = "POST" if path == "number.available" else "PATCH"
    response = client.request(
        method, f"{BASE}/v1/order/{order['id']}/{path}", json=body, headers=headers
    )
    assert is_problem(response, status)
    assert field in [e["field"] for e in response.json()["errors"]]


def test_reserving_for_an_item_without_lines_is_refused(client, alex):
    headers, order = alex
    device = next(i for i in order["items"] if i["lines"] == 0)
    response = client.patch(
        f"{BASE}/v1/order/{order['id']}/number.reserve",
        headers=headers,
        json={"number": "2145551000", "itemId": device["id"]},
    )
    assert is_problem(response, 422)
    assert response.json()["errors"][0]["rule"] == "item_has_no_lines"


def test_a_number_outside_the_pool_is_a_404(client, alex):
    headers, order = alex
    submit_credit(client, headers, order["id"])
    response = client.patch(
        f"{BASE}/v1/order/{order['id']}/number.reserve",
        headers=headers,
        json={"number": "3125550000", "itemId": order["items"][0]["id"]},
    )
    assert is_problem(response, 404, "number_not_found")


def test_number_search_spreads_offers_across_the_pool(client, alex):
    headers, order = alex
    offered = set()
    for _ in range(8):
        offered |= set(
            client.post(
                f"{BASE}/v1/order/{order['id']}/number.available",
                json={"areaCode": "469", "count": 2},
                headers=headers,
            ).json()["numbers"]
        )
    # Eight searches from random points of a 1,200-number pool do not all start at the bottom.
    assert len(offered) > 4
