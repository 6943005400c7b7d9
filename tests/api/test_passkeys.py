"""Passkeys through the HTTP API: register after an OTP sign-in, sign in with it.

The authenticator is orderhub.sandbox.authenticator: real P-256 keys, real authenticator
data, clientDataJSON and CBOR attestation objects, real ES256 signatures; the server's
verification is py_webauthn's, not mocked.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import cbor2
import pytest
from sqlalchemy import select, update

from orderhub.identity.models import PasskeyChallenge, PasskeyCredential
from orderhub.ids import utcnow
from orderhub.sandbox.authenticator import SoftwareAuthenticator, b64url, unb64url
from tests.helpers import ALEX_PHONE, BASE, is_problem, random_phone, sign_in

JORDAN_PHONE = "4695550111"


def registration_options(client: Any, headers: dict[str, str]) -> dict[str, Any]:
    response = client.post(f"{BASE}/v1/passkeys/registration-options", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def register(
    client: Any, headers: dict[str, str], authenticator: SoftwareAuthenticator, **body: Any
) -> Any:
    options = registration_options(client, headers)
    credential = authenticator.create(options)
    return client.post(
        f"{BASE}/v1/passkeys",
        json={"challengeId": options["challengeId"], "credential": credential} | body,
        headers=headers,
    )


def authentication_options(client: Any, username: str | None = None) -> dict[str, Any]:
    body = {"username": username} if username else None
    response = client.post(f"{BASE}/v1/passkeys/authentication-options", json=body)
    assert response.status_code == 200, response.text
    return response.json()


def passkey_sign_in(client: Any, options: dict[str, Any], credential: dict[str, Any]) -> Any:
    return client.post(
        f"{BASE}/v1/auth/passkey",
        json={"challengeId": options["challengeId"], "credential": credential},
    )


@pytest.fixture
def alex(client) -> dict[str, str]:
    return sign_in(client, ALEX_PHONE)


@pytest.fixture
def phone() -> SoftwareAuthenticator:
    return SoftwareAuthenticator()


def test_register_then_sign_in_with_the_passkey(client, alex, phone):
    options = registration_options(client, alex)
    assert options["publicKey"]["rp"] == {"id": "localhost", "name": "OrderHub"}
    assert options["publicKey"]["user"]["id"]  # opaque handle, no phone in it
    assert ALEX_PHONE not in options["publicKey"]["user"]["id"]
    assert options["publicKey"]["authenticatorSelection"]["userVerification"] == "required"
    credential = phone.create(options)
    created = client.post(
        f"{BASE}/v1/passkeys",
        json={"challengeId": options["challengeId"], "credential": credential, "name": "Pixel"},
        headers=alex,
    )
    assert created.status_code == 201, created.text
    passkey = created.json()
    assert created.headers["Location"] == f"{BASE}/v1/passkeys/{passkey['id']}"
    assert passkey["name"] == "Pixel" and passkey["credentialId"] == credential["id"]
    assert passkey["lastUsedAt"] is None and passkey["transports"] == ["internal", "hybrid"]
    assert "publicKey" not in passkey and "signCount" not in passkey

    auth = authentication_options(client, ALEX_PHONE)
    assert [c["id"] for c in auth["publicKey"]["allowCredentials"]] == [credential["id"]]
    signed_in = passkey_sign_in(client, auth, phone.get(auth))
    assert signed_in.status_code == 200, signed_in.text
    assert signed_in.json().keys() == {"accessToken", "tokenType", "expiresIn"}
    token = {"Authorization": f"Bearer {signed_in.json()['accessToken']}"}
    # The token is Alex's: it sees Alex's passkeys, now used once.
    listed = client.get(f"{BASE}/v1/passkeys", headers=token).json()
    assert [p["id"] for p in listed["passkeys"]] == [passkey["id"]]
    assert listed["passkeys"][0]["lastUsedAt"] is not None
    assert client.get(f"{BASE}/v1/passkeys/{passkey['id']}", headers=token).status_code == 200


def test_discoverable_sign_in_needs_no_username(client, alex, phone):
    r = register(client, alex, phone)
    assert r.status_code == 201, r.text
    auth = authentication_options(client)
    assert auth["publicKey"]["allowCredentials"] == []
    assert passkey_sign_in(client, auth, phone.get(auth)).status_code == 200


def test_a_challenge_is_single_use(client, alex, phone):
    options = registration_options(client, alex)
    body = {"challengeId": options["challengeId"], "credential": phone.create(options)}
    assert client.post(f"{BASE}/v1/passkeys", json=body, headers=alex).status_code == 201
    again = client.post(f"{BASE}/v1/passkeys", json=body, headers=alex)
    assert is_problem(again, 400, "passkey_challenge_used")
    assert again.json()["errors"][0]["field"] == "challengeId"

    auth = authentication_options(client, ALEX_PHONE)
    assertion = phone.get(auth)
    assert passkey_sign_in(client, auth, assertion).status_code == 200
    replay = passkey_sign_in(client, auth, assertion)
    assert is_problem(replay, 400, "passkey_challenge_used")


def test_a_failed_answer_still_spends_the_challenge(client, alex, phone):
    assert register(client, alex, phone).status_code == 201
    auth = authentication_options(client, ALEX_PHONE)
    phone.origin = "https://evil.example"
    assert is_problem(passkey_sign_in(client, auth, phone.get(auth)), 401)
    phone.origin = "http://localhost:8080"
    retry = passkey_sign_in(client, auth, phone.get(auth))
    assert is_problem(retry, 400, "passkey_challenge_used")


def test_an_expired_challenge_is_refused(client, alex, phone, database):
    assert register(client, alex, phone).status_code == 201
    auth = authentication_options(client, ALEX_PHONE)
    with database.transaction() as session:
        session.execute(
            update(PasskeyChallenge)
            .where(PasskeyChallenge.id == auth["challengeId"])
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )
    response = passkey_sign_in(client, auth, phone.get(auth))
    assert is_problem(response, 400, "passkey_challenge_expired")


def test_a_challenge_is_stored_hashed(client, alex, database):
    options = registration_options(client, alex)
    with database.transaction() as session:
        stored = session.execute(
            select(PasskeyChallenge.challenge_hash).where(
                PasskeyChallenge.id == options["challengeId"]
            )
        ).scalar_one()
    assert options["publicKey"]["challenge"] not in stored and len(stored) == 64


def test_unknown_challenge_and_another_ceremonys_challenge_are_refused(client, alex, phone):
    options = registration_options(client, alex)
    credential = phone.create(options)
    unknown = client.post(
        f"{BASE}/v1/passkeys",
        json={"challengeId": "pkc_nope", "credential": credential},
        headers=alex,
    )
    assert is_problem(unknown, 400, "passkey_challenge_unknown")
    auth = authentication_options(client)  # a sign-in challenge cannot register
    crossed = client.post(
        f"{BASE}/v1/passkeys",
        json={"challengeId": auth["challengeId"], "credential": credential},
        headers=alex,
    )
    assert is_problem(crossed, 400, "passkey_challenge_unknown")


def test_another_challenges_answer_is_refused(client, alex, phone):
    first = registration_options(client, alex)
    second = registration_options(client, alex)
    response = client.post(
        f"{BASE}/v1/passkeys",
        json={"challengeId": second["challengeId"], "credential": phone.create(first)},
        headers=alex,
    )
    assert is_problem(response, 422, "passkey_challenge_mismatch")


def test_wrong_origin_is_refused_at_registration_and_sign_in(client, alex, phone):
    phone.origin = "https://evil.example"
    response = register(client, alex, phone)
    assert is_problem(response, 422, "passkey_origin_mismatch")
    assert response.json()["errors"][0]["field"] == "credential.response.clientDataJSON"

    phone.origin = "http://localhost:8080"
    assert register(client, alex, phone).status_code == 201
    auth = authentication_options(client, ALEX_PHONE)
    phone.origin = "https://evil.example"
    assert is_problem(
        passkey_sign_in(client, auth, phone.get(auth)), 401, "passkey_origin_mismatch"
    )


def test_wrong_rp_id_is_refused_at_registration_and_sign_in(client, alex, phone):
    options = registration_options(client, alex)
    response = client.post(
        f"{BASE}/v1/passkeys",
        json={
            "challengeId": options["challengeId"],
            "credential": phone.create(options, rp_id="evil.example"),
        },
        headers=alex,
    )
    assert is_problem(response, 422, "passkey_rp_id_mismatch")

    assert register(client, alex, phone).status_code == 201
    auth = authentication_options(client, ALEX_PHONE)
    refused = passkey_sign_in(client, auth, phone.get(auth, rp_id="evil.example"))
    assert is_problem(refused, 401, "passkey_rp_id_mismatch")


def test_a_counter_that_does_not_grow_is_refused(client, alex, phone, database):
    assert register(client, alex, phone).status_code == 201
    auth = authentication_options(client, ALEX_PHONE)
    assert passkey_sign_in(client, auth, phone.get(auth)).status_code == 200  # counter 1
    with database.transaction() as session:
        stored = session.execute(select(PasskeyCredential.sign_count)).scalar_one()
    assert stored == 1

    clone = authentication_options(client, ALEX_PHONE)
    refused = passkey_sign_in(client, clone, phone.get(clone, sign_count=1))
    assert is_problem(refused, 401, "passkey_sign_count_regressed")
    later = authentication_options(client, ALEX_PHONE)
    assert passkey_sign_in(client, later, phone.get(later)).status_code == 200  # counter 2


def test_a_counterless_authenticator_signs_in_again(client, alex):
    synced = SoftwareAuthenticator(counter_step=0)
    assert register(client, alex, synced).status_code == 201
    for _ in range(2):
        auth = authentication_options(client, ALEX_PHONE)
        assert passkey_sign_in(client, auth, synced.get(auth)).status_code == 200


def test_forged_or_junk_answers_lock_nothing(client, alex, phone):
    # Anybody may ask for a customer's options and send junk: that must not lock the
    # customer's own device out (a forged signature is hopeless anyway).
    assert register(client, alex, phone).status_code == 201
    thief = SoftwareAuthenticator()
    thief.create(registration_options(client, alex))  # a key of its own, never registered
    for _ in range(6):
        auth = authentication_options(client, ALEX_PHONE)
        forged = phone.get(auth)
        forged["response"]["signature"] = thief.get(
            auth, credential_id=next(iter(thief.credentials))
        )["response"]["signature"]
        assert is_problem(passkey_sign_in(client, auth, forged), 401, "passkey_not_verified")
        auth = authentication_options(client, ALEX_PHONE)
        junk = phone.get(auth)
        junk["response"] |= {"clientDataJSON": "e30", "authenticatorData": "AAAA"}
        assert is_problem(passkey_sign_in(client, auth, junk), 401, "passkey_malformed")
    auth = authentication_options(client, ALEX_PHONE)
    assert passkey_sign_in(client, auth, phone.get(auth)).status_code == 200


def test_a_passkey_only_signs_in_the_customer_named(client, alex, phone):
    assert register(client, alex, phone).status_code == 201
    auth = authentication_options(client, JORDAN_PHONE)
    assertion = phone.get(auth, credential_id=next(iter(phone.credentials)))
    assert is_problem(passkey_sign_in(client, auth, assertion), 401, "passkey_rejected")


def test_an_unregistered_or_deleted_passkey_is_refused(client, alex, phone):
    passkey = register(client, alex, phone).json()
    deleted = client.delete(f"{BASE}/v1/passkeys/{passkey['id']}", headers=alex)
    assert deleted.status_code == 200 and deleted.json()["id"] == passkey["id"]
    assert is_problem(client.get(f"{BASE}/v1/passkeys/{passkey['id']}", headers=alex), 404)
    auth = authentication_options(client)
    refused = passkey_sign_in(client, auth, phone.get(auth))
    assert is_problem(refused, 401, "passkey_rejected")


def test_another_customers_passkey_is_a_404(client, alex, phone):
    passkey = register(client, alex, phone).json()
    jordan = sign_in(client, JORDAN_PHONE)
    path = f"{BASE}/v1/passkeys/{passkey['id']}"
    assert is_problem(client.delete(path, headers=jordan), 404, "passkey_not_found")
    assert is_problem(client.get(path, headers=jordan), 404, "passkey_not_found")
    assert client.get(f"{BASE}/v1/passkeys", headers=jordan).json()["passkeys"] == []
    assert client.get(path, headers=alex).status_code == 200  # still Alex's


def test_options_for_a_stranger_look_like_a_customers(client, alex, phone):
    assert register(client, alex, phone).status_code == 201
    customer = authentication_options(client, ALEX_PHONE)["publicKey"]["allowCredentials"]
    stranger = authentication_options(client, random_phone())
    jordan = authentication_options(client, JORDAN_PHONE)  # a customer without passkeys
    for options in (stranger, jordan):
        decoys = options["publicKey"]["allowCredentials"]
        # The same shape as a customer's one phone passkey: one entry, same members,
        # same id length, same transports.
        assert [sorted(d) for d in decoys] == [sorted(c) for c in customer]
        assert [len(d["id"]) for d in decoys] == [len(c["id"]) for c in customer]
        assert [d["transports"] for d in decoys] == [c["transports"] for c in customer]
    again = authentication_options(client, JORDAN_PHONE)
    assert again["publicKey"]["allowCredentials"] == jordan["publicKey"]["allowCredentials"]


def test_a_registered_passkey_is_excluded_from_the_next_registration(client, alex, phone):
    passkey = register(client, alex, phone).json()
    options = registration_options(client, alex)
    assert [c["id"] for c in options["publicKey"]["excludeCredentials"]] == [
        passkey["credentialId"]
    ]


def test_registration_needs_a_customer_token(client):
    assert is_problem(client.post(f"{BASE}/v1/passkeys/registration-options"), 401)
    prospect = sign_in(client, random_phone())
    response = client.post(f"{BASE}/v1/passkeys/registration-options", headers=prospect)
    assert is_problem(response, 403, "customer_required")


@pytest.mark.parametrize(
    ("mangle", "field"),
    [
        (lambda c: c.pop("response"), "credential.response"),
        (lambda c: c.update(type="password"), "credential.type"),
        (lambda c: c["response"].update(clientDataJSON="not base64!"), "clientDataJSON"),
        (lambda c: c["response"].update(attestationObject="AAAA"), "attestationObject"),
    ],
)
def test_a_malformed_credential_is_a_422_naming_the_field(client, alex, phone, mangle, field):
    options = registration_options(client, alex)
    credential = phone.create(options)
    mangle(credential)
    response = client.post(
        f"{BASE}/v1/passkeys",
        json={"challengeId": options["challengeId"], "credential": credential},
        headers=alex,
    )
    assert is_problem(response, 422)
    assert any(field in e["field"] for e in response.json()["errors"]), response.text


def test_auth_methods_lists_passkeys(client):
    methods = client.get(f"{BASE}/v1/auth-methods").json()["authMethods"]
    assert "passkey" in [m["type"] for m in methods]


def test_the_list_pages(client, alex):
    for _ in range(3):
        assert register(client, alex, SoftwareAuthenticator()).status_code == 201
    first = client.get(f"{BASE}/v1/passkeys", params={"limit": 2}, headers=alex).json()
    rest = client.get(f"{BASE}/v1/passkeys", params={"offset": 2}, headers=alex).json()
    assert len(first["passkeys"]) == 2 and len(rest["passkeys"]) == 1
    assert {p["id"] for p in first["passkeys"]}.isdisjoint(p["id"] for p in rest["passkeys"])


def test_a_repeated_create_with_its_idempotency_key_answers_the_first_passkey(client, alex, phone):
    options = registration_options(client, alex)
    body = {"challengeId": options["challengeId"], "credential": phone.create(options)}
    headers = alex | {"Idempotency-Key": "passkey-1"}
    first = client.post(f"{BASE}/v1/passkeys", json=body, headers=headers)
    again = client.post(f"{BASE}/v1/passkeys", json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again.headers["Idempotent-Replayed"] == "true"
    assert again.headers["Location"] == first.headers["Location"]
    assert len(client.get(f"{BASE}/v1/passkeys", headers=alex).json()["passkeys"]) == 1


def test_a_browsers_extra_members_are_taken_and_unknown_ones_refused(client, alex, phone):
    options = registration_options(client, alex)
    credential = phone.create(options)
    credential["clientExtensionResults"] = {"credProps": {"rk": True}}
    credential["response"] |= {"publicKeyAlgorithm": -7, "authenticatorData": "SZYN5YgO"}
    unknown = credential | {"surprise": 1}
    body = {"challengeId": options["challengeId"], "credential": unknown}
    refused = client.post(f"{BASE}/v1/passkeys", json=body, headers=alex)
    assert is_problem(refused, 422)
    assert refused.json()["errors"][0]["field"] == "credential.surprise"
    body = {"challengeId": options["challengeId"], "credential": credential}
    assert client.post(f"{BASE}/v1/passkeys", json=body, headers=alex).status_code == 201


def _rewritten_client_data(credential: dict[str, Any], **members: Any) -> dict[str, Any]:
    data = json.loads(unb64url(credential["response"]["clientDataJSON"]))
    credential["response"]["clientDataJSON"] = b64url(json.dumps(data | members).encode())
    return credential


def test_client_data_with_a_non_string_origin_is_malformed_not_a_500(client, alex, phone):
    options = registration_options(client, alex)
    credential = _rewritten_client_data(phone.create(options), origin=123)
    body = {"challengeId": options["challengeId"], "credential": credential}
    refused = client.post(f"{BASE}/v1/passkeys", json=body, headers=alex)
    assert is_problem(refused, 422, "passkey_malformed")
    assert register(client, alex, phone).status_code == 201
    auth = authentication_options(client, ALEX_PHONE)
    assertion = _rewritten_client_data(phone.get(auth), origin=["x"])
    assert is_problem(passkey_sign_in(client, auth, assertion), 401, "passkey_malformed")


def _with_attestation(credential: dict[str, Any], change: Any) -> dict[str, Any]:
    attestation = cbor2.loads(unb64url(credential["response"]["attestationObject"]))
    credential["response"]["attestationObject"] = b64url(cbor2.dumps(change(attestation)))
    return credential


def test_an_attestation_format_with_certificates_is_refused(client, alex, phone):
    options = registration_options(client, alex)
    credential = _with_attestation(
        phone.create(options),
        lambda a: a | {"fmt": "fido-u2f", "attStmt": {"x5c": [b"\x00\x01"], "sig": b"x"}},
    )
    body = {"challengeId": options["challengeId"], "credential": credential}
    refused = client.post(f"{BASE}/v1/passkeys", json=body, headers=alex)
    assert is_problem(refused, 422, "passkey_attestation_unsupported")


def test_a_public_key_that_is_no_curve_point_is_refused_at_registration(client, alex, phone):
    def zero_key(attestation: dict[str, Any]) -> dict[str, Any]:
        auth_data = attestation["authData"]
        # rpIdHash 32, flags 1, counter 4, AAGUID 16, id length 2, the 16-byte id: the key.
        key_at = 32 + 1 + 4 + 16 + 2 + 16
        bad = cbor2.dumps({1: 2, 3: -7, -1: 1, -2: bytes(32), -3: bytes(32)})
        return attestation | {"authData": auth_data[:key_at] + bad}

    options = registration_options(client, alex)
    credential = _with_attestation(phone.create(options), zero_key)
    body = {"challengeId": options["challengeId"], "credential": credential}
    refused = client.post(f"{BASE}/v1/passkeys", json=body, headers=alex)
    assert is_problem(refused, 422, "passkey_not_verified")
    assert client.get(f"{BASE}/v1/passkeys", headers=alex).json()["passkeys"] == []


def test_a_discoverable_sign_in_needs_the_user_handle(client, alex, phone):
    assert register(client, alex, phone).status_code == 201
    auth = authentication_options(client)
    assertion = phone.get(auth)
    assertion["response"]["userHandle"] = None
    refused = passkey_sign_in(client, auth, assertion)
    assert is_problem(refused, 401, "passkey_user_handle_missing")
    auth = authentication_options(client)
    assert passkey_sign_in(client, auth, phone.get(auth)).status_code == 200
