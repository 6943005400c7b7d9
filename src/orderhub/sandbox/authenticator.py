"""A software passkey authenticator, to try the passkey flow with no browser.

It does what a browser and a platform authenticator do with the options the API
answers: makes a P-256 key pair per credential, builds real authenticator data,
clientDataJSON and a "none" attestation object (CBOR), and signs assertions (ES256).
Nothing is mocked, so the server verifies its answers like any phone's. The tests use
it, and integrators can too (docs/passkeys.md):

    ... | python -m orderhub.sandbox.authenticator create --state passkey.json
    ... | python -m orderhub.sandbox.authenticator get --state passkey.json

Each command reads the options answer (`{"challengeId": ..., "publicKey": {...}}`) on
stdin and prints the body of the next request (`{"challengeId": ..., "credential": ...}`).
The state file keeps the private keys and counters between runs: a sandbox toy, never a
place for a real key.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import secrets
import struct
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import cbor2
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

DEFAULT_ORIGIN = "http://localhost:8080"
# Flags of authenticator data (WebAuthn §6.1): user present, user verified, attested data.
UP, UV, AT = 0x01, 0x04, 0x40
ES256 = -7


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Credential:
    """One passkey the authenticator holds."""

    credential_id: bytes
    private_key: ec.EllipticCurvePrivateKey
    rp_id: str
    user_handle: bytes
    sign_count: int = 0

    def cose_public_key(self) -> bytes:
        numbers = self.private_key.public_key().public_numbers()
        return cbor2.dumps(
            {
                1: 2,  # kty: EC2
                3: ES256,  # alg
                -1: 1,  # crv: P-256
                -2: numbers.x.to_bytes(32, "big"),
                -3: numbers.y.to_bytes(32, "big"),
            }
        )


@dataclass
class SoftwareAuthenticator:
    """Passkeys in memory. `origin` is what clientDataJSON claims the page was;
    `counter_step` how much each assertion adds to the credential's counter (0: a
    counter-less authenticator, as synced passkeys often are)."""

    origin: str = DEFAULT_ORIGIN
    counter_step: int = 1
    user_verified: bool = True
    credentials: dict[str, Credential] = field(default_factory=dict)

    def create(self, options: dict[str, Any], *, rp_id: str | None = None) -> dict[str, Any]:
        """navigator.credentials.create(): a new credential for the options' RP and user.

        `rp_id` pretends the credential was made for another RP (a phishing site)."""
        public_key = options.get("publicKey", options)
        rp = rp_id or public_key["rp"]["id"]
        credential = Credential(
            credential_id=secrets.token_bytes(16),
            private_key=ec.generate_private_key(ec.SECP256R1()),
            rp_id=public_key["rp"]["id"],
            user_handle=unb64url(public_key["user"]["id"]),
        )
        self.credentials[b64url(credential.credential_id)] = credential
        attested = (
            bytes(16)  # AAGUID: zeros, as a "none" attestation has nothing to vouch for
            + struct.pack(">H", len(credential.credential_id))
            + credential.credential_id
            + credential.cose_public_key()
        )
        auth_data = self._auth_data(rp, AT, 0) + attested
        client_data = self._client_data("webauthn.create", public_key["challenge"])
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth_data})
        cred_id = b64url(credential.credential_id)
        return {
            "id": cred_id,
            "rawId": cred_id,
            "type": "public-key",
            "response": {
                "clientDataJSON": b64url(client_data),
                "attestationObject": b64url(attestation),
                "transports": ["internal", "hybrid"],
            },
            "authenticatorAttachment": "platform",
            "clientExtensionResults": {},
        }

    def get(
        self,
        options: dict[str, Any],
        *,
        credential_id: str | None = None,
        rp_id: str | None = None,
        sign_count: int | None = None,
    ) -> dict[str, Any]:
        """navigator.credentials.get(): an assertion by one of the allowed credentials
        (or, for discoverable sign-in, any held for the RP). `sign_count` forces the
        counter sent (a cloned authenticator's stale one)."""
        public_key = options.get("publicKey", options)
        credential = self._pick(public_key, credential_id)
        if sign_count is None:
            credential.sign_count += self.counter_step
            sign_count = credential.sign_count
        auth_data = self._auth_data(rp_id or credential.rp_id, 0, sign_count)
        client_data = self._client_data("webauthn.get", public_key["challenge"])
        signed = auth_data + hashlib.sha256(client_data).digest()
        signature = credential.private_key.sign(signed, ec.ECDSA(hashes.SHA256()))
        cred_id = b64url(credential.credential_id)
        return {
            "id": cred_id,
            "rawId": cred_id,
            "type": "public-key",
            "response": {
                "clientDataJSON": b64url(client_data),
                "authenticatorData": b64url(auth_data),
                "signature": b64url(signature),
                "userHandle": b64url(credential.user_handle),
            },
            "authenticatorAttachment": "platform",
            "clientExtensionResults": {},
        }

    def _pick(self, public_key: dict[str, Any], credential_id: str | None) -> Credential:
        if credential_id is not None:
            return self.credentials[credential_id]
        allowed = [c["id"] for c in public_key.get("allowCredentials") or []]
        rp_id = public_key.get("rpId")
        for cred_id, credential in self.credentials.items():
            if cred_id in allowed if allowed else credential.rp_id == rp_id:
                return credential
        raise LookupError("No passkey here matches the options (NotAllowedError in a browser).")

    def _auth_data(self, rp_id: str, flags: int, sign_count: int) -> bytes:
        flags |= UP | (UV if self.user_verified else 0)
        rp_id_hash = hashlib.sha256(rp_id.encode()).digest()
        return rp_id_hash + bytes([flags]) + struct.pack(">I", sign_count)

    def _client_data(self, kind: str, challenge: str) -> bytes:
        data = {"type": kind, "challenge": challenge, "origin": self.origin, "crossOrigin": False}
        return json.dumps(data, separators=(",", ":")).encode()

    # ---- keeping passkeys between runs (the command line) -----------------------------

    def dump(self) -> dict[str, Any]:
        return {
            "origin": self.origin,
            "credentials": [
                {
                    "credentialId": b64url(c.credential_id),
                    "privateKey": c.private_key.private_bytes(
                        serialization.Encoding.PEM,
                        serialization.PrivateFormat.PKCS8,
                        serialization.NoEncryption(),
                    ).decode(),
                    "rpId": c.rp_id,
                    "userHandle": b64url(c.user_handle),
                    "signCount": c.sign_count,
                }
                for c in self.credentials.values()
            ],
        }

    @classmethod
    def load(cls, data: dict[str, Any]) -> SoftwareAuthenticator:
        authenticator = cls(origin=data.get("origin", DEFAULT_ORIGIN))
        for c in data.get("credentials", []):
            key = serialization.load_pem_private_key(c["privateKey"].encode(), password=None)
            assert isinstance(key, ec.EllipticCurvePrivateKey)
            authenticator.credentials[c["credentialId"]] = Credential(
                credential_id=unb64url(c["credentialId"]),
                private_key=key,
                rp_id=c["rpId"],
                user_handle=unb64url(c["userHandle"]),
                sign_count=c["signCount"],
            )
        return authenticator


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m orderhub.sandbox.authenticator",
        description="Answer passkey options (stdin) with the next request's body (stdout).",
    )
    parser.add_argument("command", choices=["create", "get"])
    parser.add_argument("--state", required=True, type=Path, help="file keeping the passkeys")
    parser.add_argument("--origin", help=f"origin the answer claims (default {DEFAULT_ORIGIN})")
    parser.add_argument("--name", help="create: the passkey's name in the request body")
    args = parser.parse_args(argv)
    state = json.loads(args.state.read_text()) if args.state.exists() else {}
    authenticator = SoftwareAuthenticator.load(state)
    if args.origin:
        authenticator.origin = args.origin
    options = json.load(sys.stdin)
    if args.command == "create":
        body = {"challengeId": options["challengeId"], "credential": authenticator.create(options)}
        if args.name:
            body["name"] = args.name
    else:
        body = {"challengeId": options["challengeId"], "credential": authenticator.get(options)}
    args.state.write_text(json.dumps(authenticator.dump()))
    json.dump(body, sys.stdout)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
