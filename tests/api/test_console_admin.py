"""The admin pages for partners and webhooks: admins only, secrets shown once."""

from __future__ import annotations

import re

import pytest

from tests.api.console import csrf_of, sign_in


@pytest.mark.parametrize("username", ["ops-viewer", "ops-agent"])
def test_only_admins_open_the_partner_and_webhook_pages(client, username) -> None:
    csrf = sign_in(client, username)
    for path in ("/console/partners", "/console/webhooks"):
        answer = client.get(path)
        assert answer.status_code == 403 and "Not allowed for your role" in answer.text
    refused = client.post("/console/partners", data={"csrf_token": csrf, "name": "Sneaky Co"})
    assert refused.status_code == 403
    sign_in(client, "ops-admin")
    assert "Sneaky Co" not in client.get("/console/partners").text


def test_an_admin_creates_a_partner_whose_new_client_gets_a_token(client) -> None:
    csrf = sign_in(client, "ops-admin")
    made = client.post("/console/partners", data={"csrf_token": csrf, "name": "Prairie Telecom"})
    assert made.status_code == 201
    client_id = re.search(r'id="issued-client-id">([^<]+)<', made.text).group(1)
    secret = re.search(r'id="issued-client-secret">([^<]+)<', made.text).group(1)
    token = client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret},
    )
    assert token.status_code == 200
    # The secret is never shown again.
    assert secret not in client.get("/console/partners").text
    again = client.post("/console/partners", data={"csrf_token": csrf, "name": "Prairie Telecom"})
    assert again.status_code == 409 and "already exists" in again.text
    rotated = client.post(
        f"/console/partners/clients/{client_id}/rotate", data={"csrf_token": csrf}
    )
    assert rotated.status_code == 200
    new_secret = re.search(r'id="issued-client-secret">([^<]+)<', rotated.text).group(1)
    assert new_secret != secret
    stale = client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret},
    )
    assert stale.status_code == 401


def test_an_admin_registers_and_deletes_an_operations_webhook(client) -> None:
    csrf = sign_in(client, "ops-admin")
    bad = client.post(
        "/console/webhooks",
        data={"csrf_token": csrf, "url": "ftp://nowhere", "event_types": "order.*"},
    )
    assert bad.status_code == 422 and "url" in bad.text
    made = client.post(
        "/console/webhooks",
        data={
            "csrf_token": csrf,
            "url": "http://127.0.0.1:9/hook",
            "event_types": "ledger.*, order.*",
        },
    )
    assert made.status_code == 201
    assert re.search(r'id="new-webhook-secret">[A-Za-z0-9_-]{20,}<', made.text)
    listed = client.get(
        "/operator/v1/webhooks", headers={"Authorization": "Bearer sandbox-operator-token"}
    ).json()
    hook = next(h for h in listed["webhooks"] if h["url"] == "http://127.0.0.1:9/hook")
    assert hook["eventTypes"] == ["ledger.*", "order.*"]
    page = client.get("/console/webhooks")
    deleted = client.post(
        f"/console/webhooks/{hook['id']}/delete",
        data={"csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )
    assert deleted.status_code == 303
    assert "The webhook was deleted" in client.get(deleted.headers["location"]).text
    assert (
        client.post(f"/console/webhooks/{hook['id']}/delete", data={"csrf_token": csrf}).status_code
        == 404
    )
