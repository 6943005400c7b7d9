"""The subscriber inventory through its read API, as the partners allowed on an account."""

from __future__ import annotations

from datetime import date

from orderhub.inventory.service import next_bill_date
from tests.api.b2b_helpers import SANDBOX_CLIENT_B, partner_headers
from tests.helpers import is_problem, sign_in

INV = "/inventory/v1"


def test_an_accounts_lines_are_listed_with_their_plans(client):
    headers = partner_headers(client)
    response = client.get(f"{INV}/accounts/81730304/subscribers", headers=headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["foundationAccountNumber"] == "81730304"
    lines = {s["ctn"]: s for s in body["subscribers"]}
    assert set(lines) == {"1234567890", "1234567891", "1234567892", "1234567893", "1234567894"}
    assert lines["1234567890"]["ratePlan"] == "mobile-select-pooled"
    assert lines["1234567890"]["ratePlanName"] == "Mobile Select Pooled"
    assert lines["1234567892"]["status"] == "suspended"

    suspended = client.get(
        f"{INV}/accounts/81730304/subscribers", params={"status": "suspended"}, headers=headers
    ).json()["subscribers"]
    assert [s["ctn"] for s in suspended] == ["1234567892"]
    page = client.get(
        f"{INV}/accounts/81730304/subscribers", params={"limit": 2, "offset": 2}, headers=headers
    ).json()["subscribers"]
    assert [s["ctn"] for s in page] == ["1234567892", "1234567893"]


def test_one_line_shows_features_device_and_history(client):
    response = client.get(f"{INV}/subscribers/1234567890", headers=partner_headers(client))
    assert response.status_code == 200, response.text
    line = response.json()
    assert line["ctn"] == "1234567890" and line["status"] == "active"
    assert line["foundationAccountNumber"] == "81730304"
    assert line["accountGroupId"] == "73001012763"
    assert [(f["sku"], f["status"]) for f in line["features"]] == [("sku12037300058", "active")]
    assert line["device"] == {
        "imei": "359194077165199",
        "iccid": "89014704272630325824",
        "networkBlock": False,
    }
    assert line["udl"] == [{"type": "Cost Center", "value": "CC-1001"}]
    assert line["billCycleDay"] == 15
    assert [e["type"] for e in line["history"]] == ["subscriber.created"]


def test_another_partners_account_and_lines_do_not_exist(client):
    other = partner_headers(client, SANDBOX_CLIENT_B)
    assert is_problem(
        client.get(f"{INV}/accounts/81730304/subscribers", headers=other), 404, "account_not_found"
    )
    assert is_problem(
        client.get(f"{INV}/subscribers/1234567890", headers=other), 404, "subscriber_not_found"
    )
    mine = client.get(f"{INV}/subscribers/2815550190", headers=other)
    assert mine.status_code == 200
    assert is_problem(
        client.get(f"{INV}/subscribers/2815550190", headers=partner_headers(client)), 404
    )


def test_bad_ids_are_422_and_consumer_tokens_401(client):
    headers = partner_headers(client)
    assert is_problem(client.get(f"{INV}/subscribers/12345", headers=headers), 422)
    assert is_problem(client.get(f"{INV}/accounts/abc/subscribers", headers=headers), 422)
    assert is_problem(
        client.get(f"{INV}/accounts/81730304/subscribers", params={"status": "x"}, headers=headers),
        422,
    )
    assert is_problem(client.get(f"{INV}/subscribers/1234567890", headers=sign_in(client)), 401)


def test_the_next_bill_date_is_the_next_cycle_day_after_today():
    assert next_bill_date(15, date(2026, 11, 23)) == date(2026, 12, 15)
    assert next_bill_date(28, date(2026, 11, 23)) == date(2026, 11, 28)
    assert next_bill_date(23, date(2026, 11, 23)) == date(2026, 12, 23)
    assert next_bill_date(1, date(2026, 12, 31)) == date(2027, 1, 1)
    # A cycle day past a month's end falls on its last day.
    assert next_bill_date(31, date(2027, 1, 31)) == date(2027, 2, 28)
    assert next_bill_date(31, date(2027, 2, 28)) == date(2027, 3, 31)
    assert next_bill_date(30, date(2028, 2, 1)) == date(2028, 2, 29)
