"""Passkey ceremonies' challenges: issued, kept as a hash, consumed once.

A challenge lives PASSKEY_CHALLENGE_TTL. The answer names it by id and is accepted once:
`consume` spends it by one conditional UPDATE (unused and unexpired), so a replay or a
second concurrent use finds nothing to spend and is refused. Expired challenges are
deleted by the retention loop (retention.py), like spent one-time codes.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Row, bindparam, select, update
from sqlalchemy.orm import Session

from orderhub.errors import FieldProblem, OrderHubError
from orderhub.identity import passkey_checks as checks
from orderhub.identity.models import PasskeyChallenge
from orderhub.ids import new_id, utcnow

PASSKEY_CHALLENGE_TTL = timedelta(minutes=5)

CHALLENGES = PasskeyChallenge.__table__
_CHALLENGE = select(CHALLENGES).where(CHALLENGES.c.id == bindparam("b_id"))
_CONSUME = (
    update(CHALLENGES)
    .where(
        CHALLENGES.c.id == bindparam("b_id"),
        CHALLENGES.c.consumed_at.is_(None),
        CHALLENGES.c.expires_at > bindparam("b_now"),
    )
    .values(consumed_at=bindparam("b_now"))
)


class PasskeyChallengeRejected(OrderHubError):
    status = 400
    code = "passkey_challenge_unknown"
    title = "Passkey challenge rejected"


def start(
    session: Session, *, purpose: str, challenge: bytes, customer_id: str | None
) -> PasskeyChallenge:
    """Keep a new challenge (its hash) for `purpose`, owned by `customer_id` if any."""
    now = utcnow()
    row = PasskeyChallenge(
        id=new_id("pkc"),
        purpose=purpose,
        challenge_hash=checks.hash_challenge(challenge),
        customer_id=customer_id,
        expires_at=now + PASSKEY_CHALLENGE_TTL,
        consumed_at=None,
        created_at=now,
    )
    session.execute(CHALLENGES.insert(), _columns(row))
    return row


def _columns(row: PasskeyChallenge) -> dict[str, object]:
    return {c.name: getattr(row, c.name) for c in CHALLENGES.columns}


def consume(session: Session, *, challenge_id: str, purpose: str, customer_id: str | None) -> Row:
    """The challenge, now spent; 400 naming why when it cannot be used."""
    now = utcnow()
    challenge = session.execute(_CHALLENGE, {"b_id": challenge_id}).first()
    # Another ceremony's challenge, or another customer's registration, does not exist here.
    if (
        challenge is None
        or challenge.purpose != purpose
        or (customer_id is not None and challenge.customer_id != customer_id)
    ):
        raise _challenge_problem("passkey_challenge_unknown", "No such challenge; ask for options.")
    if challenge.consumed_at is not None:
        raise _challenge_problem("passkey_challenge_used", "This challenge was already used.")
    if challenge.expires_at <= now:
        raise _challenge_problem("passkey_challenge_expired", "This challenge has expired.")
    if session.execute(_CONSUME, {"b_id": challenge_id, "b_now": now}).rowcount != 1:
        # Consumed (or expired) between the read and now: a concurrent use won.
        raise _challenge_problem("passkey_challenge_used", "This challenge was already used.")
    return challenge


def _challenge_problem(code: str, message: str) -> PasskeyChallengeRejected:
    detail = f"{message} Start again with new options."
    return PasskeyChallengeRejected(
        detail, code=code, errors=[FieldProblem("challengeId", code, detail)]
    )
