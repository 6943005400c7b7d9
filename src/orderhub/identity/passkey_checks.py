"""Judging a passkey ceremony's answer: pure functions of values, no database.

The signature, attestation and flag checks are py_webauthn's (`webauthn`). Before it
runs, the parts an integrator most often gets wrong are checked here one by one, so a
refusal names its cause (`passkey_origin_mismatch`, not "verification failed"): the
answer's type, its challenge (against the stored hash), its origin, the RP id hash and,
for a sign-in, the signature counter. Verifying one ES256 signature costs ~0.1 ms, so
it runs on the event loop like the rest of the request (no thread hop).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any

import webauthn
from webauthn.helpers import (
    parse_attestation_object,
    parse_authentication_credential_json,
    parse_authenticator_data,
    parse_client_data_json,
    parse_registration_credential_json,
)
from webauthn.helpers.cose import COSEAlgorithmIdentifier
from webauthn.helpers.decode_credential_public_key import decode_credential_public_key
from webauthn.helpers.decoded_public_key_to_cryptography import decoded_public_key_to_cryptography
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AttestationFormat,
    AuthenticationCredential,
    CollectedClientData,
    RegistrationCredential,
)
from webauthn.registration.verify_registration_response import VerifiedRegistration

# What browsers' platform authenticators make: ES256 (most), EdDSA, RS256 (Windows Hello).
ALGORITHMS = [
    COSEAlgorithmIdentifier.ECDSA_SHA_256,
    COSEAlgorithmIdentifier.EDDSA,
    COSEAlgorithmIdentifier.RSASSA_PKCS1_v1_5_SHA_256,
]


# The options ask for no attestation; "packed" is what self-attestation comes as. Other
# formats carry certificate chains this service has no policy for.
ATTESTATION_FORMATS = (AttestationFormat.NONE, AttestationFormat.PACKED)


@dataclass(frozen=True)
class Expected:
    """What an answer must match: the relying party and where the page may be."""

    rp_id: str
    origins: tuple[str, ...]
    challenge_hash: str


class CheckFailed(Exception):
    """Why an answer is refused: a problem `code`, a message, the wire field concerned."""

    def __init__(self, code: str, message: str, field: str = "credential") -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field


def new_challenge() -> bytes:
    return secrets.token_bytes(32)


def hash_challenge(challenge: bytes) -> str:
    # 256 random bits need no key or salt: the hash alone gives nothing to replay.
    return hashlib.sha256(challenge).hexdigest()


def parse_registration(credential: dict[str, Any]) -> RegistrationCredential:
    try:
        return parse_registration_credential_json(credential)
    except (WebAuthnException, ValueError, TypeError, KeyError) as exc:
        raise CheckFailed("passkey_malformed", f"The credential is not readable: {exc}") from exc


def parse_assertion(credential: dict[str, Any]) -> AuthenticationCredential:
    try:
        return parse_authentication_credential_json(credential)
    except (WebAuthnException, ValueError, TypeError, KeyError) as exc:
        raise CheckFailed("passkey_malformed", f"The credential is not readable: {exc}") from exc


def check_registration(
    credential: RegistrationCredential, expected: Expected
) -> VerifiedRegistration:
    """The verified new credential, or CheckFailed naming what is wrong."""
    client_data = _client_data(credential.response.client_data_json, "webauthn.create", expected)
    try:
        attestation = parse_attestation_object(credential.response.attestation_object)
        auth_data = attestation.auth_data
    except (WebAuthnException, ValueError, TypeError, KeyError) as exc:
        raise CheckFailed(
            "passkey_malformed",
            f"The attestation object is not readable: {exc}",
            "credential.response.attestationObject",
        ) from exc
    _rp_id_hash(auth_data.rp_id_hash, expected, "credential.response.attestationObject")
    if attestation.fmt not in ATTESTATION_FORMATS:
        fmt = getattr(attestation.fmt, "value", attestation.fmt)
        raise CheckFailed(
            "passkey_attestation_unsupported",
            f"Attestation format '{fmt}' is not taken here; ask for attestation 'none' "
            "(the options do).",
            "credential.response.attestationObject",
        )
    try:
        verified = webauthn.verify_registration_response(
            credential=credential,
            expected_challenge=client_data.challenge,
            expected_rp_id=expected.rp_id,
            expected_origin=list(expected.origins),
            require_user_verification=True,
            supported_pub_key_algs=ALGORITHMS,
        )
        # Attestation "none" does not look at the key: load it now, not at every sign-in.
        decoded_public_key_to_cryptography(
            decode_credential_public_key(verified.credential_public_key)
        )
    except Exception as exc:  # hostile input fails inside the library in many ways
        raise CheckFailed("passkey_not_verified", f"The passkey was not verified: {exc}") from exc
    return verified


def check_assertion(
    credential: AuthenticationCredential,
    expected: Expected,
    *,
    public_key: bytes,
    sign_count: int,
) -> int:
    """The assertion's signature counter once everything checks; CheckFailed otherwise.

    A counter that does not grow (when either is non-zero) means two authenticators hold
    the key: a clone. A counter-less authenticator (always 0) passes."""
    client_data = _client_data(credential.response.client_data_json, "webauthn.get", expected)
    field = "credential.response.authenticatorData"
    try:
        auth_data = parse_authenticator_data(credential.response.authenticator_data)
    except (WebAuthnException, ValueError, TypeError, KeyError) as exc:
        raise CheckFailed(
            "passkey_malformed", f"The authenticator data is not readable: {exc}", field
        ) from exc
    _rp_id_hash(auth_data.rp_id_hash, expected, field)
    if (auth_data.sign_count or sign_count) and auth_data.sign_count <= sign_count:
        raise CheckFailed(
            "passkey_sign_count_regressed",
            f"The authenticator's counter ({auth_data.sign_count}) is not above the last one "
            f"seen ({sign_count}): the passkey may have been copied. Sign in another way.",
            field,
        )
    try:
        verified = webauthn.verify_authentication_response(
            credential=credential,
            expected_challenge=client_data.challenge,
            expected_rp_id=expected.rp_id,
            expected_origin=list(expected.origins),
            credential_public_key=public_key,
            credential_current_sign_count=sign_count,
            require_user_verification=True,
        )
    except Exception as exc:  # hostile input fails inside the library in many ways
        raise CheckFailed("passkey_not_verified", f"The passkey was not verified: {exc}") from exc
    return verified.new_sign_count


def _client_data(raw: bytes, kind: str, expected: Expected) -> CollectedClientData:
    field = "credential.response.clientDataJSON"
    try:
        client_data = parse_client_data_json(raw)
    except (WebAuthnException, ValueError, TypeError, KeyError) as exc:
        message = f"clientDataJSON is not readable: {exc}"
        raise CheckFailed("passkey_malformed", message, field) from exc
    if not isinstance(client_data.type, str) or not isinstance(client_data.origin, str):
        raise CheckFailed(
            "passkey_malformed", "clientDataJSON's type and origin must be strings.", field
        )
    if client_data.type != kind:
        raise CheckFailed(
            "passkey_wrong_ceremony",
            f"clientDataJSON.type is '{client_data.type}'; this step takes '{kind}'.",
            field,
        )
    if not hmac.compare_digest(hash_challenge(client_data.challenge), expected.challenge_hash):
        raise CheckFailed(
            "passkey_challenge_mismatch",
            "clientDataJSON.challenge is not the challenge of challengeId.",
            field,
        )
    if client_data.origin not in expected.origins:
        raise CheckFailed(
            "passkey_origin_mismatch",
            f"clientDataJSON.origin '{client_data.origin[:200]}' is not an allowed origin "
            f"({', '.join(expected.origins)}).",
            field,
        )
    return client_data


def _rp_id_hash(rp_id_hash: bytes, expected: Expected, field: str) -> None:
    if not hmac.compare_digest(rp_id_hash, hashlib.sha256(expected.rp_id.encode()).digest()):
        raise CheckFailed(
            "passkey_rp_id_mismatch",
            f"The passkey was made for another relying party than '{expected.rp_id}'.",
            field,
        )
