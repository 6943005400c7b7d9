"""End-customer lookup: each criterion, the 404 "No customer found", tenant visibility."""

from __future__ import annotations

import pytest

from tests.api.b2b_helpers import (
    ALLIANCE_CUSTOMER,
    ALLIANCE_ONLY_CUSTOMER,
    B2B,
    PARTNER_B_ONLY_CUSTOMER,
    SANDBOX_CLIENT_B,
    partner_headers,
)
from tests.helpers import is_problem

LOOKUP = f"{B2B}/customers/lookup"
BLUEBONNET_ADDRESS = {
    "addressLine1": "1900 N. Akard St.",
    "city": "dallas",
    "state": "tx",
    "zipCode": "75201-4455",
}


def ids(response) -> list[str]:
    assert response.status_code == 200, response.text
    return [c["id"] for c in response.json()["customers"]]


def test_lookup_by_name_answers_alliance_status_and_sub_accounts(client):
    headers = partner_headers(client)

    response = client.post(LOOKUP, json={"name": "bluebonnet BANK"}, headers=headers)

    assert ids(response) == [ALLIANCE_CUSTOMER]
    found = response.json()["customers"][0]
    assert found["name"] == "Bluebonnet Bank, Inc."
    assert found["allianceStatus"] == "alliance" and found["canQuote"] is True
    assert found["taxIdLast4"] == "6789" and "taxId" not in found
    assert found["address"]["addressLine1"] == "1900 N AKARD ST"
    assert [a["id"] for a in found["subAccounts"]] == [
        "bsa_bluebonnet_hq",
        "bsa_bluebonnet_branches",
    ]
    assert found["subAccounts"][0].keys() == {"id", "number", "name", "status"}


@pytest.mark.parametrize(
    "criteria",
    [
        {"phone": "(214) 555-0300"},
        {"taxId": "75-2466789"},
        {"taxId": "752466789"},
        {"address": BLUEBONNET_ADDRESS},
        {"name": "Bluebonnet Bank", "phone": "2145550300", "taxId": "75-2466789"},
    ],
    ids=["phone", "tax id", "tax id digits", "address", "all together"],
)
def test_lookup_by_phone_tax_id_or_address(client, criteria):
    assert ids(client.post(LOOKUP, json=criteria, headers=partner_headers(client))) == [
        ALLIANCE_CUSTOMER
    ]


@pytest.mark.parametrize(
    "criteria",
    [
        {"name": "Nobody Industries"},
        {"name": "Bluebonnet Bank", "phone": "2145550310"},  # every criterion must match
        {"taxId": "99-9999999"},
        {"address": BLUEBONNET_ADDRESS | {"addressLine1": "1901 N Akard St"}},
    ],
    ids=["unknown name", "criteria disagree", "unknown tax id", "other address"],
)
def test_no_match_is_a_404_titled_no_customer_found(client, criteria):
    response = client.post(LOOKUP, json=criteria, headers=partner_headers(client))

    assert is_problem(response, 404, "customer_not_found")
    assert response.json()["title"] == "No customer found"


def test_alliance_only_customers_are_found_but_cannot_be_quoted(client):
    response = client.post(LOOKUP, json={"phone": "2145550340"}, headers=partner_headers(client))

    assert ids(response) == [ALLIANCE_ONLY_CUSTOMER]
    found = response.json()["customers"][0]
    assert found["allianceStatus"] == "allianceOnly" and found["canQuote"] is False


def test_a_partner_sees_only_customers_it_may_sell_to(client):
    mine, theirs = partner_headers(client), partner_headers(client, SANDBOX_CLIENT_B)
    gulf = {"name": "Gulf Coast Shipping"}

    assert is_problem(client.post(LOOKUP, json=gulf, headers=mine), 404, "customer_not_found")
    assert ids(client.post(LOOKUP, json=gulf, headers=theirs)) == [PARTNER_B_ONLY_CUSTOMER]
    # One customer, two partners, two statuses.
    red_river = {"name": "Red River Health Partners"}
    assert client.post(LOOKUP, json=red_river, headers=mine).json()["customers"][0][
        "allianceStatus"
    ] == ("allianceOnly")
    assert client.post(LOOKUP, json=red_river, headers=theirs).json()["customers"][0][
        "allianceStatus"
    ] == ("alliance")
    assert is_problem(
        client.post(LOOKUP, json={"taxId": "75-2466789"}, headers=theirs), 404, "customer_not_found"
    )


@pytest.mark.parametrize(
    ("body", "field", "rule"),
    [
        ({}, "name", "one_of_required"),
        ({"name": "!!!"}, "name", "name_format"),
        ({"phone": "123-456-7890"}, "phone", "phone_format"),
        ({"taxId": "75-24667890"}, "taxId", "tax_id_format"),
        ({"taxId": "AB-2466789"}, "taxId", "tax_id_format"),
        ({"address": BLUEBONNET_ADDRESS | {"zipCode": "10001"}}, "address.zipCode", None),
        ({"address": BLUEBONNET_ADDRESS | {"state": "XX"}}, "address.state", "unknown_state"),
        ({"address": {"city": "Dallas"}}, "address.addressLine1", "missing"),
        ({"name": "Bluebonnet", "status": "alliance"}, "status", "extra_forbidden"),
        ({"name": "x" * 201}, "name", "string_too_long"),
        ({"name": "Blue\u0000bonnet"}, "body", None),
    ],
    ids=[
        "no criterion",
        "no letters",
        "phone",
        "tax id length",
        "tax id letters",
        "zip not in state",
        "state",
        "address incomplete",
        "unknown field",
        "name too long",
        "nul",
    ],
)
def test_invalid_lookups_are_422_naming_the_field_and_rule(client, body, field, rule):
    response = client.post(LOOKUP, json=body, headers=partner_headers(client))

    assert is_problem(response, 422, "validation_failed")
    problems = {(e["field"], e["rule"]) for e in response.json()["errors"]}
    assert any(f == field and (rule is None or r == rule) for f, r in problems), problems


def test_malformed_json_is_a_400(client):
    response = client.post(
        LOOKUP,
        content=b"{not json",
        headers=partner_headers(client) | {"Content-Type": "application/json"},
    )
    assert is_problem(response, 400, "malformed_json")
