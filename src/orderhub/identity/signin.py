"""The one sequence every password or client-secret sign-in runs.

Short transactions around the slow hash, never one held across it:

1. find what the sign-in names (a read);
2. claim an attempt of the name's failed-attempt budget (its own short write, committed
   before the check, so parallel guesses cannot outrun the lock);
3. check the secret on the hashing threads, with no connection held;
4. on success, give the attempt back (a short write).

The budget is keyed by the name as sent, whether or not it exists: an unknown username
locks exactly like a known one, so a lockout tells nobody which names exist.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.orm import Session

from orderhub.db import Database
from orderhub.identity import attempts
from orderhub.identity.hashing import PasswordChecks
from orderhub.ids import utcnow

T = TypeVar("T")


async def check_secret(
    database: Database,
    passwords: PasswordChecks,
    *,
    budget_key: str,
    policy: attempts.AttemptPolicy,
    find: Callable[[Session], T | None],
    matches: Callable[[T | None, str], bool],
    secret: str,
) -> T | None:
    """What `find` found, if `secret` is its secret (`matches`, run off the event loop);
    None otherwise. 429 while the budget of `budget_key` is spent."""
    async with database.request_transaction(write=False) as session:
        found = find(session)
    async with database.request_transaction(write=True) as session:
        attempts.claim(session, key=budget_key, policy=policy, now=utcnow())
    if not await passwords.run(matches, found, secret):
        return None
    async with database.request_transaction(write=True) as session:
        attempts.succeeded(session, key=budget_key)
    return found
