"""Failed-attempt budgets across every kind of sign-in: claimed before each check, so
neither parallel guesses nor new one-time codes buy more tries."""

from __future__ import annotations

import dataclasses
import threading
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from orderhub.app import create_app
from orderhub.identity import attempts
from orderhub.identity.hashing import HashingBusy, PasswordChecks
from orderhub.identity.models import PasskeyChallenge
from orderhub.ids import utcnow
from tests.api.b2b_helpers import SANDBOX_CLIENT, token_form
from tests.helpers import ALEX_PHONE, BASE, is_problem, issue_otp, read_otp


def _wrong_code(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def _try(client, otp_id: str, code: str):
    return client.post(f"{BASE}/v1/auth", json={"method": "otp", "otpId": otp_id, "code": code})


def test_ten_wrong_codes_across_challenges_lock_the_phone(client):
    # Given ten wrong codes in a row, over two challenges of five tries each...
    for _ in range(2):
        otp_id = issue_otp(client)
        code = read_otp(client, ALEX_PHONE)
        for _ in range(5):
            assert is_problem(_try(client, otp_id, _wrong_code(code)), 401, "otp_rejected")
    # ...no new code is sent, and a code sent before is refused even when right.
    refused = client.post(
        f"{BASE}/v1/auth/generateotp", json={"identifier": ALEX_PHONE, "channel": "sms"}
    )
    assert is_problem(refused, 429, "sign_in_locked")
    assert 800 < int(refused.headers["Retry-After"]) <= 901


def test_a_right_code_clears_the_phones_failures(client):
    otp_id = issue_otp(client)
    code = read_otp(client, ALEX_PHONE)
    for _ in range(4):
        assert is_problem(_try(client, otp_id, _wrong_code(code)), 401)
    assert _try(client, otp_id, code).status_code == 200
    # Nine more wrong codes after the success are not yet a lock.
    for wrong in (5, 4):
        otp_id = issue_otp(client)
        code = read_otp(client, ALEX_PHONE)
        for _ in range(wrong):
            assert is_problem(_try(client, otp_id, _wrong_code(code)), 401)
    otp_id = issue_otp(client)
    assert _try(client, otp_id, read_otp(client, ALEX_PHONE)).status_code == 200


def test_ten_wrong_client_secrets_make_the_client_wait(client):
    for _ in range(10):
        wrong = client.post("/oauth/token", data=token_form(client_secret="not-the-secret"))
        assert wrong.status_code == 401, wrong.text
    # The right secret is refused too while the budget is spent: the check never runs.
    locked = client.post("/oauth/token", data=token_form(SANDBOX_CLIENT))
    assert is_problem(locked, 429, "too_many_attempts")
    assert 0 < int(locked.headers["Retry-After"]) <= 61
    assert "sandbox-partner-secret" not in locked.text


def test_an_unknown_client_id_locks_like_a_known_one(client):
    # Given ten wrong token requests for a client id that does not exist...
    for _ in range(10):
        response = client.post("/oauth/token", data=token_form(("no-such-client", "x" * 20)))
        assert response.status_code == 401
    # ...the eleventh is refused exactly as for a real client, so the lock tells nothing,
    response = client.post("/oauth/token", data=token_form(("no-such-client", "x" * 20)))
    assert response.status_code == 429
    assert response.json()["code"] == "too_many_attempts"
    # and other clients are untouched.
    assert client.post("/oauth/token", data=token_form(SANDBOX_CLIENT)).status_code == 200


def test_an_unknown_username_locks_like_a_known_one(client):
    for _ in range(5):
        body = {"method": "password", "username": "nobody@example.com", "password": "wrong"}
        assert client.post(f"{BASE}/v1/auth", json=body).status_code == 401
    response = client.post(
        f"{BASE}/v1/auth",
        json={"method": "password", "username": " NOBODY@example.com", "password": "x"},
    )
    assert response.status_code == 429
    assert response.json()["code"] == "password_locked"


def test_parallel_claims_never_exceed_the_budget(database):
    # Given twelve checks of one credential at once, each in its own transaction...
    policy = attempts.PASSWORD
    outcomes: list[str] = []
    start = threading.Barrier(12)

    def one() -> None:
        start.wait()
        try:
            with database.transaction() as session:
                attempts.claim(
                    session, key="password:race@example.com", policy=policy, now=utcnow()
                )
            outcomes.append("claimed")
        except attempts.SignInLocked:
            outcomes.append("locked")

    threads = [threading.Thread(target=one) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # ...exactly the budget's five are let through to the check.
    assert outcomes.count("claimed") == policy.max_failures
    assert outcomes.count("locked") == 12 - policy.max_failures


def test_locks_in_a_row_last_longer_each_time():
    policy = attempts.OTP_IDENTIFIER
    assert [policy.lock_for(n) for n in range(8)] == [
        timedelta(minutes=15),
        timedelta(minutes=30),
        timedelta(hours=1),
        timedelta(hours=2),
        timedelta(hours=4),
        timedelta(hours=8),
        timedelta(hours=16),
        timedelta(hours=24),
    ]
    assert attempts.PASSWORD.lock_for(5) == timedelta(minutes=15)


def test_the_password_check_queue_is_bounded():
    checks = PasswordChecks(threads=1, queue=2, per_second=1000)
    for _ in range(3):
        checks.admit()
    with pytest.raises(HashingBusy) as refused:
        checks.admit()
    assert refused.value.status == 429 and refused.value.headers == {"Retry-After": "1"}
    checks.release()
    checks.admit()  # a place freed is taken again


def test_only_so_many_sign_ins_start_each_second(monkeypatch):
    clock = [100.0]
    monkeypatch.setattr("orderhub.identity.hashing.time.monotonic", lambda: clock[0])
    checks = PasswordChecks(threads=1, queue=100, per_second=20)
    for _ in range(5):  # a quarter second's worth at once
        checks.admit()
        checks.release()
    with pytest.raises(HashingBusy):
        checks.admit()
    clock[0] += 0.06  # a little more than a twentieth of a second later: one more
    checks.admit()
    checks.release()
    with pytest.raises(HashingBusy):
        checks.admit()


def test_the_gate_holds_back_passkey_sign_ins_and_stores_no_challenge_it_refuses(settings):
    # Both steps of a passkey sign-in take no token: the options store a challenge, the
    # answer verifies a signature. A flood of either is refused like password guesses.
    app = create_app(dataclasses.replace(settings, sign_ins_per_second=0.01))
    with TestClient(app, raise_server_exceptions=False) as client:
        options = f"{BASE}/v1/passkeys/authentication-options"
        assert client.post(options, json={"username": ALEX_PHONE}).status_code == 200
        busy = client.post(options, json={"username": ALEX_PHONE})
        assert is_problem(busy, 429, "sign_in_busy")
        assert busy.headers["Retry-After"] == "1"
        answer = {"challengeId": "pkc_unknown", "credential": {"id": "x"}}
        assert is_problem(client.post(f"{BASE}/v1/auth/passkey", json=answer), 429)
        with client.app.state.runtime.database.transaction(write=False) as session:
            assert session.scalar(select(func.count()).select_from(PasskeyChallenge)) == 1


def test_the_gate_holds_back_password_checks_not_one_time_codes(settings):
    # One check at once, and the next a hundred seconds later.
    app = create_app(dataclasses.replace(settings, sign_ins_per_second=0.01))
    with TestClient(app, raise_server_exceptions=False) as client:
        wrong = {"method": "password", "username": "alex.bell@example.com", "password": "no"}
        assert is_problem(client.post(f"{BASE}/v1/auth", json=wrong), 401)
        busy = client.post(f"{BASE}/v1/auth", json=wrong)
        assert is_problem(busy, 429, "sign_in_busy")
        assert busy.headers["Retry-After"] == "1"
        # A one-time code is no password check: it goes through meanwhile.
        otp_id = issue_otp(client)
        code = read_otp(client, ALEX_PHONE)
        assert _try(client, otp_id, code).status_code == 200
