from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, LargeBinary, String
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


class PasskeyCredential(Base):
    """A customer's passkey (WebAuthn credential): its id, public key and signature count.

    `credential_id` is the authenticator's id of the credential, base64url; `sign_count`
    is the authenticator's counter at the last sign-in (32 bits unsigned, hence BIGINT).
    """

    __tablename__ = "passkey_credentials"
    __table_args__ = (Index("ix_passkey_credentials_customer", "customer_id", "created_at"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"))
    # WebAuthn allows ids up to 1023 bytes: 1364 characters of base64url.
    credential_id: Mapped[str] = mapped_column(String(1400), unique=True)
    public_key: Mapped[bytes] = mapped_column(LargeBinary)
    sign_count: Mapped[int] = mapped_column(BigInteger)
    transports: Mapped[str] = mapped_column(String(200))  # comma-separated, maybe empty
    name: Mapped[str] = mapped_column(String(100))
    backed_up: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class PasskeyChallenge(Base):
    """One registration or sign-in ceremony's challenge: single use, expiring.

    Only the SHA-256 of the challenge is kept; the answer carries the challenge itself
    (in its clientDataJSON), which is checked against it. `customer_id` is the customer
    registering, or the one a sign-in was narrowed to (null: any discoverable passkey).
    """

    __tablename__ = "passkey_challenges"
    __table_args__ = (Index("ix_passkey_challenges_expires_at", "expires_at"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    purpose: Mapped[str] = mapped_column(String(20))  # registration | authentication
    challenge_hash: Mapped[str] = mapped_column(String(64))
    customer_id: Mapped[str | None] = mapped_column(ForeignKey("customers.id"))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    consumed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
