"""A customer's credit on file: the latest decision about them.

Written by every consumer credit application (`credit/service.submit`) and by loading
customers (the sandbox's come with one); read by a TMF622 order, which copies it into the
order's credit application instead of asking for an SSN (orders' other channels apply
with one). A decision is on file for `VALID_DAYS`, like a partner's reused business
decision."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Row, bindparam, delete, insert, select
from sqlalchemy.orm import Session

from orderhub.credit.models import CustomerCreditProfile

VALID_DAYS = 30

PROFILES = CustomerCreditProfile.__table__
_OF = select(PROFILES).where(PROFILES.c.customer_id == bindparam("b_customer"))
_OF_MANY = select(PROFILES).where(
    PROFILES.c.customer_id.in_(bindparam("b_customers", expanding=True))
)
_DELETE = delete(PROFILES).where(PROFILES.c.customer_id == bindparam("b_customer"))
_INSERT = insert(PROFILES)


def put(
    session: Session,
    *,
    customer_id: str,
    decision: str,
    score: int,
    reference: str,
    at: datetime,
) -> None:
    """Make this decision the customer's credit on file (one row per customer)."""
    session.execute(_DELETE, {"b_customer": customer_id})
    session.execute(
        _INSERT,
        {
            "customer_id": customer_id,
            "decision": decision,
            "score": score,
            "bureau_reference": reference,
            "decided_at": at,
        },
    )


def put_if_absent(
    session: Session, *, customer_id: str, decision: str, score: int, reference: str, at: datetime
) -> None:
    """A decision from a file: on file only for a customer with none yet, so loading a
    file again never replaces a later decision (nor restarts its 30 days)."""
    if get(session, customer_id=customer_id) is None:
        put(
            session,
            customer_id=customer_id,
            decision=decision,
            score=score,
            reference=reference,
            at=at,
        )


def get(session: Session, *, customer_id: str) -> Row | None:
    return session.execute(_OF, {"b_customer": customer_id}).first()


def of_customers(session: Session, *, customer_ids: list[str]) -> dict[str, Row]:
    """The credit on file of each of these customers that has one (one query)."""
    if not customer_ids:
        return {}
    rows = session.execute(_OF_MANY, {"b_customers": customer_ids})
    return {row.customer_id: row for row in rows}


def valid_until(profile: Row) -> datetime:
    return profile.decided_at + timedelta(days=VALID_DAYS)


def current(profile: Row | None, now: datetime) -> bool:
    """Whether a decision on file may still be used."""
    return profile is not None and now < valid_until(profile)
