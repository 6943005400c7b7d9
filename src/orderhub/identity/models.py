from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from orderhub.db import Base, UTCDateTime


class OtpChallenge(Base):
    """One issued one-time code. Only its keyed hash is kept."""

    __tablename__ = "otp_challenges"
    __table_args__ = (
        Index("ix_otp_challenges_expires_at", "expires_at"),
        Index("ix_otp_challenges_identifier_created", "identifier", "created_at"),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    identifier: Mapped[str] = mapped_column(String(254))
    channel: Mapped[str] = mapped_column(String(10))
    code_hash: Mapped[str] = mapped_column(String(64))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    consumed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class PasswordCredential(Base):
    __tablename__ = "password_credentials"

    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"), primary_key=True)
    username: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))


class InstanceSecret(Base):
    """Secrets generated at first start when the operator did not set them."""

    __tablename__ = "instance_secrets"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))


class AttemptBudget(Base):
    """Failed sign-in attempts in a row for one credential, claimed before each check.

    `key` names the credential: `password:<username>`, `portal:<account id>`,
    `client:<client id>`, `otp:<phone or e-mail>` (identity/attempts.py). A row exists
    only while a credential has failures in a row; a successful sign-in deletes it.
    """

    __tablename__ = "attempt_budgets"
    __table_args__ = (Index("ix_attempt_budgets_updated_at", "updated_at"),)

    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    failed_attempts: Mapped[int] = mapped_column(Integer)
    # Locks in a row: each lock may last longer than the one before (AttemptPolicy).
    locks: Mapped[int] = mapped_column(Integer)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
