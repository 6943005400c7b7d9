"""Exception requests: a partner files one for an alliance-only customer; operations decide."""

from __future__ import annotations

import dataclasses

import pytest
from fastapi.testclient import TestClient

from orderhub.app import create_app
from orderhub.business import service as business
from orderhub.business.rules import AllianceStatus
from tests.api.b2b_helpers import (
    ALLIANCE_CUSTOMER,
    ALLIANCE_ONLY_CUSTOMER,
    B2B,
    OPERATOR,
    PARTNER_B_ONLY_CUSTOMER,
    SANDBOX_CLIENT_B,
    file_exception,
    new_partner,
    partner_headers,
)
from tests.helpers import is_problem, sign_in

OPS = "/operator/v1/exception-requests"


def can_quote(client, headers) -> bool:
    """What the lookup says of the alliance-only sandbox customer (phone 2145550340)."""
    response = client.post(f"{B2B}/customers/lookup", json={"phone": "2145550340"}, headers=headers)
    return response.json()["customers"][0]["canQuote"]


def test_an_approved_exception_lets_the_partner_quote_an_alliance_only_customer(client):
    headers = partner_headers(client)
    assert can_quote(client, headers) is False

    request = file_exception(client, headers, reason="Existing relationship since 2019.")
    assert request["status"] == "pending" and request["customerId"] == ALLIANCE_ONLY_CUSTOMER
    assert request["reason"] == "Existing relationship since 2019."
    assert can_quote(client, headers) is False

    approved = client.post(f"{OPS}/{request['id']}/approve", json={"note": "OK"}, headers=OPERATOR)
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "approved"
    assert approved.json()["decidedBy"] == "operator:api"

    mine = client.get(f"{B2B}/exception-requests/{request['id']}", headers=headers).json()
    assert mine["status"] == "approved" and mine["decisionNote"] == "OK" and mine["decidedAt"]
    assert "decidedBy" not in mine and "partnerId" not in mine
    assert can_quote(client, headers) is True


def test_a_rejected_request_keeps_the_customer_blocked_and_may_be_filed_again(client):
    headers = partner_headers(client)
    request = file_exception(client, headers)

    rejected = client.post(f"{OPS}/{request['id']}/reject", headers=OPERATOR)

    assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"
    assert can_quote(client, headers) is False
    assert file_exception(client, headers)["id"] != request["id"]


def test_a_decision_is_final(client):
    request = file_exception(client, partner_headers(client))
    client.post(f"{OPS}/{request['id']}/approve", headers=OPERATOR)

    again = client.post(f"{OPS}/{request['id']}/reject", headers=OPERATOR)

    assert is_problem(again, 409, "invalid_transition")
    assert again.json()["currentStatus"] == "approved"


def test_an_alliance_customer_needs_no_exception(client):
    response = client.post(
        f"{B2B}/customers/{ALLIANCE_CUSTOMER}/exception-requests",
        json={"reason": "Just in case."},
        headers=partner_headers(client),
    )
    assert is_problem(response, 409, "exception_not_needed")


def test_a_second_request_while_one_is_open_is_a_409_naming_it(client):
    headers = partner_headers(client)
    first = file_exception(client, headers)

    second = client.post(
        f"{B2B}/customers/{ALLIANCE_ONLY_CUSTOMER}/exception-requests",
        json={"reason": "Again."},
        headers=headers,
    )

    assert is_problem(second, 409, "exception_request_exists")
    assert second.json()["exceptionRequestId"] == first["id"]


@pytest.mark.parametrize("customer_id", [PARTNER_B_ONLY_CUSTOMER, "bcu_nobody"])
def test_a_customer_the_partner_may_not_sell_to_is_a_404(client, customer_id):
    response = client.post(
        f"{B2B}/customers/{customer_id}/exception-requests",
        json={"reason": "Please."},
        headers=partner_headers(client),
    )
    assert is_problem(response, 404, "customer_not_found")


def test_another_partners_request_does_not_exist(client):
    mine = file_exception(client, partner_headers(client))
    theirs = partner_headers(client, SANDBOX_CLIENT_B)

    response = client.get(f"{B2B}/exception-requests/{mine['id']}", headers=theirs)

    assert is_problem(response, 404, "exception_request_not_found")
    listed = client.get(f"{B2B}/exception-requests", headers=theirs).json()
    assert listed["exceptionRequests"] == []
    assert is_problem(
        client.get(f"{B2B}/exception-requests/exr_never", headers=partner_headers(client)),
        404,
        "exception_request_not_found",
    )


