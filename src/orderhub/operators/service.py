"""Operator users: create, list, change role, disable; and the sign-in check, through
the sequence every password sign-in runs (identity/signin.py)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Row, bindparam, delete, func, insert, select, update
from sqlalchemy.orm import Session

from orderhub.db import Database, serialize_on
from orderhub.errors import Conflict, FieldProblem, NotFound, ValidationFailed
from orderhub.identity import attempts
from orderhub.identity.hashing import PasswordChecks
from orderhub.identity.service import hash_password, password_matches
from orderhub.identity.signin import check_secret
from orderhub.ids import new_id, utcnow
from orderhub.operators import rules
from orderhub.operators.models import ConsoleSession, OperatorUser

USERS = OperatorUser.__table__
SESSIONS = ConsoleSession.__table__

# Console passwords: five wrong in a row lock the username for 15 minutes, as the
# portal's; the budget is kept per name as typed (unknown names lock like known ones).
CONSOLE_PASSWORD = attempts.AttemptPolicy(
    5, timedelta(minutes=15), timedelta(minutes=15), "sign_in_locked"
)

_BY_NAME = select(USERS).where(USERS.c.username == bindparam("b_name"))
_BY_ID = select(USERS).where(USERS.c.id == bindparam("b_id"))


class OperatorNotFound(NotFound):
    code = "operator_not_found"
    title = "Operator not found"


class UsernameTaken(Conflict):
    code = "username_taken"
    title = "Username taken"


def _checked(*, username: str, password: str | None, role: str) -> None:
    problems = []
    if problem := rules.username_problem(username):
        problems.append(FieldProblem("username", "format", problem))
    if password is not None and (problem := rules.password_problem(password)):
        problems.append(FieldProblem("password", "length", problem))
    if role not in {r.value for r in rules.Role}:
        problems.append(FieldProblem("role", "enum", "The role is viewer, agent or admin."))
    if problems:
        raise ValidationFailed(problems[0].message, errors=problems)


def create(
    session: Session,
    *,
    username: str,
    password: str,
    role: str,
    display_name: str | None = None,
    sandbox: bool = False,
) -> Row:
    """A new operator user (argon2 hash of the password); 409 if the name is taken.
    `sandbox`: one of the sandbox's users, whose password is published, so they may sign
    in only while sandbox mode is on."""
    _checked(username=rules.username(username), password=password, role=role)
    return add(
        session,
        username=username,
        password_hash=hash_password(password),
        role=role,
        display_name=display_name,
        sandbox=sandbox,
    )


def add(
    session: Session,
    *,
    username: str,
    password_hash: str,
    role: str,
    display_name: str | None = None,
    sandbox: bool = False,
) -> Row:
    """A new operator user whose password was hashed already (the console hashes on the
    hashing threads, before its transaction opens: `hash_new_password`); 409 if the name
    is taken."""
    name = rules.username(username)
    _checked(username=name, password=None, role=role)
    # Two admins creating one name at once: the second waits, then finds it taken.
    serialize_on(session, f"operator-name:{name}")
    if session.execute(_BY_NAME, {"b_name": name}).first() is not None:
        raise UsernameTaken(f"There is already an operator named '{name}'.")
    now = utcnow()
    user_id = new_id("opu")
    session.execute(
        insert(USERS).values(
            id=user_id,
            username=name,
            display_name=(display_name or name).strip()[:100] or name,
            role=role,
            password_hash=password_hash,
            created_at=now,
            updated_at=now,
            disabled_at=None,
            sandbox=sandbox,
        )
    )
    return session.execute(_BY_ID, {"b_id": user_id}).one()


def problems(*, username: str, password: str | None, role: str) -> list[FieldProblem]:
    """What keeps these from making an operator user (none: they may)."""
    try:
        _checked(username=rules.username(username), password=password, role=role)
    except ValidationFailed as failed:
        return list(failed.errors)
    return []


async def hash_new_password(passwords: PasswordChecks, password: str) -> str:
    """The argon2 hash of a new password, computed on the hashing threads."""
    return await passwords.run(hash_password, password)


def find(session: Session, *, username: str) -> Row | None:
    return session.execute(_BY_NAME, {"b_name": rules.username(username)}).first()


def get(session: Session, *, user_id: str) -> Row:
    found = session.execute(_BY_ID, {"b_id": user_id}).first()
    if found is None:
        raise OperatorNotFound(f"No operator '{user_id}'.")
    return found


def list_all(session: Session) -> list[Row]:
    return list(session.execute(select(USERS).order_by(USERS.c.username)))


def set_role(session: Session, *, user_id: str, role: str) -> Row:
    user = get(session, user_id=user_id)
    _checked(username=user.username, password=None, role=role)
    session.execute(
        update(USERS).where(USERS.c.id == user_id).values(role=role, updated_at=utcnow())
    )
    return get(session, user_id=user_id)


def set_disabled(session: Session, *, user_id: str, disabled: bool) -> Row:
    """Disable (ending every session of theirs) or enable again."""
    get(session, user_id=user_id)
    now = utcnow()
    session.execute(
        update(USERS)
        .where(USERS.c.id == user_id)
        .values(disabled_at=now if disabled else None, updated_at=now)
    )
    if disabled:
        session.execute(delete(SESSIONS).where(SESSIONS.c.user_id == user_id))
    return get(session, user_id=user_id)


class LastAdmin(Conflict):
    code = "last_admin"
    title = "The last admin"


class OwnAccount(Conflict):
    code = "own_account"
    title = "Your own account"


# Two admins demoting or disabling each other at once must not both pass the check.
_ADMINS_KEY = "operators:active-admins"
_ACTIVE_ADMINS = select(func.count()).where(USERS.c.role == "admin", USERS.c.disabled_at.is_(None))


def _keep_an_admin(session: Session, user: Row) -> None:
    """Refuse to leave no active admin: someone must be able to manage operators."""
    if user.role != "admin" or user.disabled_at is not None:
        return
    serialize_on(session, _ADMINS_KEY)
    if session.execute(_ACTIVE_ADMINS).scalar_one() <= 1:
        raise LastAdmin(
            f"'{user.username}' is the last active admin: make another operator an admin first."
        )


def change_role(session: Session, *, user_id: str, role: str) -> Row:
    """An admin's change of a role (the console): never the last active admin's."""
    user = get(session, user_id=user_id)
    if role != "admin":
        _keep_an_admin(session, user)
    return set_role(session, user_id=user_id, role=role)


def change_disabled(session: Session, *, user_id: str, disabled: bool, by_user_id: str) -> Row:
    """An admin disables or enables an operator (the console): never themselves, never the
    last active admin."""
    user = get(session, user_id=user_id)
    if disabled:
        if user_id == by_user_id:
            raise OwnAccount("You cannot disable your own account; ask another admin.")
        _keep_an_admin(session, user)
    return set_disabled(session, user_id=user_id, disabled=disabled)


def budget_key(username: str) -> str:
    return f"console:{rules.username(username)}"


def _usable(sandbox_mode: bool):  # type: ignore[no-untyped-def]
    def matches(user: Row | None, password: str) -> bool:
        """As slow for an unknown, disabled or sandbox user as for a known one (argon2
        either way)."""
        right = password_matches(user.password_hash if user else None, password)
        return (
            right
            and user is not None
            and user.disabled_at is None
            and (sandbox_mode or not user.sandbox)
        )

    return matches


async def check_password(
    database: Database,
    passwords: PasswordChecks,
    *,
    username: str,
    password: str,
    sandbox_mode: bool,
) -> Row | None:
    """The user whose password this is, or None (also for a sandbox user outside sandbox
    mode); 429 while the name's budget is spent."""
    return await check_secret(
        database,
        passwords,
        budget_key=budget_key(username),
        policy=CONSOLE_PASSWORD,
        find=lambda session: find(session, username=username),
        matches=_usable(sandbox_mode),
        secret=password,
    )
