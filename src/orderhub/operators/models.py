"""Operations staff who sign in to the console, and their console sessions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from orderhub.db import Base, UTCDateTime


class OperatorUser(Base):
    """A person of the operations team. The console's roles (operators/rules.py) say what
    they may do; the bearer operator token of `/operator/v1` is not a user."""

    __tablename__ = "operator_users"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    # Lower-cased and trimmed (operators/rules.username): found and budgeted by it.
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(10))
    password_hash: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Set: the user may not sign in, and their sessions end.
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # One of the sandbox's users (published password): refused outside sandbox mode.
    sandbox: Mapped[bool] = mapped_column(Boolean, default=False)


class ConsoleSession(Base):
    """A signed-in browser. Only the SHA-256 of the cookie's token is stored, so a copy
    of the table signs nobody in. It ends when idle too long, at its hard expiry, at
    sign-out, or when its user is disabled."""

    __tablename__ = "console_sessions"
    __table_args__ = (Index("ix_console_sessions_user", "user_id"),)

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("operator_users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    idle_until: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
