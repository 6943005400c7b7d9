"""Signed, expiring access tokens: `v1.<payload>.<signature>`, both base64url.

Stateless on purpose: checking a token costs one HMAC and no database read, which
keeps every authenticated call lean; tokens expire after ORDERHUB_TOKEN_TTL_SECONDS.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass


@dataclass(frozen=True)
class Principal:
    """Who is calling: a customer, or a prospect known only by a verified phone/e-mail."""

    identifier: str
    customer_id: str | None
    expires_at: int

    @property
    def subject(self) -> str:
        return self.customer_id or f"prospect:{self.identifier}"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def sign(key: bytes, principal: Principal) -> str:
    payload = _b64(
        json.dumps(
            {
                "sub": principal.customer_id,
                "idf": principal.identifier,
                "exp": principal.expires_at,
            },
            separators=(",", ":"),
        ).encode()
    )
    signature = _b64(hmac.new(key, f"v1.{payload}".encode(), hashlib.sha256).digest())
    return f"v1.{payload}.{signature}"


def verify(key: bytes, token: str, now: float) -> Principal | None:
    """The token's principal, or None when it is malformed, forged or expired."""
    parts = token.split(".")
    if len(parts) != 3 or parts[0] != "v1":
        return None
    expected = _b64(hmac.new(key, f"v1.{parts[1]}".encode(), hashlib.sha256).digest())
    if not parts[2].isascii() or not hmac.compare_digest(expected, parts[2]):
        return None
    try:
        data = json.loads(_unb64(parts[1]))
        principal = Principal(
            identifier=str(data["idf"]), customer_id=data["sub"], expires_at=int(data["exp"])
        )
    except (ValueError, KeyError, TypeError):
        return None
    return principal if principal.expires_at > now else None
