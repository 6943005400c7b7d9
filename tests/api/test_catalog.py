"""Offers, stores and terms: filters, pagination and errors."""

from __future__ import annotations

import pytest

from tests.helpers import BASE, is_problem, random_phone, ready_order, sign_in

CASEY_PHONE = "2145550133"  # Morgan Freight, a business customer in Dallas 75201
JORDAN_PHONE = "4695550111"  # a consumer in Plano 75024
BUSINESS_ONLY = "plan-business-unlimited"
CONSUMER_ONLY = {
    "plan-unlimited-starter",
    "plan-unlimited-extra",
    "plan-add-a-line",
    "bundle-family-4",
}


def _offer_ids(client, headers, **params) -> set[str]:
    response = client.get(f"{BASE}/v1/offers", params=params, headers=headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["total"] == len(body["offers"])  # every page here holds them all
    return {o["id"] for o in body["offers"]}


def test_offers_carry_prices_promotions_and_lines(client):
    offers = client.get(f"{BASE}/v1/offers", headers=sign_in(client)).json()
    by_id = {o["id"]: o for o in offers["offers"]}
    assert {o["category"] for o in offers["offers"]} == {
        "plan",
        "device",
        "accessory",
        "addon",
        "bundle",
    }
    premium = by_id["plan-unlimited-premium"]
    assert premium["prices"] == [
        {"type": "monthly", "amount": "85.00", "currency": "USD"},
        {"type": "oneTime", "amount": "0.00", "currency": "USD"},
    ]
    assert premium["promotions"][0]["monthlyDiscount"] == "10.00"
    assert by_id["bundle-family-4"]["lines"] == 4
    assert offers["total"] == len(offers["offers"])


def test_offers_filter_by_category_zip_and_customer_type(client):
    headers = sign_in(client)

    def ids(**params):
        return {
            o["id"]
            for o in client.get(f"{BASE}/v1/offers", params=params, headers=headers).json()[
                "offers"
            ]
        }

    assert ids(category="device") == {"dev-iphone-17", "dev-galaxy-s26", "dev-pixel-10"}
    assert "plan-home-internet" in ids(category="plan", zipCode="75201")
    assert "plan-home-internet" not in ids(category="plan", zipCode="75039")
    assert "plan-business-unlimited" not in ids(customerType="consumer")
    # Filters narrow what the caller may buy, never widen it: Alex is a consumer.
    assert "plan-business-unlimited" not in ids(customerType="business")


def test_offers_paginate(client):
    headers = sign_in(client)
    first = client.get(f"{BASE}/v1/offers", params={"limit": 5}, headers=headers).json()
    second = client.get(
        f"{BASE}/v1/offers", params={"limit": 5, "offset": 5}, headers=headers
    ).json()
    assert len(first["offers"]) == 5 and first["total"] == second["total"]
    assert not {o["id"] for o in first["offers"]} & {o["id"] for o in second["offers"]}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"category": "spaceship"}, "category"),
        ({"zipCode": "7520"}, "zipCode"),
        ({"limit": 0}, "limit"),
        ({"offset": -1}, "offset"),
    ],
)
def test_bad_offer_filters_are_named(client, params, field):
    response = client.get(f"{BASE}/v1/offers", params=params, headers=sign_in(client))
    assert is_problem(response, 422)
    assert field in [e["field"] for e in response.json()["errors"]]


def test_stores_and_terms(client):
    stores = client.get(f"{BASE}/v1/stores", headers=sign_in(client)).json()["stores"]
    assert [s["id"] for s in stores] == ["store-dal-001", "store-irv-003", "store-pln-002"]
    assert client.get(f"{BASE}/v1/terms").json()["version"] == "2026-01"


def test_sandbox_messages_need_a_phone_or_email(client):
    assert is_problem(client.get("/sandbox/v1/messages", params={"to": "nobody"}), 422)
    assert client.get("/sandbox/v1/messages", params={"to": "2145550199"}).json() == {
        "messages": []
    }


def test_a_consumer_sees_what_their_type_zip_and_lines_make_them_eligible_for(client):
    alex = _offer_ids(client, sign_in(client))  # consumer, Dallas 75201, no line yet
    assert BUSINESS_ONLY not in alex
    assert "plan-home-internet" in alex  # sold in ZIP codes starting 752
    assert "plan-add-a-line" not in alex  # for customers who already have a line
    assert {"plan-unlimited-starter", "bundle-family-4", "dev-pixel-10"} <= alex
    assert len(alex) == 12  # the sandbox catalog's 14, less those two (docs/sandbox.md)
    jordan = _offer_ids(client, sign_in(client, JORDAN_PHONE))  # Plano 75024
    assert alex - jordan == {"plan-home-internet"}


def test_a_business_customer_sees_business_plans_and_no_consumer_only_ones(client):
    casey = _offer_ids(client, sign_in(client, CASEY_PHONE))
    assert BUSINESS_ONLY in casey
    assert not casey & CONSUMER_ONLY


def test_filters_narrow_further_and_never_show_a_consumer_a_business_plan(client):
    headers = sign_in(client)
    assert _offer_ids(client, headers, category="plan", zipCode="75039") == {
        "plan-unlimited-starter",
        "plan-unlimited-extra",
        "plan-unlimited-premium",
    }
    assert BUSINESS_ONLY not in _offer_ids(client, headers, customerType="business")
    # What a business may buy that Alex may too: the plans sold to anyone.
    assert _offer_ids(client, headers, category="plan", customerType="business") == {
        "plan-unlimited-premium",
        "plan-home-internet",
    }


def test_existing_lines_open_the_add_a_line_offer_to_order_too(client):
    headers = sign_in(client)
    cart = {"items": [{"offerId": "plan-add-a-line", "quantity": 1}]}
    refused = client.post(f"{BASE}/v1/order/create", json=cart, headers=headers)
    assert is_problem(refused, 422)
    assert refused.json()["errors"][0]["rule"] == "not_eligible"
    order = ready_order(client, headers)
    submitted = client.post(
        f"{BASE}/v1/order/submit", json={"orderId": order["id"]}, headers=headers
    )
    assert submitted.status_code == 200, submitted.text  # its number is now a line of Alex's
    assert "plan-add-a-line" in _offer_ids(client, headers, category="plan")
    assert client.post(f"{BASE}/v1/order/create", json=cart, headers=headers).status_code == 200


def test_a_prospect_sees_the_consumer_offers_anywhere(client):
    prospect = _offer_ids(client, sign_in(client, random_phone()))
    assert BUSINESS_ONLY not in prospect and "plan-add-a-line" not in prospect
    assert "plan-home-internet" in prospect  # no address yet: the ZIP rule does not refuse


def test_offers_need_a_token_as_before(client):
    assert is_problem(client.get(f"{BASE}/v1/offers"), 401)
