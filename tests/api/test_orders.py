"""Order creation, reading, ownership, validation and submission through HTTP."""

from __future__ import annotations

import pytest

from tests.helpers import (
    BASE,
    create_order,
    credit_body,
    fulfillment_body,
    is_problem,
    random_phone,
    ready_order,
    sign_in,
    submit_credit,
)


def test_create_prices_items_from_the_catalog_with_promotions(client):
    headers = sign_in(client)
    order = create_order(
        client,
        headers,
        items=[
            {"offerId": "plan-unlimited-premium", "quantity": 2},
            {"offerId": "acc-clear-case", "quantity": 1},
        ],
    )
    premium = order["items"][0]
    assert premium["monthly"] == "85.00" and premium["monthlyDiscount"] == "10.00"
    assert premium["promotionId"] == "promo-premium-10off" and premium["lines"] == 2
    assert order["totals"] == {"monthly": "150.00", "oneTime": "39.99", "currency": "USD"}
    assert order["customerId"] == "cus_alex_bell"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"items": []}, "items"),
        ({"items": [{"offerId": "nope", "quantity": 1}]}, "items.0.offerId"),
        ({"items": [{"offerId": "plan-unlimited-extra", "quantity": 0}]}, "items.0.quantity"),
        ({"items": [{"offerId": "plan-unlimited-extra", "quantity": "two"}]}, "items.0.quantity"),
        ({"items": [{"offerId": "plan-business-unlimited"}]}, "items.0.offerId"),
        ({"items": [{"offerId": "plan-unlimited-extra"}], "status": "submitted"}, "status"),
        ({"items": [{"offerId": "plan-unlimited-extra", "unitPrice": 0}]}, "items.0.unitPrice"),
    ],
)
def test_create_rejects_bad_items_naming_the_field(client, body, field):
    response = client.post(f"{BASE}/v1/order/create", json=body, headers=sign_in(client))
    assert is_problem(response, 422)
    assert field in [e["field"] for e in response.json()["errors"]]


def test_malformed_json_is_a_400_problem(client):
    response = client.post(
        f"{BASE}/v1/order/create",
        content=b"{not json",
        headers=sign_in(client) | {"content-type": "application/json"},
    )
    assert is_problem(response, 400, "malformed_json")


def test_zip_eligibility_applies_to_the_customer_address(client):
    # Alex lives in 75201, where home internet is sold; Sam (75039) is outside its ZIPs.
    assert (
        create_order(client, sign_in(client), items=[{"offerId": "plan-home-internet"}])["status"]
        == "draft"
    )
    response = client.post(
        f"{BASE}/v1/order/create",
        headers=sign_in(client, "9725550122"),
        json={"items": [{"offerId": "plan-home-internet"}]},
    )
    assert is_problem(response, 422)
    assert response.json()["errors"][0]["rule"] == "not_eligible"


def test_prospect_creates_a_customer_with_its_first_order(client):
    phone = random_phone()
    headers = sign_in(client, phone)
    assert is_problem(
        client.get(f"{BASE}/v1/customers", params={"phone": phone}, headers=headers), 404
    )
    order = create_order(
        client,
        headers,
        customer={
            "firstName": "Pat",
            "lastName": "Doe",
            "email": f"pat{phone}@example.com",
            "phone": phone,
        },
    )
    found = client.get(f"{BASE}/v1/customers", params={"phone": phone}, headers=headers).json()
    assert found["customers"][0]["id"] == order["customerId"]
    assert client.get(f"{BASE}/v1/order/{order['id']}", headers=headers).status_code == 200


def test_prospect_must_order_for_its_own_verified_identifier(client):
    headers = sign_in(client, random_phone())
    response = client.post(
        f"{BASE}/v1/order/create",
        headers=headers,
        json={
            "customer": {
                "firstName": "Pat",
                "lastName": "Doe",
                "email": "x@example.com",
                "phone": random_phone(),
            },
            "items": [{"offerId": "plan-unlimited-extra"}],
        },
    )
    assert is_problem(response, 403, "identifier_mismatch")
    no_customer = client.post(
        f"{BASE}/v1/order/create",
        headers=headers,
        json={"items": [{"offerId": "plan-unlimited-extra"}]},
    )
    assert is_problem(no_customer, 422)


