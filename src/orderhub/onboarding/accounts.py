"""A service provider's end-customer accounts, with their portal credentials."""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy import Row, bindparam, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from orderhub.db import Database
from orderhub.errors import Conflict, NotFound, Unauthorized
from orderhub.identity import attempts
from orderhub.identity.hashing import PasswordChecks
from orderhub.identity.service import password_matches
from orderhub.identity.signin import check_secret
from orderhub.ids import new_id, utcnow
from orderhub.onboarding.models import OnboardingAccount

ACCOUNTS = OnboardingAccount.__table__
_OF_PARTNER = select(ACCOUNTS).where(
    ACCOUNTS.c.id == bindparam("b_id"), ACCOUNTS.c.partner_id == bindparam("b_partner")
)
_BY_USERNAME = select(ACCOUNTS).where(
    ACCOUNTS.c.username == bindparam("b_username"), ACCOUNTS.c.partner_id == bindparam("b_partner")
)
# Realms an account's service identifiers may use (sandbox: every account gets these).
DEFAULT_REALMS = ["isp.example", "voice.example"]


class AccountNotFound(NotFound):
    code = "account_not_found"
    title = "Account not found"


class WrongCredentials(Unauthorized):
    code = "invalid_credentials"
    title = "Sign-in failed"


def create(
    session: Session,
    *,
    partner_id: str,
    customer: dict[str, Any],
    primary_contact: dict[str, Any],
    billing_contact: dict[str, Any],
    username: str,
    password_hash: str,
) -> Row:
    """The password arrives hashed: hashing takes ~0.2 s, done off the event loop."""
    username = normalize_username(username)
    try:
        with session.begin_nested():  # a taken username must not abort the transaction
            return session.execute(
                insert(ACCOUNTS).returning(*ACCOUNTS.c),
                {
                    "id": new_id("oac"),
                    "partner_id": partner_id,
                    "number": "7" + "".join(str(secrets.randbelow(10)) for _ in range(9)),
                    "customer": customer,
                    "primary_contact": primary_contact,
                    "billing_contact": billing_contact,
                    "username": username,
                    "password_hash": password_hash,
                    "realms": DEFAULT_REALMS,
                    "created_at": utcnow(),
                },
            ).one()
    except IntegrityError as exc:
        if by_username(session, partner_id=partner_id, username=username) is None:
            raise  # not the username: the random account number collided (1 in 10^9)
        raise Conflict(
            "This username is taken; choose another.",
            code="username_taken",
            title="Username taken",
        ) from exc


def get(session: Session, *, partner_id: str, account_id: str) -> Row:
    row = session.execute(_OF_PARTNER, {"b_id": account_id, "b_partner": partner_id}).first()
    if row is None:
        raise AccountNotFound(f"No account '{account_id}' was found.")
    return row


def of_order(session: Session, *, order: Row) -> Row:
    """The account an onboarding order is for."""
    return get(session, partner_id=order.partner_id, account_id=order.account_id)


def by_username(session: Session, *, partner_id: str, username: str) -> Row | None:
    return session.execute(_BY_USERNAME, {"b_username": username, "b_partner": partner_id}).first()


def normalize_username(raw: str) -> str:
    """Portal usernames are kept and compared lower-cased."""
    return raw.strip().lower()


async def sign_in(
    database: Database,
    passwords: PasswordChecks,
    *,
    partner_id: str,
    username: str,
    password: str,
) -> Row:
    """The partner's account whose portal credentials these are; a 401 that does not say
    which part was wrong otherwise. Five wrong passwords in a row lock the username for 15
    minutes (429). The sequence is identity/signin.py's: the attempt is claimed before the
    slow check, which runs off the event loop with no connection held."""
    username = normalize_username(username)
    found = await check_secret(
        database,
        passwords,
        budget_key=sign_in_budget_key(partner_id=partner_id, username=username),
        policy=attempts.PORTAL_PASSWORD,
        find=lambda session: by_username(session, partner_id=partner_id, username=username),
        matches=password_ok,
        secret=password,
    )
    if found is None:
        raise WrongCredentials("The username or password is wrong.")
    return found


def password_ok(account: Row | None, password: str) -> bool:
    """Whether the password is the account's own; as slow for no account (argon2)."""
    return password_matches(account.password_hash if account else None, password)


def sign_in_budget_key(*, partner_id: str, username: str) -> str:
    """The failed-attempt budget of a portal username, known or not (identity/signin.py)."""
    return f"portal:{partner_id}:{username}"
