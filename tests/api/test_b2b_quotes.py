"""Quotes: the business catalog, create, read, list, update and validate, and their errors."""

from __future__ import annotations

import copy

import pytest

from tests.api.b2b_helpers import (
    ALLIANCE_ONLY_CUSTOMER,
    B2B,
    OPERATOR,
    PARTNER_B_ONLY_CUSTOMER,
    SANDBOX_CLIENT_B,
    create_quote,
    file_exception,
    partner_headers,
    quote_body,
    site,
)
from tests.helpers import is_problem, sign_in

QUOTES = f"{B2B}/quotes"


def test_the_catalog_lists_options_discount_ranges_and_promotions(client):
    headers = partner_headers(client)

    products = client.get(f"{B2B}/products", headers=headers).json()["products"]
    voice = client.get(f"{B2B}/products", params={"family": "voice"}, headers=headers).json()

    assert [p["id"] for p in products] == ["dia", "ethernet", "voice-sip"]
    dia = products[0]
    assert dia["accessSpeeds"][2] == {"id": "1G", "mbps": 1000, "monthly": "900.00"}
    assert dia["installationOptions"][0] == {
        "id": "standard",
        "name": "Standard installation",
        "oneTime": "500.00",
    }
    assert dia["discountRange"] == {"minPercent": 0, "maxPercent": 20}
    assert dia["promotions"][0]["oneTimeDiscount"] == "500.00"
    assert [p["id"] for p in voice["products"]] == ["voice-sip"]
    assert voice["products"][0]["portSpeeds"] == []
    bad = client.get(f"{B2B}/products", params={"family": "satellite"}, headers=headers)
    assert is_problem(bad, 422, "validation_failed")


def test_a_two_site_two_product_quote_is_priced_per_site_and_in_total(client):
    quote = create_quote(client, partner_headers(client))

    assert quote["id"].startswith("quo_") and quote["opportunityId"].startswith("opp_")
    assert quote["status"] == "draft" and quote["validatedAt"] is None
    hq, branch = quote["sites"]
    dia, sip = hq["products"]
    # DIA: 900 access + 150 port = 1050, 10% off = 945; install 500 waived.
    assert dia["prices"] == {
        "accessMonthly": "900.00",
        "portMonthly": "150.00",
        "listMonthly": "1050.00",
        "discountMonthly": "105.00",
        "promotionMonthly": "0.00",
        "monthly": "945.00",
        "installationOneTime": "500.00",
        "promotionOneTime": "500.00",
        "oneTime": "0.00",
    }
    assert sip["prices"]["monthly"] == "120.00" and sip["prices"]["oneTime"] == "100.00"
    assert hq["totals"] == {"monthly": "1065.00", "oneTime": "100.00", "currency": "USD"}
    # Ethernet: 600 + 60 = 660, 15% off = 561; expedited install 2000.
    assert branch["totals"] == {"monthly": "561.00", "oneTime": "2000.00", "currency": "USD"}
    assert quote["totals"] == {"monthly": "1626.00", "oneTime": "2100.00", "currency": "USD"}
    assert hq["addressValidation"]["standardizedAddress"]["addressLine1"] == "1900 N AKARD ST"
    assert quote["billingPreferences"]["invoiceDelivery"] == "email"


def test_a_quote_is_read_and_listed_by_its_partner(client):
    headers = partner_headers(client)
    first = create_quote(client, headers)
    second = create_quote(client, headers, customerId="bcu_acme_logistics")

    assert client.get(f"{QUOTES}/{first['id']}", headers=headers).json() == first
    listed = client.get(QUOTES, headers=headers).json()
    assert [x["id"] for x in listed["quotes"]] == [second["id"], first["id"]]
    assert listed["quotes"][1]["totals"] == first["totals"]
    only = client.get(QUOTES, params={"customerId": "bcu_acme_logistics"}, headers=headers)
    assert [x["id"] for x in only.json()["quotes"]] == [second["id"]]