def test_one_customer_cannot_see_or_touch_another_customers_order(client):
    alex = sign_in(client)
    order = create_order(client, alex)
    jordan = sign_in(client, "4695550111")
    oid = order["id"]
    for method, path, body in [
        ("GET", f"/v1/order/{oid}", None),
        ("GET", f"/V1/order/{oid}/validate", None),
        ("GET", f"/v1/order/{oid}/credit.policy", None),
        (
            "POST",
            f"/v1/order/{oid}/credit.submit",
            {
                "firstName": "J",
                "lastName": "L",
                "dateOfBirth": "1990-01-01",
                "ssn": "123456789",
                "address": {
                    "addressLine1": "1 A St",
                    "city": "Plano",
                    "state": "TX",
                    "zipCode": "75024",
                },
            },
        ),
        ("POST", f"/v1/order/{oid}/number.available", {"areaCode": "214"}),
        ("POST", "/v1/order/submit", {"orderId": oid}),
    ]:
        response = client.request(method, BASE + path, json=body, headers=jordan)
        assert is_problem(response, 404, "order_not_found"), (method, path, response.text)
    assert client.get(f"{BASE}/v1/orders", headers=jordan).json()["orders"] == []
    assert create_order(client, alex)["customerId"] == "cus_alex_bell"
    naming_alex = client.post(
        f"{BASE}/v1/order/create",
        headers=jordan,
        json={"customerId": "cus_alex_bell", "items": [{"offerId": "plan-unlimited-extra"}]},
    )
    assert is_problem(naming_alex, 404)


def test_list_orders_pages_and_filters_by_status(client):
    headers = sign_in(client)
    ids = [create_order(client, headers)["id"] for _ in range(3)]
    page = client.get(f"{BASE}/v1/orders", params={"limit": 2}, headers=headers).json()
    assert len(page["orders"]) == 2
    rest = client.get(f"{BASE}/v1/orders", params={"limit": 2, "offset": 2}, headers=headers).json()
    assert {o["id"] for o in page["orders"] + rest["orders"]} == set(ids)
    assert (
        client.get(f"{BASE}/v1/orders", params={"status": "submitted"}, headers=headers).json()[
            "orders"
        ]
        == []
    )


def test_submit_refuses_an_incomplete_order_listing_every_problem(client):
    headers = sign_in(client)
    order = create_order(client, headers)
    response = client.post(
        f"{BASE}/v1/order/submit", json={"orderId": order["id"]}, headers=headers
    )
    assert is_problem(response, 409, "order_not_valid")
    codes = [p["code"] for p in response.json()["problems"]]
    assert codes == ["credit_missing", "fulfillment_missing", "number_missing"]
    assert client.get(f"{BASE}/v1/order/{order['id']}", headers=headers).json()["status"] == "draft"


def test_submit_twice_is_a_conflict_and_a_submitted_order_is_frozen(client):
    headers = sign_in(client)
    order = ready_order(client, headers)
    oid = order["id"]
    assert (
        client.post(f"{BASE}/v1/order/submit", json={"orderId": oid}, headers=headers).status_code
        == 200
    )
    again = client.post(f"{BASE}/v1/order/submit", json={"orderId": oid}, headers=headers)
    assert is_problem(again, 409, "order_already_submitted")
    change = client.patch(
        f"{BASE}/v1/order/{oid}/fulfillment",
        headers=headers,
        json={"method": "storePickup", "storeId": "store-dal-001"},
    )
    assert is_problem(change, 409, "order_not_draft")


def test_too_many_lines_for_the_credit_policy_blocks_submission(client):
    headers = sign_in(client)
    order = ready_order(client, headers, items=[{"offerId": "bundle-family-4", "quantity": 2}])
    problems = client.get(f"{BASE}/V1/order/{order['id']}/validate", headers=headers).json()
    # Numbers past the policy's five were refused at reserve time: three lines lack one.
    assert [p["code"] for p in problems["problems"]] == ["too_many_lines", "number_missing"]
    assert problems["problems"][0]["maxLines"] == 5


