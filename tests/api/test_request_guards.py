"""What every request passes through: its id, the body limit, duplicate JSON keys, the
methods a path allows, and no redirects built from the Host header."""

from __future__ import annotations

import dataclasses
import logging

import pytest
from fastapi.testclient import TestClient

from orderhub.app import create_app
from tests.helpers import BASE, is_problem


def test_every_answer_carries_a_request_id_in_its_header_and_problem_body(client):
    ok = client.get("/healthz")
    assert len(ok.headers["X-Request-ID"]) == 32
    problem = client.get(f"{BASE}/v1/order/ord_nothing")
    assert is_problem(problem, 401)
    assert problem.json()["requestId"] == problem.headers["X-Request-ID"]
    assert problem.headers["X-Request-ID"] != ok.headers["X-Request-ID"]


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("3f2a9c1e-5b7d-4e0a-9c2b-1d4e6f8a0b3c", True),
        ("trace.01:ab-CD_9", True),
        ("x" * 129, False),  # too long
        ("two words", False),
        ("line\tbreak", False),
    ],
)
def test_a_clients_request_id_is_kept_when_it_is_a_plain_token(client, sent, kept):
    response = client.get("/healthz", headers={"X-Request-ID": sent})
    assert (response.headers["X-Request-ID"] == sent) is kept


def test_each_request_leaves_one_access_line_with_route_template_and_caller(client, caplog):
    headers = {"X-Request-ID": "req-access-line-1"}
    with caplog.at_level(logging.INFO, logger="orderhub.access"):
        client.get(f"{BASE}/v1/order/ord_secret_looking_id?phone=2145550100", headers=headers)
    [line] = [r for r in caplog.records if r.name == "orderhub.access"]
    assert line.fields == {
        "method": "GET",
        "route": "/msapi/order/v1/order/{id}",
        "status": 401,
        "durationMs": line.fields["durationMs"],
        "caller": "anonymous",
        "requestId": "req-access-line-1",
    }
    # Never the path's values or the query string.
    assert "ord_secret_looking_id" not in line.getMessage()
    assert "2145550100" not in line.getMessage()


def test_a_body_over_the_limit_is_refused_before_it_is_parsed(settings):
    app = create_app(dataclasses.replace(settings, max_body_bytes=1000))
    with TestClient(app, raise_server_exceptions=False) as client:
        big = {"identifier": "2145550100", "channel": "sms", "padding": "x" * 2000}
        declared = client.post(f"{BASE}/v1/auth/generateotp", json=big)
        assert is_problem(declared, 413, "payload_too_large")

        def chunks():  # no Content-Length: the limit applies as the body streams in
            for _ in range(5):
                yield b"x" * 400

        streamed = client.post(
            f"{BASE}/v1/auth/generateotp",
            content=chunks(),
            headers={"Content-Type": "application/json"},
        )
        assert is_problem(streamed, 413, "payload_too_large")
        # A body under the limit is served as usual.
        small = client.post(
            f"{BASE}/v1/auth/generateotp", json={"identifier": "2145550100", "channel": "sms"}
        )
        assert small.status_code == 200, small.text


@pytest.mark.parametrize(
    ("body", "key"),
    [
        (
            '{"method": "password", "username": "alex.bell@example.com",'
            ' "password": "wrong", "password": "sandbox-Alex-2026"}',
            "password",
        ),
        ('{"method": "otp", "otpId": "otp_x", "code": "1", "extra": {"a": 1, "a": 2}}', "a"),
    ],
)
def test_a_json_body_with_a_key_twice_is_refused_naming_the_key(client, body, key):
    response = client.post(
        f"{BASE}/v1/auth", content=body, headers={"Content-Type": "application/json"}
    )
    assert is_problem(response, 400, "duplicate_json_key")
    assert f"'{key}'" in response.json()["detail"]
    assert "sandbox-Alex" not in response.text


JSON = {"Content-Type": "application/json"}


def test_malformed_json_is_still_a_400_from_the_application(client):
    response = client.post(
        f"{BASE}/v1/auth", content="{not json", headers={"Content-Type": "application/json"}
    )
    assert is_problem(response, 400, "malformed_json")


def test_json_nested_deeper_than_the_parser_goes_is_a_400(client):
    deep = '{"method": "otp", "otpId": "otp_x", "code": "1", "x": ' + "[" * 100_000
    response = client.post(f"{BASE}/v1/auth", content=deep + "]" * 100_000 + "}", headers=JSON)
    assert is_problem(response, 400, "malformed_json")


def test_a_405_lists_every_method_the_path_allows(client):
    response = client.put("/b2b/v1/webhooks/whk_x")
    assert is_problem(response, 405, "method_not_allowed")
    assert response.headers["Allow"] == "DELETE, GET"
    assert client.delete(f"{BASE}/v1/auth").headers["Allow"] == "POST"


def test_a_trailing_slash_is_a_404_not_a_redirect_built_from_the_host_header(client):
    response = client.get("/healthz/", headers={"Host": "evil.example"}, follow_redirects=False)
    assert is_problem(response, 404, "not_found")
    assert "location" not in response.headers


def test_an_unexpected_error_is_a_500_problem_with_the_request_id(settings, caplog):
    app = create_app(settings)

    personal = "alex.bell@example.com"

    @app.get("/boom-for-test")
    async def boom() -> None:
        raise RuntimeError(f"a row quoting {personal}")

    with TestClient(app, raise_server_exceptions=False) as client, caplog.at_level(logging.ERROR):
        response = client.get("/boom-for-test", headers={"X-Request-ID": "req-boom-1"})
    assert is_problem(response, 500, "internal_error")
    assert response.headers["X-Request-ID"] == "req-boom-1"
    assert response.json()["requestId"] == "req-boom-1"
    # Logged with its type and where it was raised, never the message (it may quote data).
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "unhandled RuntimeError on GET /boom-for-test" in logged
    assert "alex.bell" not in logged
