"""Signed access tokens: round trip, forgery, expiry and malformed input."""

from __future__ import annotations

import base64
import hashlib
import hmac

import pytest

from orderhub.identity.tokens import Principal, sign, verify

KEY = b"token-key"
NOW = 1_700_000_000.0


def principal(**overrides: object) -> Principal:
    values: dict[str, object] = {
        "identifier": "+12145550123",
        "customer_id": "cus_1",
        "expires_at": int(NOW) + 900,
    }
    values.update(overrides)
    return Principal(**values)  # type: ignore[arg-type]


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def signed_payload(payload: bytes, key: bytes = KEY) -> str:
    """A correctly signed token around an arbitrary payload, to reach the payload checks."""
    body = b64(payload)
    signature = b64(hmac.new(key, f"v1.{body}".encode(), hashlib.sha256).digest())
    return f"v1.{body}.{signature}"


def test_round_trip_gives_back_the_customer() -> None:
    given = principal()

    token = sign(KEY, given)

    assert token.startswith("v1.")
    assert token.count(".") == 2
    assert verify(KEY, token, NOW) == given


def test_round_trip_of_a_prospect_keeps_no_customer_id() -> None:
    given = principal(customer_id=None, identifier="ann@example.com")

    got = verify(KEY, sign(KEY, given), NOW)

    assert got == given
    assert got is not None
    assert got.subject == "prospect:ann@example.com"


def test_subject_of_a_customer_is_the_customer_id() -> None:
    assert principal(customer_id="cus_9").subject == "cus_9"


def test_signature_does_not_verify_with_another_key() -> None:
    assert verify(b"other-key", sign(KEY, principal()), NOW) is None


def test_tampered_payload_is_refused() -> None:
    _, _, signature = sign(KEY, principal(customer_id="cus_1")).split(".")
    forged_payload = b64(b'{"sub":"cus_2","idf":"+12145550123","exp":1700000900}')

    assert verify(KEY, f"v1.{forged_payload}.{signature}", NOW) is None


def test_tampered_signature_is_refused() -> None:
    version, payload, signature = sign(KEY, principal()).split(".")
    flipped = ("A" if signature[0] != "A" else "B") + signature[1:]

    assert verify(KEY, f"{version}.{payload}.{flipped}", NOW) is None


def test_other_version_prefix_is_refused_even_with_valid_parts() -> None:
    _, payload, signature = sign(KEY, principal()).split(".")

    assert verify(KEY, f"v2.{payload}.{signature}", NOW) is None


@pytest.mark.parametrize(
    ("offset", "valid"),
    [(-1, True), (0, False), (1, False), (10_000, False)],
    ids=["one-second-before", "at-expiry", "one-second-after", "long-after"],
)
def test_token_expires_at_its_expiry_second(offset: int, valid: bool) -> None:
    given = principal(expires_at=int(NOW))

    got = verify(KEY, sign(KEY, given), NOW + offset)

    assert (got == given) is valid


@pytest.mark.parametrize(
    "token",
    ["", "v1", "v1.x", "v1..", "v2.a.b", "v1.a.b.c", "garbage", "v1.!!!.???", "v1.%%%%.abc"],
)
def test_malformed_tokens_are_refused(token: str) -> None:
    assert verify(KEY, token, NOW) is None


@pytest.mark.parametrize(
    "payload",
    [
        b"",
        b"not json",
        b"\xff\xfe\xfd",
        b"[1, 2, 3]",
        b'"a string"',
        b'{"idf": "x", "exp": 1800000000}',
        b'{"sub": null, "exp": 1800000000}',
        b'{"sub": null, "idf": "x"}',
        b'{"sub": null, "idf": "x", "exp": "soon"}',
        b'{"sub": null, "idf": "x", "exp": null}',
    ],
    ids=[
        "empty",
        "not-json",
        "not-utf8",
        "json-list",
        "json-string",
        "no-sub",
        "no-idf",
        "no-exp",
        "exp-not-a-number",
        "exp-null",
    ],
)
def test_signed_but_unreadable_payload_is_refused(payload: bytes) -> None:
    assert verify(KEY, signed_payload(payload), NOW) is None


def test_signed_payload_helper_builds_tokens_verify_accepts() -> None:
    token = signed_payload(b'{"sub": null, "idf": "x", "exp": 1800000000}')

    assert verify(KEY, token, NOW) == Principal(
        identifier="x", customer_id=None, expires_at=1_800_000_000
    )


@pytest.mark.parametrize("token", ["v1.abc.é", "v1.abc.\u2603"])
def test_non_ascii_signature_is_refused_not_raised(token: str) -> None:
    assert verify(KEY, token, NOW) is None
