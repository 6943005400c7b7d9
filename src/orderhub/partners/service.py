"""Partners and their API clients: create, rotate a secret, authenticate, issue a token."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from orderhub.errors import Conflict, NotFound
from orderhub.ids import new_id, utcnow
from orderhub.partners import rules, tokens
from orderhub.partners.models import Partner, PartnerClient

# Client secrets are hashed with argon2id, not an HMAC keyed by the instance secret:
# the hash stands on its own, so rotating ORDERHUB_SECRET_KEY does not invalidate every
# client, and the sandbox loader and the CLI can store one without the key. The OWASP
# minimum cost (19 MiB, 2 passes) rather than the library default, because secrets we
# issue carry 256 random bits (a costlier hash adds no safety to them): ~20 ms of CPU
# per token request instead of ~100 ms.
_hasher = PasswordHasher(time_cost=2, memory_cost=19_456, parallelism=1)
# Verified against for an unknown client id, so unknown and wrong cost the same time.
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))


class PartnerExists(Conflict):
    code = "partner_exists"
    title = "Partner already exists"


class ClientNotFound(NotFound):
    code = "client_not_found"
    title = "No such API client"


@dataclass(frozen=True)
class IssuedClient:
    """A client's id and its secret in clear: shown once, never stored or shown again."""

    partner_id: str
    client_id: str
    client_secret: str


def hash_secret(secret: str) -> str:
    return _hasher.hash(secret)


def create_partner(
    session: Session,
    *,
    name: str,
    partner_id: str | None = None,
    client_id: str | None = None,
    client_secret: str | None = None,
    sandbox: bool = False,
    secret_hash: str | None = None,
) -> IssuedClient:
    """A new partner with one API client (generated id and secret unless given; a caller
    on the event loop gives `client_secret` with its `secret_hash` made off the loop)."""
    if session.scalar(select(Partner.id).where(Partner.name == name)) is not None:
        raise PartnerExists(f"A partner named '{name}' already exists.")
    now = utcnow()
    partner = Partner(id=partner_id or new_id("prt"), name=name, sandbox=sandbox, created_at=now)
    session.add(partner)
    issued = IssuedClient(
        partner.id, client_id or rules.new_client_id(), client_secret or rules.new_client_secret()
    )
    session.add(
        PartnerClient(
            client_id=issued.client_id,
            partner_id=partner.id,
            secret_hash=secret_hash or hash_secret(issued.client_secret),
            created_at=now,
            secret_rotated_at=now,
        )
    )
    session.flush()
    return issued


def rotate_secret(
    session: Session,
    *,
    client_id: str,
    secret: str | None = None,
    secret_hash: str | None = None,
) -> IssuedClient:
    """Replace a client's secret (a new random one, or `secret` with its `secret_hash`
    made off the event loop); the old one stops working at once (tokens already issued
    with it stay valid until they expire: they are stateless)."""
    client = session.scalar(
        select(PartnerClient).where(PartnerClient.client_id == client_id).with_for_update()
    )
    if client is None:
        raise ClientNotFound(f"There is no API client '{client_id}'.")
    if secret is None or secret_hash is None:
        secret = rules.new_client_secret()
        secret_hash = hash_secret(secret)
    client.secret_hash = secret_hash
    client.secret_rotated_at = utcnow()
    session.flush()
    return IssuedClient(client.partner_id, client.client_id, secret)


@dataclass(frozen=True)
class ClientLogin:
    """What a token request's client id names: the secret's hash and its partner."""

    client_id: str
    partner_id: str
    secret_hash: str
    sandbox: bool


def budget_key(client_id: str) -> str:
    """The failed-attempt budget of a client id, known or not (identity/signin.py)."""
    return f"client:{client_id}"


_CLIENT = (
    select(PartnerClient.secret_hash, PartnerClient.partner_id, Partner.sandbox)
    .join(Partner, Partner.id == PartnerClient.partner_id)
    .where(PartnerClient.client_id == bindparam("b_client_id"))
)


def find_client(session: Session, *, client_id: str) -> ClientLogin | None:
    row = session.execute(_CLIENT, {"b_client_id": client_id}).first()
    return ClientLogin(client_id, row.partner_id, row.secret_hash, row.sandbox) if row else None


def secret_matches(client: ClientLogin | None, secret: str) -> bool:
    """Whether the secret is the client's; as slow for an unknown client. Run it off the
    event loop (identity/hashing.py)."""
    verified = _verify(client.secret_hash if client else _DUMMY_HASH, secret)
    return verified and client is not None


def usable_by(sandbox_mode: bool) -> Callable[[ClientLogin | None, str], bool]:
    """The secret check of a token request: the client's secret, and a sandbox client only
    in sandbox mode. An unknown client, a wrong secret and a sandbox client outside sandbox
    mode all fail alike (401 invalid_client). Run it off the event loop."""

    def matches(client: ClientLogin | None, secret: str) -> bool:
        verified = secret_matches(client, secret)
        return verified and client is not None and (sandbox_mode or not client.sandbox)

    return matches


def issue_token(key: bytes, *, partner_id: str, client_id: str, ttl_seconds: int) -> str:
    """A signed partner access token, valid for `ttl_seconds`."""
    expires_at = int(time.time()) + ttl_seconds
    return tokens.sign(key, tokens.PartnerPrincipal(partner_id, client_id, expires_at))


def _verify(secret_hash: str, secret: str) -> bool:
    try:
        return _hasher.verify(secret_hash, secret)
    except (VerificationError, InvalidHashError):
        return False
