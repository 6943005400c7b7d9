"""SMS and e-mail port. The sandbox keeps every message so a developer can read an OTP
at GET /sandbox/v1/messages; a real provider would send instead."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from sqlalchemy import Index, Integer, Row, String, bindparam, insert, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from orderhub.db import Base, UTCDateTime
from orderhub.errors import OrderHubError
from orderhub.ids import utcnow


class SentMessage(Base):
    __tablename__ = "sandbox_messages"
    __table_args__ = (Index("ix_sandbox_messages_created_at", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    recipient: Mapped[str] = mapped_column(String(254), index=True)
    channel: Mapped[str] = mapped_column(String(10))
    body: Mapped[str] = mapped_column(String(1000))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Messenger(Protocol):
    # False when nothing can be sent: callers refuse up front what would need a message.
    can_send: bool

    def send(self, session: Session, *, to: str, channel: str, body: str) -> None: ...


_MESSAGES = SentMessage.__table__
_INSERT_MESSAGE = insert(_MESSAGES)
_MESSAGES_TO = (
    select(_MESSAGES)
    .where(_MESSAGES.c.recipient == bindparam("recipient"))
    .order_by(_MESSAGES.c.id.desc())
    .limit(bindparam("limit"))
)


class SandboxMessenger:
    """Writes the message in the request's transaction: a rolled-back request sends nothing.
    (A real provider sends over the network: it should queue the message in the session
    and send it after commit, so a rolled-back transaction sends nothing either.)"""

    can_send = True

    def send(self, session: Session, *, to: str, channel: str, body: str) -> None:
        session.execute(
            _INSERT_MESSAGE,
            {"recipient": to, "channel": channel, "body": body, "created_at": utcnow()},
        )

    @staticmethod
    def messages_to(session: Session, recipient: str, limit: int = 20) -> list[Row]:
        return list(session.execute(_MESSAGES_TO, {"recipient": recipient, "limit": limit}))


class MessagingUnavailable(OrderHubError):
    status = 503
    code = "messaging_unavailable"
    title = "Messaging is not configured"


class UnconfiguredMessenger:
    """Production without a provider: refuse clearly rather than pretend to send."""

    can_send = False

    def send(self, session: Session, *, to: str, channel: str, body: str) -> None:
        raise MessagingUnavailable("No SMS/e-mail provider is configured for this deployment.")
