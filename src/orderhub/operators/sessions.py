"""Console sessions: a random token in an HttpOnly cookie, its SHA-256 in
`console_sessions`; a CSRF token per session, derived from it with the instance key.

A session ends after `idle` without a request, at `lifetime` after sign-in whatever
happens, at sign-out, or when its user is disabled. Reading a session is one indexed
join; moving its idle deadline is a write, done at most once a minute per session (not
on every page view, which would make every read a write)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from orderhub.operators.models import ConsoleSession, OperatorUser

SESSIONS = ConsoleSession.__table__
USERS = OperatorUser.__table__
TOUCH_EVERY = timedelta(minutes=1)

_CURRENT = (
    select(
        SESSIONS.c.token_hash,
        SESSIONS.c.last_seen_at,
        SESSIONS.c.expires_at,
        USERS.c.id,
        USERS.c.username,
        USERS.c.display_name,
        USERS.c.role,
    )
    .join(USERS, USERS.c.id == SESSIONS.c.user_id)
    .where(
        SESSIONS.c.token_hash == bindparam("b_hash"),
        SESSIONS.c.idle_until > bindparam("b_now"),
        SESSIONS.c.expires_at > bindparam("b_now"),
        USERS.c.disabled_at.is_(None),
    )
)
_TOUCH = (
    update(SESSIONS)
    .where(SESSIONS.c.token_hash == bindparam("b_hash"))
    .values(last_seen_at=bindparam("b_now"), idle_until=bindparam("b_idle_until"))
)
_END = delete(SESSIONS).where(SESSIONS.c.token_hash == bindparam("b_hash"))


@dataclass(frozen=True)
class SignedIn:
    """Who a console request is from."""

    user_id: str
    username: str
    display_name: str
    role: str
    token_hash: str
    touch_due: bool  # the idle deadline should move (operators/sessions.touch)

    @property
    def actor(self) -> str:
        """How history names what this person did (`operator:<username>`)."""
        return f"operator:{self.username}"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start(
    session: Session, *, user_id: str, now: datetime, idle: timedelta, lifetime: timedelta
) -> str:
    """A new session for the user; the token for the cookie (never stored)."""
    token = secrets.token_urlsafe(32)
    session.execute(
        insert(SESSIONS).values(
            token_hash=_hash(token),
            user_id=user_id,
            created_at=now,
            last_seen_at=now,
            idle_until=now + idle,
            expires_at=now + lifetime,
        )
    )
    return token


def current(session: Session, *, token: str, now: datetime, idle: timedelta) -> SignedIn | None:
    """The signed-in user of a cookie's token, or None (unknown, idle, expired, disabled).
    Its idle deadline is due to move once a minute, or a quarter of `idle` if that is
    shorter, so an active session never runs out between two moves."""
    if not token or len(token) > 100:
        return None
    row = session.execute(_CURRENT, {"b_hash": _hash(token), "b_now": now}).first()
    if row is None:
        return None
    return SignedIn(
        user_id=row.id,
        username=row.username,
        display_name=row.display_name,
        role=row.role,
        token_hash=row.token_hash,
        touch_due=now - row.last_seen_at >= min(TOUCH_EVERY, idle / 4),
    )


def touch(session: Session, *, signed_in: SignedIn, now: datetime, idle: timedelta) -> None:
    """Move the idle deadline (the hard expiry never moves)."""
    session.execute(
        _TOUCH, {"b_hash": signed_in.token_hash, "b_now": now, "b_idle_until": now + idle}
    )


def end(session: Session, *, token: str) -> None:
    session.execute(_END, {"b_hash": _hash(token)})


def csrf_token(key: bytes, token: str) -> str:
    """The session's CSRF token: forms carry it, and a cross-site page cannot read it."""
    return hmac.new(key, b"console-csrf:" + token.encode(), hashlib.sha256).hexdigest()


def csrf_ok(key: bytes, token: str, sent: str | None) -> bool:
    # As bytes: compare_digest refuses a str with non-ASCII characters (a TypeError).
    return bool(sent) and hmac.compare_digest(
        csrf_token(key, token).encode(), (sent or "").encode()
    )
