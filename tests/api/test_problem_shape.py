"""Every surface lists what is wrong in one shape: `errors`, items `{field, rule, message}`
(more keys where a surface needs them). The names used before stay for one release:
`problems` beside `errors` on the submit 409s that had it, `code` beside `rule` in items
that had it."""

from __future__ import annotations

from typing import Any

import httpx

from tests.api.b2b_helpers import B2B, OPERATOR, create_quote, file_exception, partner_headers
from tests.api.care_helpers import CARE, SANDBOX_CLIENT, care_body, change
from tests.helpers import BASE, create_order, is_problem, sign_in

ONB = "/onboarding/v1"


def listed(response: httpx.Response, status: int) -> list[dict[str, Any]]:
    """The response's problems, each checked for the common shape."""
    assert is_problem(response, status), response.text
    errors = response.json()["errors"]
    assert errors, response.text
    for item in errors:
        assert isinstance(item["field"], str) and item["field"], item
        assert isinstance(item["rule"], str) and item["rule"], item
        assert isinstance(item["message"], str) and item["message"], item
    return errors


def test_consumer_422_and_409_list_errors(client):
    headers = sign_in(client)
    invalid = client.post(
        f"{BASE}/v1/order/create",
        json={"items": [{"offerId": "plan-unlimited-extra", "quantity": 11}]},
        headers=headers,
    )
    assert [e["rule"] for e in listed(invalid, 422)] == ["less_than_equal"]

    order = create_order(client, headers)
    blocked = client.post(f"{BASE}/v1/order/submit", json={"orderId": order["id"]}, headers=headers)
    errors = listed(blocked, 409)
    assert {"credit_missing", "fulfillment_missing", "number_missing"} <= {
        e["rule"] for e in errors
    }
    # Deprecated for one release: the same list as `problems`, `code` beside `rule`.
    assert blocked.json()["problems"] == errors
    assert all(e["code"] == e["rule"] for e in errors)
    assert next(e for e in errors if e["rule"] == "number_missing")["itemId"]


def test_consumer_validation_answers_name_the_rule(client):
    headers = sign_in(client)
    order = create_order(client, headers)
    checked = client.get(f"{BASE}/V1/order/{order['id']}/validate", headers=headers).json()
    assert checked["valid"] is False
    for problem in checked["problems"]:
        assert problem["rule"] == problem["code"] and problem["field"] and problem["message"]


def test_b2b_422_and_409_list_errors(client):
    headers = partner_headers(client)
    invalid = client.post(
        f"{B2B}/webhooks", json={"url": "ftp://x.example/", "eventTypes": []}, headers=headers
    )
    assert {(e["field"], e["rule"]) for e in listed(invalid, 422)} == {
        ("url", "callback_url"),
        ("eventTypes", "min_items"),
    }
    quote = create_quote(client, headers)
    not_validated = client.post(f"{B2B}/quotes/{quote['id']}/credit-check", headers=headers)
    assert "quote_not_validated" in {e["rule"] for e in listed(not_validated, 409)}


def test_quote_validation_names_the_rule(client):
    headers = partner_headers(client)
    quote = create_quote(client, headers, billingPreferences={"invoiceDelivery": "email"})
    checked = client.post(f"{B2B}/quotes/{quote['id']}/validate", headers=headers).json()
    assert checked["valid"] is False
    for problem in checked["problems"]:
        assert problem["rule"] == problem["code"] and problem["field"] and problem["message"]


def test_onboarding_422_and_409_list_errors(client):
    headers = partner_headers(client)
    contact = {
        "firstName": "Casey",
        "lastName": "Jones",
        "email": "casey@example.com",
        "phone": "2175550123",
    }
    account = client.post(
        f"{ONB}/accounts",
        json={
            "customer": {"type": "residential", "firstName": "Casey", "lastName": "Jones"},
            "primaryContact": contact,
            "billingContact": contact,
            "portal": {"username": "casey.shape", "password": "correct horse battery"},
        },
        headers=headers,
    ).json()
    payment = client.post(
        f"{ONB}/accounts/{account['id']}/payments",
        json={
            "amount": "0.00",
            "currency": "USD",
            "card": {"number": "4242424242424241", "expiry": "12/40", "cvc": "123"},
        },
        headers=headers,
    )
    assert {e["field"] for e in listed(payment, 422)} >= {"amount", "card.number"}

    order = client.post(f"{ONB}/accounts/{account['id']}/orders", headers=headers).json()
    url = f"{ONB}/orders/{order['id']}"
    for path, body in (
        ("sq/address", {"serviceTypeId": "home-broadband", "locationId": "LOC000000001"}),
        ("sq/phone", {"serviceTypeId": "voip-line", "phoneNumber": "2175550101"}),
        ("package", {"packagePlanId": "home-essentials-12"}),
    ):
        assert client.post(f"{url}/{path}", json=body, headers=headers).status_code == 200
    blocked = client.post(f"{url}/submit", headers=headers)
    errors = listed(blocked, 409)
    assert blocked.json()["problems"] == errors  # deprecated for one release
    assert {"serviceId", "serviceTypeId"} <= next(
        e for e in errors if e["field"] == "features"
    ).keys()


def test_care_422_lists_errors(client):
    headers = partner_headers(client) | {
        "X-ATT-ClientId": SANDBOX_CLIENT[0],
        "X-ATT-MessageId": "shape-1",
    }
    refused = client.post(f"{CARE}/careOrder", json=care_body(change(ctn="12345")), headers=headers)
    assert ("careOrderRequest.changeRequest.0.ctn", "ctn_format") in {
        (e["field"], e["rule"]) for e in listed(refused, 422)
    }


def test_inventory_and_operator_422_list_errors(client):
    partner = partner_headers(client)
    lines = client.get(
        "/inventory/v1/accounts/81730304/subscribers", params={"limit": 0}, headers=partner
    )
    assert [(e["field"], e["rule"]) for e in listed(lines, 422)] == [
        ("limit", "greater_than_equal")
    ]
    request = file_exception(client, partner)
    approve = client.post(
        f"/operator/v1/exception-requests/{request['id']}/approve",
        json={"note": "x" * 1001},
        headers=OPERATOR,
    )
    assert [(e["field"], e["rule"]) for e in listed(approve, 422)] == [("note", "string_too_long")]
