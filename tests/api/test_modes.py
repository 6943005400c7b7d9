"""Production mode: no sandbox routes, no pretend messages, a required secret key."""

from __future__ import annotations

import dataclasses

import pytest
from fastapi.testclient import TestClient

from orderhub.app import create_app
from tests.helpers import ALEX_PHONE, BASE, is_problem


def test_production_mode_hides_the_sandbox_and_refuses_to_fake_sending(settings):
    production = dataclasses.replace(settings, sandbox=False, secret_key="k" * 32)
    with TestClient(create_app(production), raise_server_exceptions=False) as client:
        assert is_problem(client.get("/sandbox/v1/messages", params={"to": ALEX_PHONE}), 404)
        response = client.post(
            f"{BASE}/v1/auth/generateotp", json={"identifier": ALEX_PHONE, "channel": "sms"}
        )
        assert is_problem(response, 503, "messaging_unavailable")
        assert "/sandbox/v1/messages" not in client.get("/openapi.json").json()["paths"]


def test_production_mode_needs_a_secret_key(settings):
    production = dataclasses.replace(settings, sandbox=False, secret_key=None)
    with (
        pytest.raises(RuntimeError, match="ORDERHUB_SECRET_KEY"),
        TestClient(create_app(production)),
    ):
        pass


def test_health_and_openapi(client):
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").json() == {"status": "ok"}
    paths = client.get("/openapi.json").json()["paths"]
    for path in [
        "/msapi/order/v1/auth-methods",
        "/msapi/order/v1/auth/generateotp",
        "/msapi/order/v1/auth",
        "/msapi/order/v1/customers",
        "/msapi/order/v1/offers",
        "/msapi/order/v1/order/create",
        "/msapi/order/v1/order/{id}/credit.submit",
        "/msapi/order/v1/order/{id}/credit.policy",
        "/msapi/order/v1/order/{id}/fulfillment",
        "/msapi/order/v1/order/{id}/number.available",
        "/msapi/order/v1/order/{id}/number.reserve",
        "/msapi/order/V1/order/{id}/validate",
        "/msapi/order/v1/order/submit",
    ]:
        assert path in paths, path
    assert "patch" in paths["/msapi/order/v1/order/{id}/fulfillment"]
