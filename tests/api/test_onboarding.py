"""Service-provider onboarding through HTTP: accounts, orders and service qualification."""

from __future__ import annotations

from tests.api.b2b_helpers import SANDBOX_CLIENT_B, partner_headers
from tests.helpers import is_problem, sign_in

ONB = "/onboarding/v1"


def account_body(username: str = "casey.jones", **overrides) -> dict:
    contact = {
        "firstName": "Casey",
        "lastName": "Jones",
        "email": "casey@example.com",
        "phone": "2175550123",
    }
    return {
        "customer": {"type": "residential", "firstName": "Casey", "lastName": "Jones"},
        "primaryContact": contact,
        "billingContact": contact,
        "portal": {"username": username, "password": "correct horse battery"},
    } | overrides


def new_account(client, headers, username: str = "casey.jones") -> dict:
    response = client.post(f"{ONB}/accounts", json=account_body(username), headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


def new_order(client, headers) -> dict:
    account = new_account(client, headers)
    response = client.post(f"{ONB}/accounts/{account['id']}/orders", headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


def test_accounts_are_created_read_and_found_by_credentials(client):
    headers = partner_headers(client)
    account = new_account(client, headers)
    assert account["username"] == "casey.jones"
    assert not {"password", "passwordHash", "portal"} & account.keys()
    assert account["identifierRealms"] == ["isp.example", "voice.example"]
    assert client.get(f"{ONB}/accounts/{account['id']}", headers=headers).json() == account

    found = client.post(
        f"{ONB}/accounts/find-by-credentials",
        json={"username": "Casey.Jones", "password": "correct horse battery"},
        headers=headers,
    )
    assert found.status_code == 200 and found.json()["id"] == account["id"]


def test_wrong_credentials_do_not_say_which_part_was_wrong(client):
    headers = partner_headers(client)
    new_account(client, headers)
    wrong_password = client.post(
        f"{ONB}/accounts/find-by-credentials",
        json={"username": "casey.jones", "password": "wrong wrong wrong"},
        headers=headers,
    )
    unknown_user = client.post(
        f"{ONB}/accounts/find-by-credentials",
        json={"username": "nobody.here", "password": "correct horse battery"},
        headers=headers,
    )
    assert is_problem(wrong_password, 401, "invalid_credentials")
    assert is_problem(unknown_user, 401, "invalid_credentials")
    assert wrong_password.json()["detail"] == unknown_user.json()["detail"]


def test_a_taken_username_and_bad_fields_are_refused(client):
    headers = partner_headers(client)
    new_account(client, headers)
    assert is_problem(
        client.post(f"{ONB}/accounts", json=account_body(), headers=headers), 409, "username_taken"
    )
    bad = client.post(
        f"{ONB}/accounts",
        json=account_body(portal={"username": "x", "password": "short"}),
        headers=headers,
    )
    assert is_problem(bad, 422)
    assert {e["field"] for e in bad.json()["errors"]} == {"portal.username", "portal.password"}


def test_another_providers_account_and_order_do_not_exist(client):
    order = new_order(client, partner_headers(client))
    other = partner_headers(client, SANDBOX_CLIENT_B)
    assert is_problem(client.get(f"{ONB}/accounts/{order['accountId']}", headers=other), 404)
    assert is_problem(client.get(f"{ONB}/orders/{order['id']}", headers=other), 404)
    assert is_problem(
        client.post(
            f"{ONB}/orders/{order['id']}/sq/simple",
            json={"serviceTypeId": "email-hosting"},
            headers=other,
        ),
        404,
    )
    assert is_problem(client.get(f"{ONB}/orders/{order['id']}", headers=sign_in(client)), 401)


def test_the_three_kinds_of_sq_and_the_orders_history(client):
    headers = partner_headers(client)
    order = new_order(client, headers)
    assert order["status"] == "started"
    oid = order["id"]

    simple = client.post(
        f"{ONB}/orders/{oid}/sq/simple", json={"serviceTypeId": "email-hosting"}, headers=headers
    )
    assert simple.status_code == 200 and simple.json()["qualified"] is True

    failed = client.post(
        f"{ONB}/orders/{oid}/sq/phone",
        json={"serviceTypeId": "voip-line", "phoneNumber": "2175550100"},
        headers=headers,
    ).json()
    assert failed["qualified"] is False and failed["reason"]
    phone = client.post(
        f"{ONB}/orders/{oid}/sq/phone",
        json={"serviceTypeId": "voip-line", "phoneNumber": "2175550101"},
        headers=headers,
    ).json()
    assert phone["qualified"] is True

    found = client.post(
        f"{ONB}/orders/{oid}/sq/address/find", json={"query": "example street"}, headers=headers
    ).json()["locations"]
    assert [loc["locationId"] for loc in found] == ["LOC000000001", "LOC000000002"]
    address = client.post(
        f"{ONB}/orders/{oid}/sq/address",
        json={"serviceTypeId": "home-broadband", "locationId": "LOC000000001"},
        headers=headers,
    ).json()
    assert address["qualified"] is True
    assert address["details"]["technologies"][0]["technology"] == "FTTP"

    final = client.get(f"{ONB}/orders/{oid}", headers=headers).json()
    assert final["status"] == "qualified"
    assert final["qualifiedServiceTypes"] == ["email-hosting", "home-broadband", "voip-line"]
    assert [e["type"] for e in final["events"]] == [
        "order.started",
        "sq.qualified",
        "sq.failed",
        "sq.qualified",
        "sq.qualified",
    ]


def test_an_unserviceable_address_fails_the_sq_with_its_reason(client):
    headers = partner_headers(client)
    oid = new_order(client, headers)["id"]
    result = client.post(
        f"{ONB}/orders/{oid}/sq/address",
        json={"serviceTypeId": "home-broadband", "locationId": "LOC000000004"},
        headers=headers,
    ).json()
    assert result["qualified"] is False
    assert result["reason"] == "No network reaches this address yet."
    order = client.get(f"{ONB}/orders/{oid}", headers=headers).json()
    assert order["status"] == "started" and order["qualifiedServiceTypes"] == []


def test_sq_input_errors_name_the_field(client):
    headers = partner_headers(client)
    oid = new_order(client, headers)["id"]
    wrong_kind = client.post(
        f"{ONB}/orders/{oid}/sq/simple", json={"serviceTypeId": "home-broadband"}, headers=headers
    )
    assert is_problem(wrong_kind, 422, "validation_failed")
    assert wrong_kind.json()["errors"][0]["rule"] == "wrong_check_type"
    unknown = client.post(
        f"{ONB}/orders/{oid}/sq/simple", json={"serviceTypeId": "teleport"}, headers=headers
    )
    assert unknown.json()["errors"][0]["rule"] == "unknown_service_type"
    bad_phone = client.post(
        f"{ONB}/orders/{oid}/sq/phone",
        json={"serviceTypeId": "voip-line", "phoneNumber": "12"},
        headers=headers,
    )
    assert bad_phone.json()["errors"][0]["field"] == "phoneNumber"
    no_location = client.post(
        f"{ONB}/orders/{oid}/sq/address",
        json={"serviceTypeId": "home-broadband", "locationId": "LOC9"},
        headers=headers,
    )
    assert no_location.json()["errors"][0]["rule"] == "unknown_location"
