"""Notes and payments against an onboarding account, with the sandbox's test cards."""

from __future__ import annotations

import pytest

from tests.api.b2b_helpers import SANDBOX_CLIENT_B, partner_headers
from tests.api.test_onboarding import ONB, new_account
from tests.helpers import is_problem


def pay(client, headers, account_id, number="4242424242424242", **overrides):
    body = {
        "amount": "25.00",
        "currency": "USD",
        "card": {"number": number, "expiry": "12/30", "cvc": "123"},
    } | overrides
    return client.post(f"{ONB}/accounts/{account_id}/payments", json=body, headers=headers)


def test_notes_are_added_and_listed_newest_first(client):
    headers = partner_headers(client)
    account = new_account(client, headers)
    for text in ("Called about install date.", "Prefers e-mail."):
        assert (
            client.post(
                f"{ONB}/accounts/{account['id']}/notes", json={"text": text}, headers=headers
            ).status_code
            == 201
        )
    notes = client.get(f"{ONB}/accounts/{account['id']}/notes", headers=headers).json()["notes"]
    assert [n["text"] for n in notes] == ["Prefers e-mail.", "Called about install date."]
    assert is_problem(
        client.post(f"{ONB}/accounts/{account['id']}/notes", json={"text": ""}, headers=headers),
        422,
    )


@pytest.mark.parametrize(
    ("number", "status", "code"),
    [
        ("4242424242424242", "succeeded", None),
        ("4000000000000002", "declined", "card_declined"),
        ("4000000000009995", "declined", "insufficient_funds"),
        ("4000000000000119", "failed", "processing_error"),
    ],
)
def test_test_cards_succeed_decline_or_fail(client, number, status, code):
    headers = partner_headers(client)
    account = new_account(client, headers)
    response = pay(client, headers, account["id"], number)
    assert response.status_code == 201, response.text
    payment = response.json()
    assert (payment["status"], payment["declineCode"]) == (status, code)
    assert payment["card"] == {"brand": "visa", "last4": number[-4:]}
    assert number not in response.text
    listed = client.get(f"{ONB}/accounts/{account['id']}/payments", headers=headers).json()
    assert [p["id"] for p in listed["payments"]] == [payment["id"]]


def test_bad_payments_name_the_field_and_never_echo_the_card(client):
    headers = partner_headers(client)
    account_id = new_account(client, headers)["id"]
    bad = pay(client, headers, account_id, "4242424242424241", amount="0.00", currency="XYZ")
    assert is_problem(bad, 422)
    assert {e["field"] for e in bad.json()["errors"]} == {"amount", "currency", "card.number"}
    assert "4242424242424241" not in bad.text
    expired = client.post(
        f"{ONB}/accounts/{account_id}/payments",
        json={
            "amount": "5",
            "currency": "USD",
            "card": {"number": "4242424242424242", "expiry": "01/20", "cvc": "123"},
        },
        headers=headers,
    )
    assert expired.json()["errors"][0]["field"] == "card.expiry"
    shape = pay(client, headers, account_id, amount="1,000")
    assert is_problem(shape, 422) and shape.json()["errors"][0]["field"] == "amount"


def test_a_repeated_payment_key_charges_once(client):
    headers = partner_headers(client) | {"Idempotency-Key": "pay-1"}
    account_id = new_account(client, headers)["id"]
    first, again = pay(client, headers, account_id), pay(client, headers, account_id)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert first.json() == again.json()
    listed = client.get(f"{ONB}/accounts/{account_id}/payments", headers=headers).json()
    assert len(listed["payments"]) == 1


def test_another_providers_account_takes_no_notes_or_payments(client):
    account_id = new_account(client, partner_headers(client))["id"]
    other = partner_headers(client, SANDBOX_CLIENT_B)
    assert is_problem(pay(client, other, account_id), 404)
    assert is_problem(client.get(f"{ONB}/accounts/{account_id}/notes", headers=other), 404)