def test_unknown_order_is_a_404_problem(client):
    response = client.get(f"{BASE}/v1/order/ord_missing", headers=sign_in(client))
    assert is_problem(response, 404, "order_not_found")


def test_cancel_releases_numbers_and_is_recorded(client):
    headers = sign_in(client)
    order = ready_order(client, headers)
    oid = order["id"]
    held = client.get(f"{BASE}/v1/order/{oid}", headers=headers).json()["numbers"][0]["number"]
    cancelled = client.post(f"{BASE}/v1/order/{oid}/cancel", headers=headers)
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"
    assert cancelled.json()["numbers"] == []
    assert cancelled.json()["events"][-1]["type"] == "order.cancelled"
    assert is_problem(
        client.post(f"{BASE}/v1/order/{oid}/cancel", headers=headers), 409, "invalid_transition"
    )
    other = create_order(client, headers)
    submit_credit(client, headers, other["id"])
    taken = client.patch(
        f"{BASE}/v1/order/{other['id']}/number.reserve",
        headers=headers,
        json={"number": held, "itemId": other["items"][0]["id"]},
    )
    assert taken.status_code == 200


def test_a_prospect_cannot_claim_a_phone_it_did_not_verify(client):
    # Mallory verifies only her e-mail and names a stranger's phone as her own.
    stranger = random_phone()
    mallory = sign_in(client, "mallory@example.com")
    order = create_order(
        client,
        mallory,
        customer={
            "firstName": "M",
            "lastName": "X",
            "email": "mallory@example.com",
            "phone": stranger,
        },
    )
    mine = client.get(
        f"{BASE}/v1/customers", params={"email": "mallory@example.com"}, headers=mallory
    ).json()["customers"][0]
    assert mine["phone"] is None  # the unverified phone was not kept
    # The stranger later signs in with that phone: a prospect of their own, not Mallory.
    victim = sign_in(client, stranger)
    assert is_problem(
        client.get(f"{BASE}/v1/customers", params={"phone": stranger}, headers=victim), 404
    )
    assert is_problem(client.get(f"{BASE}/v1/order/{order['id']}", headers=victim), 404)
    victim_order = create_order(
        client,
        victim,
        customer={"firstName": "V", "lastName": "S", "email": "v@example.com", "phone": stranger},
    )
    assert victim_order["customerId"] != order["customerId"]
    assert is_problem(client.get(f"{BASE}/v1/order/{victim_order['id']}", headers=mallory), 404)


def test_an_offer_sold_only_in_some_zips_must_ship_there(client):
    # A new customer has no address when the cart is made; the shipping ZIP decides.
    phone = random_phone()
    headers = sign_in(client, phone)
    order = create_order(
        client,
        headers,
        items=[{"offerId": "plan-home-internet"}],
        customer={
            "firstName": "Pat",
            "lastName": "Doe",
            "email": f"p{phone}@example.com",
            "phone": phone,
        },
    )
    irving = {
        "addressLine1": "400 W Las Colinas Blvd",
        "city": "Irving",
        "state": "TX",
        "zipCode": "75039",
    }
    client.post(
        f"{BASE}/v1/order/{order['id']}/credit.submit",
        headers=headers,
        json=credit_body(address=irving),
    )
    client.post(
        f"{BASE}/v1/order/{order['id']}/fulfillment",
        headers=headers,
        json=fulfillment_body(shippingAddress=irving),
    )
    problems = client.get(f"{BASE}/V1/order/{order['id']}/validate", headers=headers).json()
    assert [p["code"] for p in problems["problems"]] == ["not_sold_at_address"]
    client.patch(
        f"{BASE}/v1/order/{order['id']}/fulfillment",
        headers=headers,
        json={
            "shippingAddress": {
                "addressLine1": "123 Main St",
                "city": "Dallas",
                "state": "TX",
                "zipCode": "75201",
            }
        },
    )
    assert (
        client.get(f"{BASE}/V1/order/{order['id']}/validate", headers=headers).json()["valid"]
        is True
    )
