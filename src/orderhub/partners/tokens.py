"""Partner access tokens: `p1.<payload>.<signature>`, both base64url.

Stateless like the consumer tokens (identity/tokens.py: one HMAC, no database read), and
signed with the same instance key, but a different kind: the prefix is part of the signed
text, so a partner token is never a valid consumer token (whose verifier only accepts
`v1.`) and a consumer token is never a valid partner token, even re-prefixed.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass

PREFIX = "p1"


@dataclass(frozen=True)
class PartnerPrincipal:
    """Who is calling a B2B route: a partner, through one of its API clients."""

    partner_id: str
    client_id: str
    expires_at: int


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _mac(key: bytes, payload: str) -> str:
    return _b64(hmac.new(key, f"{PREFIX}.{payload}".encode(), hashlib.sha256).digest())


def sign(key: bytes, principal: PartnerPrincipal) -> str:
    payload = _b64(
        json.dumps(
            {"pid": principal.partner_id, "cid": principal.client_id, "exp": principal.expires_at},
            separators=(",", ":"),
        ).encode()
    )
    return f"{PREFIX}.{payload}.{_mac(key, payload)}"


def verify(key: bytes, token: str, now: float) -> PartnerPrincipal | None:
    """The token's partner, or None when it is malformed, forged, expired or not a partner's."""
    parts = token.split(".")
    if len(parts) != 3 or parts[0] != PREFIX or not parts[2].isascii():
        return None
    if not hmac.compare_digest(_mac(key, parts[1]), parts[2]):
        return None
    try:
        data = json.loads(_unb64(parts[1]))
        principal = PartnerPrincipal(
            partner_id=str(data["pid"]), client_id=str(data["cid"]), expires_at=int(data["exp"])
        )
    except (ValueError, KeyError, TypeError):
        return None
    return principal if principal.expires_at > now else None
