"""Failed-attempt budgets: every credential check is counted as a failure *before* it runs.

Checking a password or a client secret takes ~20-100 ms of hashing, so a lock that is
only updated after the check lets a burst of parallel guesses all be evaluated (each
reads "4 failures so far" before any has been counted). Here the attempt is claimed
first, by one atomic statement that refuses once the budget is spent, and a success
gives it back by deleting the row. So of N parallel guesses at most `max_failures` are
ever checked before the lock, however they interleave, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, delete, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from orderhub import metrics
from orderhub.errors import TooManyRequests
from orderhub.identity.models import AttemptBudget

BUDGETS = AttemptBudget.__table__


@dataclass(frozen=True)
class AttemptPolicy:
    """`max_failures` in a row lock the credential; each lock in a row lasts twice the one
    before, from `first_lock` up to `max_lock`. `code` is the 429 problem's code."""

    max_failures: int
    first_lock: timedelta
    max_lock: timedelta
    code: str = "sign_in_locked"

    def lock_for(self, locks_before: int) -> timedelta:
        return min(self.first_lock * 2 ** min(locks_before, 16), self.max_lock)


# Passwords (consumer and portal): five wrong in a row lock sign-in for 15 minutes.
PASSWORD = AttemptPolicy(5, timedelta(minutes=15), timedelta(minutes=15), "password_locked")
PORTAL_PASSWORD = AttemptPolicy(5, timedelta(minutes=15), timedelta(minutes=15))
# Client secrets are 256 random bits, so guessing is hopeless; the budget bounds the
# hashing an attacker can make us do, and stays short because client ids are not secret
# (anyone can spend a partner's budget, and the partner then waits this long).
CLIENT_SECRET = AttemptPolicy(10, timedelta(minutes=1), timedelta(minutes=15), "too_many_attempts")
# One phone or e-mail across all its one-time codes (each code also allows 5 tries):
# ten wrong codes in a row lock it for 15 minutes, then 30, 60... up to a day.
# docs/api-conventions.md gives the resulting guess rate.
OTP_IDENTIFIER = AttemptPolicy(10, timedelta(minutes=15), timedelta(hours=24))


class SignInLocked(TooManyRequests):
    code = "sign_in_locked"
    title = "Sign-in locked"


def _claim(insert):  # type: ignore[no-untyped-def]
    statement = insert(BUDGETS).values(
        key=bindparam("b_key"),
        failed_attempts=1,
        locks=0,
        locked_until=None,
        updated_at=bindparam("b_now"),
    )
    # A locked row is left alone, so nothing is returned: the caller is refused.
    return statement.on_conflict_do_update(
        index_elements=[BUDGETS.c.key],
        set_={
            "failed_attempts": BUDGETS.c.failed_attempts + 1,
            "updated_at": statement.excluded.updated_at,
        },
        where=or_(BUDGETS.c.locked_until.is_(None), BUDGETS.c.locked_until <= bindparam("b_now")),
    ).returning(BUDGETS.c.failed_attempts, BUDGETS.c.locks)


_CLAIM = {"postgresql": _claim(postgresql.insert), "sqlite": _claim(sqlite.insert)}
_LOCK = (
    update(BUDGETS)
    .where(BUDGETS.c.key == bindparam("b_key"))
    .values(failed_attempts=0, locks=BUDGETS.c.locks + 1, locked_until=bindparam("b_until"))
)
_LOCKED_UNTIL = select(BUDGETS.c.locked_until).where(BUDGETS.c.key == bindparam("b_key"))
_GIVE_BACK = delete(BUDGETS).where(BUDGETS.c.key == bindparam("b_key"))


def claim(session: Session, *, key: str, policy: AttemptPolicy, now: datetime) -> None:
    """Count one attempt at `key` as failed before checking it; 429 while it is locked.

    The attempt that spends the budget still gets checked, and locks the key for the
    others. Commit before the slow check, so concurrent attempts see the count."""
    dialect = session.get_bind().dialect.name
    row = session.execute(_CLAIM[dialect], {"b_key": key, "b_now": now}).first()
    if row is None:
        refuse_if_locked(session, key=key, now=now, code=policy.code)
        return  # unlocked in between (a success gave the budget back): not counted
    if row.failed_attempts >= policy.max_failures:
        until = now + policy.lock_for(row.locks)
        session.execute(_LOCK, {"b_key": key, "b_until": until})


def refuse_if_locked(
    session: Session, *, key: str, now: datetime, code: str = SignInLocked.code
) -> None:
    until = session.execute(_LOCKED_UNTIL, {"b_key": key}).scalar()
    if until is not None and until > now:
        metrics.SIGN_INS_REFUSED.labels("locked").inc()
        raise SignInLocked(
            "Sign-in is locked after too many failed attempts; try again later.",
            code=code,
            headers={"Retry-After": str(int((until - now).total_seconds()) + 1)},
        )


def succeeded(session: Session, *, key: str) -> None:
    """A right answer clears the failures in a row (and any lock they led to)."""
    session.execute(_GIVE_BACK, {"b_key": key})