def test_validate_marks_a_complete_quote_validated_and_a_change_makes_it_a_draft(client):
    headers = partner_headers(client)
    quote = create_quote(client, headers)

    checked = client.post(f"{QUOTES}/{quote['id']}/validate", headers=headers).json()
    assert checked == {"quoteId": quote["id"], "valid": True, "status": "validated", "problems": []}
    assert client.get(f"{QUOTES}/{quote['id']}", headers=headers).json()["validatedAt"]

    renamed = client.patch(f"{QUOTES}/{quote['id']}", json={"name": "Renamed"}, headers=headers)
    assert renamed.status_code == 200, renamed.text
    assert renamed.json()["name"] == "Renamed" and renamed.json()["status"] == "draft"
    assert renamed.json()["sites"] == quote["sites"]


def test_validate_lists_every_incomplete_configuration_and_unvalidated_address(client):
    headers = partner_headers(client)
    draft = site("Akard Street", products=[{"productId": "dia", "accessSpeed": "1G"}])
    quote = create_quote(
        client, headers, sites=[draft], billingPreferences={"invoiceDelivery": "email"}
    )
    assert quote["sites"][0]["addressValidation"]["valid"] is False
    assert quote["sites"][0]["products"][0]["missing"] == ["portSpeed", "installationOption"]

    checked = client.post(f"{QUOTES}/{quote['id']}/validate", headers=headers).json()

    assert checked["valid"] is False and checked["status"] == "draft"
    assert [(p["code"], p["field"]) for p in checked["problems"]] == [
        ("address_not_validated", "sites.0.address"),
        ("configuration_incomplete", "sites.0.products.0.portSpeed"),
        ("configuration_incomplete", "sites.0.products.0.installationOption"),
        ("billing_incomplete", "billingPreferences.billingEmail"),
    ]


def test_patching_sites_replaces_and_reprices_them(client):
    headers = partner_headers(client)
    quote = create_quote(client, headers)
    one = site(products=[{"productId": "voice-sip", "accessSpeed": "50M"}])

    response = client.patch(f"{QUOTES}/{quote['id']}", json={"sites": [one]}, headers=headers)

    assert response.status_code == 200, response.text
    updated = response.json()
    assert len(updated["sites"]) == 1 and updated["sites"][0]["id"] != quote["sites"][0]["id"]
    assert updated["totals"] == {"monthly": "350.00", "oneTime": "0.00", "currency": "USD"}
    assert updated["opportunityId"] == quote["opportunityId"] and updated["name"] == quote["name"]


def choice_errors(client, headers, body) -> set[tuple[str, str]]:
    response = client.post(QUOTES, json=body, headers=headers)
    assert is_problem(response, 422, "validation_failed"), response.text
    return {(e["field"], e["rule"]) for e in response.json()["errors"]}


@pytest.mark.parametrize(
    ("change", "field", "rule"),
    [
        ({"discountPercent": 25}, "sites.0.products.0.discountPercent", "discount_out_of_range"),
        ({"accessSpeed": "2G"}, "sites.0.products.0.accessSpeed", "not_offered"),
        ({"portSpeed": "40G"}, "sites.0.products.0.portSpeed", "not_offered"),
        ({"accessSpeed": "100M"}, "sites.0.products.0.portSpeed", "port_exceeds_access"),
        ({"installationOption": "drone"}, "sites.0.products.0.installationOption", "not_offered"),
        (
            {"promotionIds": ["promo-eth-50off"]},
            "sites.0.products.0.promotionIds.0",
            "promotion_unavailable",
        ),
        ({"productId": "satellite"}, "sites.0.products.0.productId", "unknown_product"),
        ({"discountPercent": -1}, "sites.0.products.0.discountPercent", "greater_than_equal"),
        ({"colour": "red"}, "sites.0.products.0.colour", "extra_forbidden"),
    ],
    ids=[
        "discount out of range",
        "access speed",
        "port speed",
        "port faster than access",
        "installation",
        "promotion of another product",
        "unknown product",
        "negative discount",
        "unknown field",
    ],
)
def test_a_choice_the_product_does_not_offer_is_a_422_naming_the_field(client, change, field, rule):
    body = quote_body()
    body["sites"][0]["products"][0].update(change)
    assert (field, rule) in choice_errors(client, partner_headers(client), body)


