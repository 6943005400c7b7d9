"""Notes against an onboarding account, and reading its payments (charging is
payments.py)."""

from __future__ import annotations

from sqlalchemy import Row, bindparam, insert, select
from sqlalchemy.orm import Session

from orderhub.ids import new_id, utcnow
from orderhub.onboarding.models import AccountNote, Payment

NOTES = AccountNote.__table__
PAYMENTS = Payment.__table__
_NOTES_OF = (
    select(NOTES)
    .where(NOTES.c.account_id == bindparam("b_id"))
    .order_by(NOTES.c.created_at.desc(), NOTES.c.id)
    .limit(bindparam("b_limit"))
)
_PAYMENTS_OF = (
    select(PAYMENTS)
    .where(PAYMENTS.c.account_id == bindparam("b_id"))
    .order_by(PAYMENTS.c.created_at.desc(), PAYMENTS.c.id)
    .limit(bindparam("b_limit"))
)


def add_note(session: Session, *, account_id: str, text: str, author: str) -> Row:
    return session.execute(
        insert(NOTES).returning(*NOTES.c),
        {
            "id": new_id("nte"),
            "account_id": account_id,
            "text": text,
            "author": author,
            "created_at": utcnow(),
        },
    ).one()


def notes_of(session: Session, *, account_id: str, limit: int) -> list[Row]:
    return list(session.execute(_NOTES_OF, {"b_id": account_id, "b_limit": limit}))


def payments_of(session: Session, *, account_id: str, limit: int) -> list[Row]:
    return list(session.execute(_PAYMENTS_OF, {"b_id": account_id, "b_limit": limit}))
