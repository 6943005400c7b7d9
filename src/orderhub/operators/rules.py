"""What each console role may do, and what a username and a password must be. Pure
functions of values."""

from __future__ import annotations

from enum import IntEnum, StrEnum


class Role(StrEnum):
    VIEWER = "viewer"  # reads orders, queues, customers, the dashboard
    AGENT = "agent"  # ...and decides exception requests, redelivers failed webhooks
    ADMIN = "admin"  # ...and manages operators, partners and webhooks


class _Rank(IntEnum):
    viewer = 1
    agent = 2
    admin = 3


def may(role: str, needed: Role) -> bool:
    """Whether `role` covers `needed`: each role may do what the ones below it may."""
    return _Rank[role] >= _Rank[needed.value]


USERNAME_MAX = 64
PASSWORD_MIN = 12
PASSWORD_MAX = 200


def username(raw: str) -> str:
    """The name a user is stored, found and budgeted by: trimmed, lower case."""
    return raw.strip().lower()


def username_problem(name: str) -> str | None:
    if not name:
        return "A username is required."
    if len(name) > USERNAME_MAX:
        return f"A username has at most {USERNAME_MAX} characters."
    if not all(c.isalnum() or c in "._@-" for c in name):
        return "A username may hold letters, digits and . _ @ - only."
    return None


def password_problem(password: str) -> str | None:
    if len(password) < PASSWORD_MIN:
        return f"A password has at least {PASSWORD_MIN} characters."
    if len(password) > PASSWORD_MAX:
        return f"A password has at most {PASSWORD_MAX} characters."
    return None
