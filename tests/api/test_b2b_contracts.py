"""Credit check on a quote, contracts, signing, and the quote locked by its contract."""

from __future__ import annotations

import pytest

from tests.api.b2b_helpers import (
    B2B,
    DECLINED_CUSTOMER,
    DEPOSIT_CUSTOMER,
    REVIEW_CUSTOMER,
    SANDBOX_CLIENT_B,
    approved_quote,
    contract_body,
    create_quote,
    future,
    partner_headers,
    quote_body,
    signed_quote,
)
from tests.helpers import is_problem


def test_credit_before_validation_is_a_409_naming_what_is_missing(client):
    headers = partner_headers(client)
    body = quote_body()
    body["sites"][1]["address"]["addressLine1"] = "Legacy Drive"  # no house number
    quote = create_quote(client, headers, sites=body["sites"])

    refused = client.post(f"{B2B}/quotes/{quote['id']}/credit-check", headers=headers)

    assert is_problem(refused, 409, "quote_not_validated")
    assert {(e["field"], e["rule"]) for e in refused.json()["errors"]} == {
        ("sites.1.address", "address_not_validated"),
        ("status", "quote_not_validated"),
    }
    none_yet = client.get(f"{B2B}/quotes/{quote['id']}/credit-check", headers=headers)
    assert is_problem(none_yet, 404, "credit_check_not_found")


def test_credit_check_approves_and_a_recent_decision_is_reused(client):
    headers = partner_headers(client)
    first = approved_quote(client, headers)
    second = create_quote(client, headers)
    client.post(f"{B2B}/quotes/{second['id']}/validate", headers=headers)

    again = client.post(f"{B2B}/quotes/{second['id']}/credit-check", headers=headers).json()
    current = client.get(f"{B2B}/quotes/{first['id']}/credit-check", headers=headers).json()

    assert current["decision"] == "approved" and current["reused"] is False
    assert current["depositRequired"] is False and current["depositAmount"] == "0.00"
    assert again["reused"] is True and again["creditCheckId"] == current["creditCheckId"]
    quote = client.get(f"{B2B}/quotes/{second['id']}", headers=headers).json()
    assert quote["creditCheckId"] == current["creditCheckId"]


@pytest.mark.parametrize(
    ("customer", "decision", "deposit"),
    [
        (DECLINED_CUSTOMER, "declined", "0.00"),
        (DEPOSIT_CUSTOMER, "approved", "3252.00"),  # two months of 1626.00
        (REVIEW_CUSTOMER, "pendingReview", "0.00"),
    ],
)
def test_sandbox_tax_ids_pick_the_decision(client, customer, decision, deposit):
    headers = partner_headers(client)
    quote = create_quote(client, headers, customerId=customer)
    client.post(f"{B2B}/quotes/{quote['id']}/validate", headers=headers)

    result = client.post(f"{B2B}/quotes/{quote['id']}/credit-check", headers=headers).json()

    assert (result["decision"], result["depositAmount"]) == (decision, deposit)
    assert result["depositRequired"] is (deposit != "0.00")


@pytest.mark.parametrize("customer", [None, DECLINED_CUSTOMER, REVIEW_CUSTOMER])
def test_a_contract_before_approved_credit_is_a_409(client, customer):
    headers = partner_headers(client)
    quote = create_quote(client, headers, **({"customerId": customer} if customer else {}))
    client.post(f"{B2B}/quotes/{quote['id']}/validate", headers=headers)
    if customer:
        client.post(f"{B2B}/quotes/{quote['id']}/credit-check", headers=headers)

    refused = client.post(
        f"{B2B}/quotes/{quote['id']}/contract", json=contract_body(), headers=headers
    )

    assert is_problem(refused, 409, "credit_not_approved")
    missing = client.get(f"{B2B}/quotes/{quote['id']}/contract", headers=headers)
    assert is_problem(missing, 404, "contract_not_found")


def test_a_contract_carries_customer_contact_date_and_term_and_is_signed(client):
    headers = partner_headers(client)
    quote = approved_quote(client, headers)

    created = client.post(
        f"{B2B}/quotes/{quote['id']}/contract", json=contract_body(), headers=headers
    )
    contract = created.json()
    signed = client.post(
        f"{B2B}/contracts/{contract['id']}/sign",
        json={"signedBy": {"name": "Pat Lee", "title": "CFO"}},
        headers=headers,
    )

    assert created.status_code == 201 and contract["status"] == "generated"
    assert contract["customerDetails"]["name"] == "Bluebonnet Bank, Inc."
    assert contract["customerDetails"]["taxIdLast4"] == "6789"
    assert contract["contact"]["phone"] == "2145550399"
    assert (contract["termMonths"], contract["monthly"]) == (36, "1626.00")
    assert signed.json()["status"] == "signed" and signed.json()["signedAt"]
    found = client.get(f"{B2B}/quotes/{quote['id']}/contract", headers=headers).json()
    assert found["id"] == contract["id"] and found["status"] == "signed"
    twice = client.post(
        f"{B2B}/contracts/{contract['id']}/sign",
        json={"signedBy": {"name": "Pat Lee"}},
        headers=headers,
    )
    assert is_problem(twice, 409, "invalid_transition")


