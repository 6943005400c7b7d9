"""Sign-in use cases: OTP issue and check, password sign-in, access tokens."""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Row, bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from orderhub.adapters.messaging import Messenger
from orderhub.config import Settings
from orderhub.customers import service as customers
from orderhub.customers.rules import normalize_email, normalize_identifier
from orderhub.db import serialize_on
from orderhub.errors import TooManyRequests, Unauthorized, ValidationFailed
from orderhub.identity import attempts, rules, tokens
from orderhub.identity.models import InstanceSecret, OtpChallenge, PasswordCredential
from orderhub.ids import new_id, utcnow

CHALLENGES = OtpChallenge.__table__
_RECENT_CHALLENGES = select(func.count()).where(
    CHALLENGES.c.identifier == bindparam("identifier"),
    CHALLENGES.c.created_at >= bindparam("since"),
)
_INSERT_CHALLENGE = insert(CHALLENGES)
_CHALLENGE_FOR_CHECK = (
    select(CHALLENGES).where(CHALLENGES.c.id == bindparam("challenge_id")).with_for_update()
)
_COUNT_WRONG_TRY = (
    update(CHALLENGES)
    .where(CHALLENGES.c.id == bindparam("challenge_id"))
    .values(attempts=CHALLENGES.c.attempts + 1)
)
CREDENTIALS = PasswordCredential.__table__
_CREDENTIAL = select(CREDENTIALS.c.customer_id, CREDENTIALS.c.password_hash).where(
    CREDENTIALS.c.username == bindparam("b_username")
)
_CONSUME = (
    update(CHALLENGES)
    .where(CHALLENGES.c.id == bindparam("challenge_id"))
    .values(consumed_at=bindparam("now"))
)

AUTH_METHODS = [
    {
        "type": "otp",
        "channels": ["sms", "email"],
        "description": "One-time code sent by SMS or e-mail.",
    },
    {
        "type": "password",
        "description": "Username (e-mail) and password, for customers who set one.",
    },
    {
        "type": "passkey",
        "description": "A passkey (WebAuthn): the device's fingerprint, face or screen "
        "lock, for customers who registered one after signing in (docs/passkeys.md).",
    },
]
# OWASP's argon2id setting of 46 MiB, one pass, one lane: ~45 ms of one core. One lane
# keeps a check on one thread, so identity/hashing.py's thread bound is the CPU bound.
# Hashes made with other settings (they are in the hash) still verify.
_hasher = PasswordHasher(time_cost=1, memory_cost=47_104, parallelism=1)
# Verified against when the username is unknown, so both paths cost one argon2 check.
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))


class OtpRejected(Unauthorized):
    code = "otp_rejected"
    title = "One-time code rejected"
    # The failed try must be counted, so this error keeps the transaction's writes.
    keep_changes = True


class SignInFailed(Unauthorized):
    code = "invalid_credentials"
    title = "Sign-in failed"


@dataclass(frozen=True)
class PasswordLogin:
    username: str
    customer_id: str
    password_hash: str


def signing_key(session: Session, settings: Settings) -> bytes:
    """The operator's key, or in sandbox mode one generated once and kept in the store."""
    if settings.secret_key:
        return settings.secret_key.encode()
    if not settings.sandbox:
        raise RuntimeError("ORDERHUB_SECRET_KEY must be set when sandbox mode is off.")
    row = session.get(InstanceSecret, "signing_key")
    if row is None:
        row = InstanceSecret(name="signing_key", value=secrets.token_hex(32))
        session.add(row)
        session.flush()
    return row.value.encode()


def issue_otp(
    session: Session,
    *,
    identifier: str,
    channel: str,
    settings: Settings,
    messenger: Messenger,
    key: bytes,
) -> dict:
    """Send a code to a phone or e-mail. Answers alike whether or not a customer has it.

    Returns the challenge (`id`, `channel`, `expires_at`); never the code."""
    parsed = normalize_identifier(identifier)
    if parsed is None:
        raise ValidationFailed.one(
            "identifier", "phone_or_email", "The identifier must be a 10-digit phone or an e-mail."
        )
    kind, value = parsed
    if (kind == "phone") != (channel == "sms"):
        raise ValidationFailed.one(
            "channel",
            "channel_matches_identifier",
            "Use channel 'sms' for a phone number and 'email' for an e-mail address.",
        )
    serialize_on(session, f"otp:{value}")  # count-then-insert must not interleave
    now = utcnow()
    # No code is sent while wrong codes have locked the identifier: it could not be used.
    attempts.refuse_if_locked(session, key=f"otp:{value}", now=now)
    window_start = now - timedelta(seconds=settings.otp_issue_window_seconds)
    recent = session.execute(
        _RECENT_CHALLENGES, {"identifier": value, "since": window_start}
    ).scalar_one()
    if recent >= settings.otp_issue_limit:
        raise TooManyRequests(
            "Too many codes were requested for this identifier; try again later.",
            code="otp_rate_limited",
            headers={"Retry-After": str(settings.otp_issue_window_seconds)},
        )
    code = rules.new_otp_code()
    challenge_id = new_id("otp")
    challenge = {
        "id": challenge_id,
        "identifier": value,
        "channel": channel,
        "code_hash": rules.hash_otp(key, challenge_id, code),
        "attempts": 0,
        "expires_at": now + timedelta(seconds=settings.otp_ttl_seconds),
        "consumed_at": None,
        "created_at": now,
    }
    session.execute(_INSERT_CHALLENGE, challenge)
    minutes = settings.otp_ttl_seconds // 60
    messenger.send(
        session,
        to=value,
        channel=channel,
        body=f"Your OrderHub code is {code}. It expires in {minutes} minutes.",
    )
    return challenge


