"""Judging passkey answers without a database: each refusal names its cause."""

from __future__ import annotations

from typing import Any

import pytest

from orderhub.identity import passkey_checks as checks
from orderhub.sandbox.authenticator import SoftwareAuthenticator, b64url

RP_ID = "shop.example.com"
ORIGIN = "https://shop.example.com"


def options(challenge: bytes) -> dict[str, Any]:
    return {
        "rp": {"id": RP_ID, "name": "Shop"},
        "user": {"id": b64url(b"cus_1"), "name": "a", "displayName": "a"},
        "challenge": b64url(challenge),
        "rpId": RP_ID,
        "allowCredentials": [],
    }


def expected(challenge: bytes, **overrides: Any) -> checks.Expected:
    values = {
        "rp_id": RP_ID,
        "origins": (ORIGIN,),
        "challenge_hash": checks.hash_challenge(challenge),
    }
    return checks.Expected(**(values | overrides))


def registered(device: SoftwareAuthenticator) -> tuple[bytes, int]:
    """A credential the device made, checked: its public key and counter."""
    challenge = checks.new_challenge()
    credential = checks.parse_registration(device.create(options(challenge)))
    verified = checks.check_registration(credential, expected(challenge))
    return verified.credential_public_key, verified.sign_count


def refusal(action) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(checks.CheckFailed) as failed:
        action()
    return failed.value.code


@pytest.fixture
def device() -> SoftwareAuthenticator:
    return SoftwareAuthenticator(origin=ORIGIN)


def test_a_registration_and_an_assertion_check_out(device):
    public_key, count = registered(device)
    assert count == 0
    challenge = checks.new_challenge()
    assertion = checks.parse_assertion(device.get(options(challenge)))
    new_count = checks.check_assertion(
        assertion, expected(challenge), public_key=public_key, sign_count=0
    )
    assert new_count == 1


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"origins": ("https://other.example",)}, "passkey_origin_mismatch"),
        ({"rp_id": "other.example"}, "passkey_rp_id_mismatch"),
        ({"challenge_hash": checks.hash_challenge(b"another")}, "passkey_challenge_mismatch"),
    ],
)
def test_an_assertion_must_match_what_was_asked(device, change, code):
    public_key, _ = registered(device)
    challenge = checks.new_challenge()
    assertion = checks.parse_assertion(device.get(options(challenge)))
    check = expected(challenge, **change)
    assert (
        refusal(
            lambda: checks.check_assertion(assertion, check, public_key=public_key, sign_count=0)
        )
        == code
    )


def test_one_ceremonys_answer_is_refused_by_the_other(device):
    public_key, _ = registered(device)
    challenge = checks.new_challenge()
    created = device.create(options(challenge))
    signed = device.get(options(challenge))
    # clientDataJSON says which ceremony the browser ran: webauthn.create or webauthn.get.
    created["response"]["clientDataJSON"], signed["response"]["clientDataJSON"] = (
        signed["response"]["clientDataJSON"],
        created["response"]["clientDataJSON"],
    )
    registration = checks.parse_registration(created)
    assertion = checks.parse_assertion(signed)
    assert refusal(lambda: checks.check_registration(registration, expected(challenge))) == (
        "passkey_wrong_ceremony"
    )
    assert (
        refusal(
            lambda: checks.check_assertion(
                assertion, expected(challenge), public_key=public_key, sign_count=0
            )
        )
        == "passkey_wrong_ceremony"
    )


@pytest.mark.parametrize(
    ("stored", "sent", "ok"),
    [(5, 6, True), (5, 5, False), (5, 2, False), (0, 0, True), (3, 0, False)],
)
def test_the_counter_must_grow_unless_both_are_zero(device, stored, sent, ok):
    public_key, _ = registered(device)
    challenge = checks.new_challenge()
    assertion = checks.parse_assertion(device.get(options(challenge), sign_count=sent))

    def check() -> int:
        return checks.check_assertion(
            assertion, expected(challenge), public_key=public_key, sign_count=stored
        )

    if ok:
        assert check() == sent
    else:
        assert refusal(check) == "passkey_sign_count_regressed"


def test_another_keys_signature_is_not_verified(device):
    public_key, _ = registered(device)
    thief = SoftwareAuthenticator(origin=ORIGIN)
    registered(thief)
    challenge = checks.new_challenge()
    assertion = checks.parse_assertion(thief.get(options(challenge)))
    assert (
        refusal(
            lambda: checks.check_assertion(
                assertion, expected(challenge), public_key=public_key, sign_count=0
            )
        )
        == "passkey_not_verified"
    )


def test_unreadable_credentials_are_malformed(device):
    challenge = checks.new_challenge()
    answer = device.create(options(challenge))
    answer["response"]["attestationObject"] = b64url(b"\xff\x00")
    parsed = checks.parse_registration(answer)
    assert refusal(lambda: checks.check_registration(parsed, expected(challenge))) == (
        "passkey_malformed"
    )
    assert refusal(lambda: checks.parse_assertion({"id": "x"})) == "passkey_malformed"


def test_a_challenge_is_kept_as_a_hash():
    challenge = checks.new_challenge()
    assert len(challenge) == 32
    assert checks.hash_challenge(challenge) != challenge.hex()
    assert len(checks.hash_challenge(challenge)) == 64