def test_the_list_is_the_partners_own_newest_first_and_filters_by_status(client):
    headers = partner_headers(client)
    first = file_exception(client, headers)
    client.post(f"{OPS}/{first['id']}/reject", headers=OPERATOR)
    second = file_exception(client, headers)

    listed = client.get(f"{B2B}/exception-requests", headers=headers).json()
    pending = client.get(
        f"{B2B}/exception-requests", params={"status": "pending"}, headers=headers
    ).json()

    assert [r["id"] for r in listed["exceptionRequests"]] == [second["id"], first["id"]]
    assert [r["id"] for r in pending["exceptionRequests"]] == [second["id"]]
    assert listed["limit"] == 20 and listed["offset"] == 0


@pytest.mark.parametrize(
    "params", [{"status": "maybe"}, {"limit": 0}, {"limit": 101}, {"offset": -1}]
)
def test_list_parameters_out_of_range_are_422(client, params):
    response = client.get(
        f"{B2B}/exception-requests", params=params, headers=partner_headers(client)
    )
    assert is_problem(response, 422, "validation_failed")


def test_an_idempotency_key_replays_the_first_request(client):
    headers = partner_headers(client) | {"Idempotency-Key": "exr-key-1"}
    url = f"{B2B}/customers/{ALLIANCE_ONLY_CUSTOMER}/exception-requests"

    first = client.post(url, json={"reason": "Once."}, headers=headers)
    again = client.post(url, json={"reason": "Once."}, headers=headers)
    other = client.post(url, json={"reason": "Twice."}, headers=headers)

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again.headers["idempotent-replayed"] == "true"
    assert is_problem(other, 422, "validation_failed")
    assert other.json()["errors"][0]["rule"] == "key_reused"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "reason"),
        ({"reason": ""}, "reason"),
        ({"reason": "x" * 1001}, "reason"),
        ({"reason": "ok", "status": "approved"}, "status"),
    ],
    ids=["missing", "empty", "too long", "status is not the partner's to set"],
)
def test_an_invalid_request_body_is_422(client, body, field):
    response = client.post(
        f"{B2B}/customers/{ALLIANCE_ONLY_CUSTOMER}/exception-requests",
        json=body,
        headers=partner_headers(client),
    )
    assert is_problem(response, 422, "validation_failed")
    assert field in [e["field"] for e in response.json()["errors"]]


def test_operators_list_the_queue_oldest_first_and_read_any_request(client, database):
    with database.transaction() as session:
        other = new_partner(session)
        business.set_alliance(
            session,
            partner_id=other.partner_id,
            customer_id=ALLIANCE_ONLY_CUSTOMER,
            status=AllianceStatus.ALLIANCE_ONLY,
        )
    first = file_exception(client, partner_headers(client))
    second = file_exception(client, partner_headers(client, (other.client_id, other.client_secret)))

    queue = client.get(OPS, params={"status": "pending"}, headers=OPERATOR).json()
    one = client.get(f"{OPS}/{first['id']}", headers=OPERATOR).json()

    assert [r["id"] for r in queue["exceptionRequests"]] == [first["id"], second["id"]]
    assert queue["exceptionRequests"][1]["partnerId"] == other.partner_id
    assert one["partnerId"] == "prt_sandbox" and one["status"] == "pending"
    assert is_problem(client.get(f"{OPS}/exr_never", headers=OPERATOR), 404)
    assert is_problem(
        client.post(f"{OPS}/exr_never/approve", headers=OPERATOR),
        404,
        "exception_request_not_found",
    )


def test_operator_routes_need_the_operator_token(client):
    request = file_exception(client, partner_headers(client))
    url = f"{OPS}/{request['id']}/approve"

    assert is_problem(client.post(url), 401, "unauthorized")
    assert is_problem(
        client.post(url, headers={"Authorization": "Bearer nope"}), 401, "invalid_token"
    )
    assert is_problem(client.post(url, headers=partner_headers(client)), 401, "invalid_token")
    assert is_problem(client.post(url, headers=sign_in(client)), 401, "invalid_token")
    assert is_problem(
        client.get(f"{B2B}/exception-requests", headers=OPERATOR), 401, "invalid_token"
    )
    assert client.get(f"{OPS}/{request['id']}", headers=OPERATOR).json()["status"] == "pending"


def test_a_configured_operator_token_replaces_the_sandbox_default(client, monkeypatch):
    monkeypatch.setenv("ORDERHUB_OPERATOR_TOKEN", "a-long-configured-operator-token")

    assert is_problem(client.get(OPS, headers=OPERATOR), 401, "invalid_token")
    configured = {"Authorization": "Bearer a-long-configured-operator-token"}
    assert client.get(OPS, headers=configured).status_code == 200


def test_without_a_configured_token_production_disables_the_operator_api(settings, monkeypatch):
    monkeypatch.delenv("ORDERHUB_OPERATOR_TOKEN", raising=False)
    production = dataclasses.replace(settings, sandbox=False, secret_key="k" * 32)

    with TestClient(create_app(production), raise_server_exceptions=False) as client:
        response = client.get(OPS, headers=OPERATOR)

    assert is_problem(response, 403, "operator_api_disabled")
