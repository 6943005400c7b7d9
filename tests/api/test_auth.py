"""Authentication: methods, OTP issue and sign-in, passwords, tokens."""

from __future__ import annotations

import pytest

from tests.helpers import ALEX_PHONE, BASE, is_problem, issue_otp, random_phone, read_otp, sign_in


def test_auth_methods_lists_otp_password_and_passkey(client):
    body = client.get(f"{BASE}/v1/auth-methods").json()
    assert [m["type"] for m in body["authMethods"]] == ["otp", "password", "passkey"]


def test_generate_otp_answers_alike_for_customer_and_stranger(client):
    known = client.post(
        f"{BASE}/v1/auth/generateotp", json={"identifier": ALEX_PHONE, "channel": "sms"}
    )
    stranger = client.post(
        f"{BASE}/v1/auth/generateotp", json={"identifier": random_phone(), "channel": "sms"}
    )
    assert known.status_code == stranger.status_code == 200
    assert known.json().keys() == stranger.json().keys() == {"otpId", "channel", "expiresAt"}
    assert "code" not in known.text


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"identifier": "not-a-phone", "channel": "sms"}, "identifier"),
        ({"identifier": ALEX_PHONE, "channel": "email"}, "channel"),
        ({"identifier": ALEX_PHONE, "channel": "fax"}, "channel"),
        ({"identifier": ALEX_PHONE}, "channel"),
        ({"identifier": ALEX_PHONE, "channel": "sms", "code": "123456"}, "code"),
    ],
)
def test_generate_otp_rejects_bad_input_naming_the_field(client, body, field):
    response = client.post(f"{BASE}/v1/auth/generateotp", json=body)
    assert is_problem(response, 422)
    assert field in [e["field"] for e in response.json()["errors"]]


def test_otp_issue_is_rate_limited_per_identifier(client):
    phone = random_phone()
    for _ in range(5):
        issue_otp(client, phone)
    response = client.post(
        f"{BASE}/v1/auth/generateotp", json={"identifier": phone, "channel": "sms"}
    )
    assert is_problem(response, 429, "otp_rate_limited")
    assert "Retry-After" in response.headers
    issue_otp(client, random_phone())  # another identifier is not affected


def test_otp_is_single_use(client):
    otp_id = issue_otp(client)
    code = read_otp(client, ALEX_PHONE)
    first = client.post(f"{BASE}/v1/auth", json={"method": "otp", "otpId": otp_id, "code": code})
    again = client.post(f"{BASE}/v1/auth", json={"method": "otp", "otpId": otp_id, "code": code})
    assert first.status_code == 200
    assert is_problem(again, 401, "otp_used")


def test_five_wrong_codes_lock_the_challenge_even_for_the_right_code(client):
    otp_id = issue_otp(client)
    code = read_otp(client, ALEX_PHONE)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for tries_left in (4, 3, 2, 1, 0):
        response = client.post(
            f"{BASE}/v1/auth", json={"method": "otp", "otpId": otp_id, "code": wrong}
        )
        assert is_problem(response, 401, "otp_rejected")
        assert response.json()["triesLeft"] == tries_left
        assert wrong not in response.text
    locked = client.post(f"{BASE}/v1/auth", json={"method": "otp", "otpId": otp_id, "code": code})
    assert is_problem(locked, 429, "otp_locked")


def test_expired_otp_is_refused(client, database):
    from datetime import timedelta

    from sqlalchemy import update

    from orderhub.identity.models import OtpChallenge
    from orderhub.ids import utcnow

    otp_id = issue_otp(client)
    code = read_otp(client, ALEX_PHONE)
    with database.transaction() as session:
        session.execute(
            update(OtpChallenge)
            .where(OtpChallenge.id == otp_id)
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )
    response = client.post(f"{BASE}/v1/auth", json={"method": "otp", "otpId": otp_id, "code": code})
    assert is_problem(response, 401, "otp_expired")


def test_otp_is_stored_hashed(client, database):
    from orderhub.identity.models import OtpChallenge

    otp_id = issue_otp(client)
    code = read_otp(client, ALEX_PHONE)
    with database.transaction() as session:
        stored = session.get(OtpChallenge, otp_id)
        assert code not in stored.code_hash and len(stored.code_hash) == 64


def test_unknown_challenge_is_refused(client):
    response = client.post(
        f"{BASE}/v1/auth", json={"method": "otp", "otpId": "otp_nope", "code": "123456"}
    )
    assert is_problem(response, 401)


def test_password_sign_in_and_lockout(client):
    ok = client.post(
        f"{BASE}/v1/auth",
        json={
            "method": "password",
            "username": "alex.bell@example.com",
            "password": "sandbox-Alex-2026",
        },
    )
    assert ok.status_code == 200
    assert ok.json()["tokenType"] == "Bearer"
    for _ in range(5):
        bad = client.post(
            f"{BASE}/v1/auth",
            json={"method": "password", "username": "alex.bell@example.com", "password": "nope"},
        )
        assert is_problem(bad, 401, "invalid_credentials")
    locked = client.post(
        f"{BASE}/v1/auth",
        json={
            "method": "password",
            "username": "alex.bell@example.com",
            "password": "sandbox-Alex-2026",
        },
    )
    assert is_problem(locked, 429, "password_locked")


def test_unknown_user_gets_the_same_answer_as_a_wrong_password(client):
    unknown = client.post(
        f"{BASE}/v1/auth",
        json={"method": "password", "username": "nobody@example.com", "password": "x"},
    )
    wrong = client.post(
        f"{BASE}/v1/auth",
        json={"method": "password", "username": "jordan.lee@example.com", "password": "x"},
    )
    assert unknown.json()["detail"] == wrong.json()["detail"]
    assert unknown.status_code == wrong.status_code == 401


@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "Bearer nonsense",
        "Bearer v1.e30.AAAA",
        "Basic dXNlcjpwYXNz",
    ],
)
def test_protected_routes_need_a_valid_token(client, authorization):
    headers = {"Authorization": authorization} if authorization else {}
    response = client.get(f"{BASE}/v1/offers", headers=headers)
    assert is_problem(response, 401)


def test_token_signed_with_another_key_is_refused(client):
    from orderhub.identity import tokens

    forged = tokens.sign(b"not-the-key", tokens.Principal(ALEX_PHONE, "cus_alex_bell", 2**31))
    response = client.get(f"{BASE}/v1/orders", headers={"Authorization": f"Bearer {forged}"})
    assert is_problem(response, 401, "invalid_token")


def test_customer_lookup_finds_only_the_caller(client):
    headers = sign_in(client)
    mine = client.get(
        f"{BASE}/v1/customers", params={"email": "Alex.Bell@example.com"}, headers=headers
    )
    assert mine.status_code == 200
    assert mine.json()["customers"][0]["accounts"][0]["number"] == "900000000101"
    other = client.get(f"{BASE}/v1/customers", params={"phone": "4695550111"}, headers=headers)
    assert is_problem(other, 404, "customer_not_found")
    assert other.json()["title"] == "No customer found"
    assert is_problem(client.get(f"{BASE}/v1/customers", headers=headers), 422)


def test_an_unauthenticated_write_opens_no_transaction(client, monkeypatch):
    from orderhub.db import Database

    opened = []
    original = Database.request_transaction

    def spy(self, *, write):
        opened.append(write)
        return original(self, write=write)

    monkeypatch.setattr(Database, "request_transaction", spy)
    response = client.post(f"{BASE}/v1/order/create", json={"items": [{"offerId": "x"}]})
    assert is_problem(response, 401)
    assert opened == []
