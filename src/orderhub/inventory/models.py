"""The subscriber inventory every channel shares: accounts, lines (subscribers) and features.

A line exists from the moment it is sold (PreActive) until long after it is cancelled;
consumer orders, onboarding and care orders all act on these rows.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from orderhub.db import Base, UTCDateTime


class InventoryAccount(Base):
    """A billing account lines belong to: a business account's foundation account number
    (FAN), or a consumer's wireless account number."""

    __tablename__ = "inventory_accounts"

    number: Mapped[str] = mapped_column(String(20), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # business | consumer
    name: Mapped[str] = mapped_column(String(200))
    # The consumer customer or business end customer behind it, when known.
    customer_id: Mapped[str | None] = mapped_column(String(40), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class AccountGroup(Base):
    __tablename__ = "inventory_account_groups"

    id: Mapped[str] = mapped_column(String(20), primary_key=True)
    account_number: Mapped[str] = mapped_column(ForeignKey("inventory_accounts.number"), index=True)
    name: Mapped[str] = mapped_column(String(200))


class AccountAccess(Base):
    """Which partners' API clients may read and change an account's lines."""

    __tablename__ = "inventory_account_access"
    # A partner's accounts, found by partner (the key starts with the account).
    __table_args__ = (Index("ix_inventory_account_access_partner", "partner_id"),)

    account_number: Mapped[str] = mapped_column(
        ForeignKey("inventory_accounts.number"), primary_key=True
    )
    partner_id: Mapped[str] = mapped_column(ForeignKey("partners.id"), primary_key=True)


class RatePlan(Base):
    __tablename__ = "inventory_rate_plans"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    monthly_cents: Mapped[int] = mapped_column(Integer)


class Feature(Base):
    """A feature (SKU) of the catalog. Features sharing a `conflict_group` exclude each
    other on one line; `plans` lists the rate plans it is sold with (empty: all)."""

    __tablename__ = "inventory_features"

    sku: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    recurring: Mapped[bool] = mapped_column(Boolean)
    monthly_cents: Mapped[int] = mapped_column(Integer)
    conflict_group: Mapped[str | None] = mapped_column(String(40))
    plans: Mapped[list[str]] = mapped_column(JSON)


class Subscriber(Base):
    """A line, identified by its CTN (the phone number)."""

    __tablename__ = "subscribers"
    __table_args__ = (Index("ix_subscribers_account_ctn", "account_number", "ctn"),)

    ctn: Mapped[str] = mapped_column(String(10), primary_key=True)
    account_number: Mapped[str] = mapped_column(ForeignKey("inventory_accounts.number"))
    account_group_id: Mapped[str | None] = mapped_column(ForeignKey("inventory_account_groups.id"))
    status: Mapped[str] = mapped_column(String(20))  # preActive|active|suspended|cancelled
    rate_plan_id: Mapped[str] = mapped_column(String(64))
    bill_cycle_day: Mapped[int] = mapped_column(Integer)
    udl: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    imei: Mapped[str | None] = mapped_column(String(15), index=True)
    iccid: Mapped[str | None] = mapped_column(String(20))
    network_block: Mapped[bool] = mapped_column(Boolean, default=False)
    subscriber_contact: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))
    billing_contact: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))
    voicemail: Mapped[dict[str, Any]] = mapped_column(JSON)
    # Where the line came from: the order that sold it (`ord_...`), when it was sold here.
    source_order_id: Mapped[str | None] = mapped_column(String(40), index=True)
    activated_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SubscriberFeature(Base):
    __tablename__ = "subscriber_features"
    __table_args__ = (Index("ix_subscriber_features_ctn_sku", "ctn", "sku"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    ctn: Mapped[str] = mapped_column(ForeignKey("subscribers.ctn"))
    sku: Mapped[str] = mapped_column(ForeignKey("inventory_features.sku"))
    status: Mapped[str] = mapped_column(String(20))  # active | removed
    effective_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SubscriberEvent(Base):
    """The line's history: one row per change (who, what, when)."""

    __tablename__ = "subscriber_events"
    __table_args__ = (Index("ix_subscriber_events_ctn_seq", "ctn", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    ctn: Mapped[str] = mapped_column(ForeignKey("subscribers.ctn"))
    type: Mapped[str] = mapped_column(String(60))
    actor: Mapped[str] = mapped_column(String(80))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class PackageSubscription(Base):
    """A package plan an account subscribes to (onboarding submit creates one)."""

    __tablename__ = "inventory_package_subscriptions"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    account_number: Mapped[str] = mapped_column(ForeignKey("inventory_accounts.number"), index=True)
    package_id: Mapped[str] = mapped_column(String(64))
    package_plan_id: Mapped[str] = mapped_column(String(64))
    term_months: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20))
    source_order_id: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ServiceSubscription(Base):
    __tablename__ = "inventory_service_subscriptions"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    package_subscription_id: Mapped[str] = mapped_column(
        ForeignKey("inventory_package_subscriptions.id"), index=True
    )
    service_type_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class InventoryService(Base):
    """A service as provisioned: PreActive until fulfilment activates it."""

    __tablename__ = "inventory_services"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    service_subscription_id: Mapped[str] = mapped_column(
        ForeignKey("inventory_service_subscriptions.id"), index=True
    )
    account_number: Mapped[str] = mapped_column(ForeignKey("inventory_accounts.number"), index=True)
    service_type_id: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(20))
    configuration: Mapped[dict[str, Any]] = mapped_column(JSON)
    features: Mapped[list[str]] = mapped_column(JSON)
    contacts: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    identifiers: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    # The service qualification it was sold on (kind, sqId, location or phone found).
    qualification: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ServiceIdentifier(Base):
    """An identifier a provisioned service holds (a PPPoE or SIP username, a mailbox):
    one service per realm, name and value, so two customers never share a login."""

    __tablename__ = "inventory_service_identifiers"

    realm: Mapped[str] = mapped_column(String(100), primary_key=True)  # "" when none
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(200), primary_key=True)  # lower case
    service_id: Mapped[str] = mapped_column(ForeignKey("inventory_services.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
