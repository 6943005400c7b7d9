"""The outbox (every event of every owner), webhook subscriptions and deliveries, and the
cursor of the dispatcher that turns events into deliveries."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from orderhub.db import Base, UTCDateTime


class OutboxEvent(Base):
    """One event, written in the transaction of the change it reports.

    `seq` orders one owner's events for polling (`after=<seq>`); `(txid, seq)` orders
    every owner's events, gap-free, for the global stream (webhooks/stream.py); `id`
    is the stable id receivers use to drop duplicates.
    """

    __tablename__ = "outbox_events"
    __table_args__ = (
        Index("ix_outbox_events_created_at", "created_at"),
        Index("ix_outbox_events_owner_seq", "owner", "seq"),
        Index("ix_outbox_events_txid_seq", "txid", "seq"),
        # An order's events on its console page (operations console, docs/console.md).
        Index("ix_outbox_events_subject", "subject", "seq"),
    )

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    # The writing transaction's id on PostgreSQL (the column's default is
    # pg_current_xact_id(), migration 0015); 0 on SQLite, whose writers commit in seq order.
    txid: Mapped[int] = mapped_column(BigInteger, server_default=text("0"))
    id: Mapped[str] = mapped_column(String(40), unique=True)
    owner: Mapped[str] = mapped_column(String(60))
    type: Mapped[str] = mapped_column(String(80))
    subject: Mapped[str] = mapped_column(String(60))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class WebhookSubscription(Base):
    """A partner's callback URL and the event types it wants.

    The signing secret is not stored: it is derived from the instance key, the
    subscription id and `secret_version` (rules.signing_secret), so a database leak
    reveals no secret; rotating bumps the version.
    """

    __tablename__ = "webhook_subscriptions"
    __table_args__ = (Index("ix_webhook_subscriptions_owner_created", "owner", "created_at"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    owner: Mapped[str] = mapped_column(String(60))
    url: Mapped[str] = mapped_column(String(2000))
    event_types: Mapped[list[str]] = mapped_column(JSON)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    secret_version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # A TM Forum hub listener (surfaces/tmf/hub_routes.py): the TMF API it was registered
    # on (`api`), its `query` as sent, and the base URL its events' hrefs are built from.
    # Null for an OrderHub webhook.
    api: Mapped[str | None] = mapped_column(String(40))
    query: Mapped[str | None] = mapped_column(String(1000))
    base_url: Mapped[str | None] = mapped_column(String(500))


class WebhookDelivery(Base):
    """One event to one subscription: pending until a 2xx, retried with backoff, then failed."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        Index("ix_webhook_deliveries_created_at", "created_at"),
        Index("ix_webhook_deliveries_event_seq", "event_seq"),
        Index("ix_webhook_deliveries_due", "status", "next_attempt_at"),
        Index("ix_webhook_deliveries_subscription", "subscription_id", "created_at"),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    event_seq: Mapped[int] = mapped_column(ForeignKey("outbox_events.seq"))
    subscription_id: Mapped[str] = mapped_column(ForeignKey("webhook_subscriptions.id"))
    status: Mapped[str] = mapped_column(String(20))  # pending | delivered | failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_status_code: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(String(200))
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Who last queued it again after it failed (`operator:<username>`), and when: the
    # console's redeliver, recorded on the delivery itself.
    redelivered_by: Mapped[str | None] = mapped_column(String(100))
    redelivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class OutboxCursor(Base):
    """How far a reader of the global stream has come: the `(txid, seq)` of the last event
    it has handled. One row, `deliveries`: the dispatcher's (webhooks/dispatch.py)."""

    __tablename__ = "outbox_cursors"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    txid: Mapped[int] = mapped_column(BigInteger)
    seq: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
