"""Numbers after the credit policy (issue 13 item 5): a reservation needs an approved
credit decision and is refused at reserve time beyond the policy's `maxLines`."""

from __future__ import annotations

import pytest

from tests.helpers import BASE, create_order, is_problem, sign_in, submit_credit

FAMILY = {"items": [{"offerId": "bundle-family-4", "quantity": 1}]}  # four lines
THREE_PLANS = {"items": [{"offerId": "plan-unlimited-extra", "quantity": 3}]}


def _reserve(client, headers, order, number: str):
    line = next(i for i in order["items"] if i["lines"])
    return client.patch(
        f"{BASE}/v1/order/{order['id']}/number.reserve",
        json={"number": number, "itemId": line["id"]},
        headers=headers,
    )


def test_a_reservation_before_credit_is_refused_naming_the_rule(client):
    headers = sign_in(client)
    order = create_order(client, headers)
    refused = _reserve(client, headers, order, "2145551600")
    assert is_problem(refused, 409, "credit_required")
    assert [(e["field"], e["rule"]) for e in refused.json()["errors"]] == [
        ("credit", "credit_required")
    ]
    held = client.get(f"{BASE}/v1/order/{order['id']}", headers=headers).json()["numbers"]
    assert held == []


@pytest.mark.parametrize(("ssn", "decision"), [("0000", "declined"), ("2222", "manualReview")])
def test_a_credit_decision_other_than_approved_allows_no_number(client, ssn, decision):
    headers = sign_in(client)
    order = create_order(client, headers)
    submit_credit(client, headers, order["id"], ssn=f"123-45-{ssn}")
    refused = _reserve(client, headers, order, "2145551601")
    assert is_problem(refused, 409, "credit_required")
    assert refused.json()["decision"] == decision


def test_a_reservation_beyond_max_lines_is_refused_at_reserve_time(client):
    headers = sign_in(client)
    order = create_order(client, headers, **FAMILY)
    submit_credit(client, headers, order["id"], ssn="123-45-1111")  # maxLines 3
    for number in ("2145551610", "2145551611", "2145551612"):
        assert _reserve(client, headers, order, number).status_code == 200
    refused = _reserve(client, headers, order, "2145551613")
    assert is_problem(refused, 409, "max_lines_exceeded")
    body = refused.json()
    assert (body["maxLines"], body["lines"]) == (3, 4)
    assert body["errors"][0]["field"] == "number"
    assert body["errors"][0]["rule"] == "max_lines_exceeded"
    # Renewing a number the order holds adds no line.
    assert _reserve(client, headers, order, "2145551612").status_code == 200
    held = client.get(f"{BASE}/v1/order/{order['id']}", headers=headers).json()["numbers"]
    assert sorted(n["number"] for n in held) == ["2145551610", "2145551611", "2145551612"]


def test_replacing_a_number_at_the_limit_is_allowed(client):
    headers = sign_in(client)
    order = create_order(client, headers, **THREE_PLANS)
    submit_credit(client, headers, order["id"], ssn="123-45-1111")  # maxLines 3
    for number in ("2145551620", "2145551621", "2145551622", "2145551623"):
        # The item has three lines: the fourth number releases its oldest.
        assert _reserve(client, headers, order, number).status_code == 200
    held = client.get(f"{BASE}/v1/order/{order['id']}", headers=headers).json()["numbers"]
    assert sorted(n["number"] for n in held) == ["2145551621", "2145551622", "2145551623"]


def test_a_lower_limit_after_a_new_application_refuses_further_numbers(client):
    headers = sign_in(client)
    order = create_order(client, headers, **FAMILY)
    submit_credit(client, headers, order["id"])  # maxLines 5
    for number in ("2145551630", "2145551631", "2145551632"):
        assert _reserve(client, headers, order, number).status_code == 200
    submit_credit(client, headers, order["id"], ssn="123-45-1111")  # maxLines 3
    assert is_problem(_reserve(client, headers, order, "2145551633"), 409, "max_lines_exceeded")
