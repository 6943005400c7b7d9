"""The time scheduled work runs by: real time, or in sandbox mode a test clock.

Integrators move the test clock over HTTP (`POST /sandbox/v1/clock`), like a payment
provider's test clocks, to see changes due "next billing cycle" happen now. Its offset
lives in the database so every server and worker process sees the same time. It never
moves backwards, except when reset to real time.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Float, Integer, bindparam, insert, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from orderhub.db import Base, UTCDateTime
from orderhub.errors import ValidationFailed
from orderhub.ids import utcnow


class ClockSetting(Base):
    __tablename__ = "sandbox_clock"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)  # always 1: one clock
    offset_seconds: Mapped[float] = mapped_column(Float)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


CLOCK = ClockSetting.__table__
_OFFSET = select(CLOCK.c.offset_seconds).where(CLOCK.c.id == 1)
_SET = (
    update(CLOCK)
    .where(CLOCK.c.id == 1)
    .values(offset_seconds=bindparam("b_offset"), updated_at=bindparam("b_now"))
)


def offset(session: Session) -> float:
    return session.execute(_OFFSET).scalar() or 0.0


def now(session: Session, *, sandbox: bool) -> datetime:
    """The current time for scheduling: real time, shifted by the test clock in sandbox mode."""
    real = utcnow()
    return real + timedelta(seconds=offset(session)) if sandbox else real


def move(
    session: Session, *, advance_days: int | None = None, to: datetime | None = None
) -> datetime:
    """Move the test clock forward by days or to a moment; returns the new test time."""
    real = utcnow()
    current = real + timedelta(seconds=offset(session))
    target = current + timedelta(days=advance_days) if advance_days is not None else to
    assert target is not None
    if target < current:
        raise ValidationFailed.one(
            "now",
            "clock_backwards",
            f"The test clock is at {current.isoformat()}; it only moves forward (reset it).",
        )
    _store(session, (target - real).total_seconds(), real)
    return target


def reset(session: Session) -> datetime:
    """Back to real time."""
    real = utcnow()
    _store(session, 0.0, real)
    return real


def _store(session: Session, seconds: float, at: datetime) -> None:
    if session.execute(_SET, {"b_offset": seconds, "b_now": at}).rowcount == 0:
        session.execute(insert(CLOCK), {"id": 1, "offset_seconds": seconds, "updated_at": at})
