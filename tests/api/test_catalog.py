"""Offers, stores and terms: filters, pagination and errors."""

from __future__ import annotations

import pytest

from tests.helpers import BASE, is_problem, sign_in


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
    assert "plan-business-unlimited" in ids(customerType="business")


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