@pytest.mark.parametrize(
    ("overrides", "field", "rule"),
    [
        ({"sites": []}, "sites", "too_short"),
        (
            {"billingPreferences": {"billingEmail": "not-an-email"}},
            "billingPreferences.billingEmail",
            "email_format",
        ),
        (
            {"billingPreferences": {"subAccountId": "bsa_acme_main"}},
            "billingPreferences.subAccountId",
            "unknown_sub_account",
        ),
        ({"status": "validated"}, "status", "extra_forbidden"),
    ],
    ids=["no site", "billing e-mail", "another customer's sub-account", "status"],
)
def test_invalid_quote_fields_are_422(client, overrides, field, rule):
    problems = choice_errors(client, partner_headers(client), quote_body(**overrides))
    assert (field, rule) in problems


def test_a_site_sub_account_must_be_the_customers(client):
    body = quote_body()
    body["sites"][1]["subAccountId"] = "bsa_acme_main"
    body["sites"][0]["subAccountId"] = "bsa_bluebonnet_hq"
    assert choice_errors(client, partner_headers(client), body) == {
        ("sites.1.subAccountId", "unknown_sub_account")
    }


def test_an_alliance_only_customer_is_quoted_only_after_an_approved_exception(client):
    headers = partner_headers(client)
    refused = client.post(QUOTES, json=quote_body(ALLIANCE_ONLY_CUSTOMER), headers=headers)
    assert is_problem(refused, 409, "customer_not_quotable")
    assert refused.json()["allianceStatus"] == "allianceOnly"

    request = file_exception(client, headers)
    client.post(f"/operator/v1/exception-requests/{request['id']}/approve", headers=OPERATOR)

    assert create_quote(client, headers, customer_id=ALLIANCE_ONLY_CUSTOMER)["status"] == "draft"


@pytest.mark.parametrize("customer_id", [PARTNER_B_ONLY_CUSTOMER, "bcu_nobody"])
def test_a_customer_the_partner_may_not_sell_to_is_a_404(client, customer_id):
    response = client.post(QUOTES, json=quote_body(customer_id), headers=partner_headers(client))
    assert is_problem(response, 404, "customer_not_found")


def test_another_partners_quote_does_not_exist(client):
    quote = create_quote(client, partner_headers(client))
    theirs = partner_headers(client, SANDBOX_CLIENT_B)
    url = f"{QUOTES}/{quote['id']}"

    assert is_problem(client.get(url, headers=theirs), 404, "quote_not_found")
    assert is_problem(client.patch(url, json={"name": "x"}, headers=theirs), 404, "quote_not_found")
    assert is_problem(client.post(f"{url}/validate", headers=theirs), 404, "quote_not_found")
    assert client.get(QUOTES, headers=theirs).json()["quotes"] == []


def test_a_refused_update_changes_nothing(client):
    headers = partner_headers(client)
    quote = create_quote(client, headers)
    bad = copy.deepcopy(quote_body()["sites"])
    bad[0]["products"][0]["discountPercent"] = 50
    url = f"{QUOTES}/{quote['id']}"

    assert is_problem(client.patch(url, json={"sites": bad, "name": "x"}, headers=headers), 422)
    assert is_problem(client.patch(url, json={"sites": None}, headers=headers), 422)
    assert is_problem(
        client.patch(
            url, json={"billingPreferences": {"subAccountId": "bsa_acme_main"}}, headers=headers
        ),
        422,
    )
    assert client.get(url, headers=headers).json() == quote


def test_an_idempotency_key_replays_the_quote_creation(client):
    headers = partner_headers(client) | {"Idempotency-Key": "quote-1"}

    first = client.post(QUOTES, json=quote_body(), headers=headers)
    again = client.post(QUOTES, json=quote_body(), headers=headers)

    assert first.status_code == again.status_code == 201
    assert again.json()["id"] == first.json()["id"]
    assert again.headers["idempotent-replayed"] == "true"
    assert len(client.get(QUOTES, headers=headers).json()["quotes"]) == 1


def test_quotes_need_a_partner_token(client):
    assert is_problem(client.get(QUOTES), 401, "unauthorized")
    assert is_problem(
        client.post(QUOTES, json=quote_body(), headers=sign_in(client)), 401, "invalid_token"
    )
    assert is_problem(
        client.get(f"{QUOTES}/quo_never", headers=partner_headers(client)), 404, "quote_not_found"
    )