def sign_in_with_otp(
    session: Session, *, otp_id: str, code: str, settings: Settings, key: bytes
) -> str:
    """Check a code (single use, expiring, locked after too many tries) and issue a token."""
    challenge: Row | None = session.execute(_CHALLENGE_FOR_CHECK, {"challenge_id": otp_id}).first()
    if challenge is None:
        raise OtpRejected("The code is wrong or the challenge does not exist.")
    now = utcnow()
    # Claimed before the check and kept by a wrong code (OtpRejected keeps its writes):
    # the identifier's budget spans all its challenges (attempts.OTP_IDENTIFIER).
    budget_key = f"otp:{challenge.identifier}"
    attempts.claim(session, key=budget_key, policy=attempts.OTP_IDENTIFIER, now=now)
    outcome = rules.check_otp(
        key=key,
        challenge_id=challenge.id,
        code_hash=challenge.code_hash,
        attempts=challenge.attempts,
        expires_at=challenge.expires_at,
        consumed=challenge.consumed_at is not None,
        code=code,
        now=now,
        max_attempts=settings.otp_max_attempts,
    )
    if outcome is rules.OtpOutcome.WRONG:
        session.execute(_COUNT_WRONG_TRY, {"challenge_id": challenge.id})
        left = settings.otp_max_attempts - challenge.attempts - 1
        raise OtpRejected(f"The code is wrong; {left} tries left.", extra={"triesLeft": left})
    if outcome is rules.OtpOutcome.LOCKED:
        raise TooManyRequests(
            "This challenge is locked after too many wrong codes; request a new code.",
            code="otp_locked",
        )
    if outcome is rules.OtpOutcome.EXPIRED:
        raise OtpRejected("The code has expired; request a new one.", code="otp_expired")
    if outcome is rules.OtpOutcome.USED:
        raise OtpRejected("The code was already used; request a new one.", code="otp_used")
    session.execute(_CONSUME, {"challenge_id": challenge.id, "now": now})
    attempts.succeeded(session, key=budget_key)
    customer_id = customers.id_by_identifier(session, challenge.identifier)
    return _token(key, settings, challenge.identifier, customer_id)


def password_username(username: str) -> str:
    """The name a password sign-in is found and budgeted by (case and spacing ignored)."""
    return normalize_email(username) or username.strip().lower()


def password_budget_key(username: str) -> str:
    """The failed-attempt budget of a username, known or not (identity/signin.py)."""
    return f"password:{password_username(username)}"


def find_password_credential(session: Session, *, username: str) -> PasswordLogin | None:
    """The credential a password sign-in names, or None for an unknown username."""
    email = password_username(username)
    row = session.execute(_CREDENTIAL, {"b_username": email}).first()
    return PasswordLogin(email, row.customer_id, row.password_hash) if row else None


def login_password_matches(login: PasswordLogin | None, password: str) -> bool:
    """Whether the password is the login's; as slow for an unknown username (argon2)."""
    return password_matches(login.password_hash if login else None, password)


def password_token(login: PasswordLogin, *, settings: Settings, key: bytes) -> str:
    """The access token of a customer whose password was right."""
    return _token(key, settings, login.username, login.customer_id)


def customer_token(*, customer_id: str, identifier: str, settings: Settings, key: bytes) -> str:
    """The access token of a customer who proved who they are another way (a passkey)."""
    return _token(key, settings, identifier, customer_id)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def password_matches(password_hash: str | None, password: str) -> bool:
    """Whether the password matches; as slow without a hash (unknown user) as with one."""
    matches = _verify(password_hash or _DUMMY_HASH, password)
    return matches and password_hash is not None


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _token(key: bytes, settings: Settings, identifier: str, customer_id: str | None) -> str:
    expires_at = int(time.time()) + settings.token_ttl_seconds
    return tokens.sign(key, tokens.Principal(identifier, customer_id, expires_at))