def test_after_signing_every_change_to_the_quote_is_a_409_naming_the_contract(client):
    headers = partner_headers(client)
    contract = signed_quote(client, headers)
    url = f"{B2B}/quotes/{contract['quoteId']}"

    changes = [
        client.patch(url, json={"name": "Renamed"}, headers=headers),
        client.patch(url, json={"sites": quote_body()["sites"][:1]}, headers=headers),
        client.post(f"{url}/credit-check", headers=headers),
        client.post(f"{url}/contract", json=contract_body(), headers=headers),
    ]

    for refused in changes:
        assert is_problem(refused, 409, "quote_locked"), refused.text
        assert refused.json()["contractId"] == contract["id"]
        assert contract["id"] in refused.json()["detail"]
    quote = client.get(url, headers=headers).json()
    assert quote["lockedByContractId"] == contract["id"] and quote["name"] == "HQ and branch"
    # Validating a locked quote changes nothing, so it answers.
    assert client.post(f"{url}/validate", headers=headers).json()["valid"] is True


def test_a_quote_changed_after_generation_cannot_be_signed_until_regenerated(client):
    headers = partner_headers(client)
    quote = approved_quote(client, headers)
    url = f"{B2B}/quotes/{quote['id']}"
    first = client.post(f"{url}/contract", json=contract_body(), headers=headers).json()
    client.patch(url, json={"name": "HQ and branch, v2"}, headers=headers)
    client.post(f"{url}/validate", headers=headers)

    outdated = client.post(
        f"{B2B}/contracts/{first['id']}/sign", json={"signedBy": {"name": "Pat"}}, headers=headers
    )
    again = client.post(f"{url}/contract", json=contract_body(termMonths=24), headers=headers)
    signed = client.post(
        f"{B2B}/contracts/{first['id']}/sign", json={"signedBy": {"name": "Pat"}}, headers=headers
    )

    assert is_problem(outdated, 409, "contract_outdated")
    assert again.json()["id"] == first["id"] and again.json()["termMonths"] == 24
    assert signed.status_code == 200, signed.text


def test_contract_input_is_checked(client):
    headers = partner_headers(client)
    quote = approved_quote(client, headers)
    url = f"{B2B}/quotes/{quote['id']}/contract"

    past = client.post(url, json=contract_body(effectiveDate="2020-01-01"), headers=headers)
    contact = contract_body()["contact"] | {"email": "nope", "phone": "12"}
    bad_contact = client.post(url, json=contract_body(contact=contact), headers=headers)
    term = client.post(url, json=contract_body(termMonths=0), headers=headers)
    unknown = client.post(url, json=contract_body(price="0.00"), headers=headers)

    assert is_problem(past, 422, "validation_failed")
    assert past.json()["errors"][0] == {
        "field": "effectiveDate",
        "rule": "date_in_past",
        "message": "The effective date must not be in the past.",
    }
    assert is_problem(bad_contact, 422)
    assert {e["field"] for e in bad_contact.json()["errors"]} >= {"contact.phone"}
    assert is_problem(term, 422) and is_problem(unknown, 422)
    assert future(0)  # the helper's dates are ISO strings


def test_another_partners_quote_and_contract_are_404(client):
    headers = partner_headers(client)
    contract = signed_quote(client, headers)
    other = partner_headers(client, SANDBOX_CLIENT_B)
    quote_url = f"{B2B}/quotes/{contract['quoteId']}"

    for response in (
        client.post(f"{quote_url}/credit-check", headers=other),
        client.get(f"{quote_url}/credit-check", headers=other),
        client.post(f"{quote_url}/contract", json=contract_body(), headers=other),
        client.get(f"{quote_url}/contract", headers=other),
    ):
        assert is_problem(response, 404, "quote_not_found"), response.text
    for response in (
        client.get(f"{B2B}/contracts/{contract['id']}", headers=other),
        client.post(
            f"{B2B}/contracts/{contract['id']}/sign",
            json={"signedBy": {"name": "X"}},
            headers=other,
        ),
    ):
        assert is_problem(response, 404, "contract_not_found")
    assert is_problem(client.get(f"{B2B}/contracts/bad%20id", headers=headers), 422)
