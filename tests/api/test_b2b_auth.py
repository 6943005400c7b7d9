"""Partner credentials: POST /oauth/token, token kinds kept apart, rotation, sandbox only."""

from __future__ import annotations

import base64
import dataclasses
import time

import pytest
from fastapi.testclient import TestClient

from orderhub.app import create_app
from orderhub.partners import service as partners
from orderhub.partners import tokens
from tests.api.b2b_helpers import (
    B2B,
    SANDBOX_CLIENT,
    new_partner,
    partner_headers,
    token_form,
)
from tests.helpers import BASE, is_problem, sign_in

LOOKUP = f"{B2B}/customers/lookup"
ANY_LOOKUP = {"name": "Bluebonnet Bank"}


def test_client_credentials_in_the_body_give_a_bearer_token(client):
    response = client.post("/oauth/token", data=token_form())

    assert response.status_code == 200, response.text
    body = response.json()
    assert body.keys() == {"access_token", "token_type", "expires_in"}
    assert body["token_type"] == "Bearer" and body["expires_in"] == 3600
    assert response.headers["cache-control"] == "no-store"
    headers = {"Authorization": f"Bearer {body['access_token']}"}
    assert client.post(LOOKUP, json=ANY_LOOKUP, headers=headers).status_code == 200


def test_client_credentials_as_http_basic_give_a_token(client):
    response = client.post(
        "/oauth/token", data={"grant_type": "client_credentials"}, auth=SANDBOX_CLIENT
    )
    assert response.status_code == 200, response.text
    assert response.json()["access_token"].startswith("p1.")


@pytest.mark.parametrize(
    "form",
    [
        token_form(client_secret="wrong-secret"),
        token_form(client_id="no-such-client", client_secret="wrong-secret"),
        {"grant_type": "client_credentials", "client_id": "sandbox-partner"},
    ],
    ids=["wrong secret", "unknown client", "no secret"],
)
def test_failed_client_authentication_is_401_invalid_client(client, form):
    response = client.post("/oauth/token", data=form)

    assert is_problem(response, 401, "invalid_client")
    body = response.json()
    assert body["error"] == "invalid_client" and body["error_description"]
    assert response.headers["www-authenticate"].startswith("Basic")
    assert response.headers["cache-control"] == "no-store"
    assert "wrong-secret" not in response.text


def test_wrong_basic_credentials_are_401_invalid_client(client):
    response = client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials"},
        auth=("sandbox-partner", "wrong-secret"),
    )
    assert is_problem(response, 401, "invalid_client")


@pytest.mark.parametrize(
    ("send", "error"),
    [
        ({"data": {"client_id": "sandbox-partner"}}, "invalid_request"),
        ({"data": token_form(grant_type="password")}, "unsupported_grant_type"),
        ({"json": token_form()}, "invalid_request"),
        ({"content": b"grant_type=client_credentials&grant_type=client_credentials"}, None),
    ],
    ids=["no grant type", "other grant", "json body", "repeated parameter"],
)
def test_malformed_token_requests_are_400_with_the_rfc_error(client, send, error):
    headers = {"Content-Type": "application/x-www-form-urlencoded"} if "content" in send else {}
    response = client.post("/oauth/token", headers=headers, **send)

    assert is_problem(response, 400, error or "invalid_request")
    assert response.json()["error"] == response.json()["code"]


def test_secret_in_both_header_and_body_is_refused(client):
    response = client.post("/oauth/token", data=token_form(), auth=SANDBOX_CLIENT)
    assert is_problem(response, 400, "invalid_request")
    assert "sandbox-partner-secret" not in response.text


def test_partner_routes_refuse_a_missing_forged_expired_or_consumer_token(client):
    key = client.app.state.runtime.key
    expired = tokens.sign(key, tokens.PartnerPrincipal("prt_sandbox", "sandbox-partner", 1))
    forged = tokens.sign(b"not-the-key", tokens.PartnerPrincipal("prt_sandbox", "x", 2**31))
    consumer = sign_in(client)

    assert is_problem(client.post(LOOKUP, json=ANY_LOOKUP), 401, "unauthorized")
    for token in (expired, forged):
        response = client.post(
            LOOKUP, json=ANY_LOOKUP, headers={"Authorization": f"Bearer {token}"}
        )
        assert is_problem(response, 401, "invalid_token")
    assert is_problem(client.post(LOOKUP, json=ANY_LOOKUP, headers=consumer), 401, "invalid_token")


def test_consumer_routes_refuse_a_partner_token(client):
    headers = partner_headers(client)
    assert is_problem(client.get(f"{BASE}/v1/orders", headers=headers), 401, "invalid_token")
    assert is_problem(
        client.get(f"{BASE}/v1/customers", params={"phone": "2145550100"}, headers=headers),
        401,
        "invalid_token",
    )


def test_a_rotated_secret_replaces_the_old_one_at_once(client, database):
    with database.transaction() as session:
        issued = partners.rotate_secret(session, client_id="sandbox-partner")

    old = client.post("/oauth/token", data=token_form())
    new = client.post("/oauth/token", data=token_form(("sandbox-partner", issued.client_secret)))

    assert is_problem(old, 401, "invalid_client")
    assert new.status_code == 200


def test_a_new_partner_authenticates_with_its_issued_secret(client, database):
    with database.transaction() as session:
        issued = new_partner(session)
    basic = base64.b64encode(f"{issued.client_id}:{issued.client_secret}".encode()).decode()

    response = client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials"},
        headers={"Authorization": f"Basic {basic}"},
    )

    assert response.status_code == 200, response.text
    principal = tokens.verify(
        client.app.state.runtime.key, response.json()["access_token"], time.time()
    )
    assert principal is not None and principal.partner_id == issued.partner_id


def test_sandbox_partners_are_refused_outside_sandbox_mode(settings, database):
    with database.transaction() as session:
        issued = new_partner(session, "Production Partner")
    production = dataclasses.replace(settings, sandbox=False, secret_key="k" * 32)

    with TestClient(create_app(production), raise_server_exceptions=False) as client:
        sandbox = client.post("/oauth/token", data=token_form())
        real = client.post(
            "/oauth/token", data=token_form((issued.client_id, issued.client_secret))
        )

    assert is_problem(sandbox, 401, "invalid_client")
    assert real.status_code == 200
