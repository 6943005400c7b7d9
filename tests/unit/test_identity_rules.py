"""One-time codes: format, keyed hashing and the order in which a try is judged."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from orderhub.identity.rules import OtpOutcome, check_otp, hash_otp, new_otp_code

KEY = b"test-key"
CHALLENGE = "chl_1"
CODE = "123456"
NOW = datetime(2025, 1, 1, 12, 0, tzinfo=UTC)


def attempt(**overrides: object) -> OtpOutcome:
    """A try of the right code on a fresh, live challenge, unless overridden."""
    values: dict[str, object] = {
        "key": KEY,
        "challenge_id": CHALLENGE,
        "code_hash": hash_otp(KEY, CHALLENGE, CODE),
        "attempts": 0,
        "expires_at": NOW + timedelta(minutes=5),
        "consumed": False,
        "code": CODE,
        "now": NOW,
        "max_attempts": 5,
    }
    values.update(overrides)
    return check_otp(**values)  # type: ignore[arg-type]


def test_new_codes_are_six_digits_with_leading_zeros_kept() -> None:
    codes = [new_otp_code() for _ in range(200)]

    assert all(re.fullmatch(r"\d{6}", c) for c in codes)
    assert len(set(codes)) > 1


def test_hash_is_keyed_and_salted_by_the_challenge() -> None:
    base = hash_otp(KEY, CHALLENGE, CODE)

    assert base == hash_otp(KEY, CHALLENGE, CODE)
    assert base != hash_otp(b"other-key", CHALLENGE, CODE)
    assert base != hash_otp(KEY, "chl_2", CODE)
    assert base != hash_otp(KEY, CHALLENGE, "654321")


def test_right_code_on_live_challenge_is_ok() -> None:
    assert attempt() is OtpOutcome.OK


def test_one_attempt_below_the_limit_still_works() -> None:
    assert attempt(attempts=4, max_attempts=5) is OtpOutcome.OK


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"code": "000000"}, OtpOutcome.WRONG),
        ({"challenge_id": "chl_2"}, OtpOutcome.WRONG),
        ({"key": b"other-key"}, OtpOutcome.WRONG),
        ({"now": NOW + timedelta(minutes=5)}, OtpOutcome.EXPIRED),  # expiry instant itself
        ({"now": NOW + timedelta(hours=1)}, OtpOutcome.EXPIRED),
        ({"consumed": True}, OtpOutcome.USED),
        ({"attempts": 5}, OtpOutcome.LOCKED),
        ({"attempts": 9}, OtpOutcome.LOCKED),
    ],
    ids=[
        "wrong-code",
        "other-challenge",
        "other-key",
        "at-expiry",
        "after-expiry",
        "used",
        "locked-at-limit",
        "locked-past-limit",
    ],
)
def test_single_failure_outcomes(overrides: dict[str, object], expected: OtpOutcome) -> None:
    assert attempt(**overrides) is expected


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"consumed": True, "attempts": 5}, OtpOutcome.USED),
        ({"consumed": True, "now": NOW + timedelta(hours=1)}, OtpOutcome.USED),
        ({"consumed": True, "code": "000000"}, OtpOutcome.USED),
        ({"attempts": 5, "now": NOW + timedelta(hours=1)}, OtpOutcome.LOCKED),
        ({"attempts": 5, "code": "000000"}, OtpOutcome.LOCKED),
        ({"now": NOW + timedelta(hours=1), "code": "000000"}, OtpOutcome.EXPIRED),
    ],
    ids=[
        "used-beats-locked",
        "used-beats-expired",
        "used-beats-wrong",
        "locked-beats-expired",
        "locked-beats-wrong",
        "expired-beats-wrong",
    ],
)
def test_checks_run_in_order_used_locked_expired_wrong(
    overrides: dict[str, object], expected: OtpOutcome
) -> None:
    assert attempt(**overrides) is expected
