"""The onboarding catalog: service types with their requirement sets, packages, terms.

Requirement sets are stored as the JSON of their catalog file and read fresh on every
call: a provider changes what a service type needs by reloading the file.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from orderhub.db import Base, UTCDateTime


class ServiceType(Base):
    __tablename__ = "onboarding_service_types"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    check_type: Mapped[str] = mapped_column(String(20))  # simple | GeneralPhone | address
    # configuration, features, featureConflicts, contacts, identifiers (onboarding/rules.py)
    requirements: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Package(Base):
    __tablename__ = "onboarding_packages"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    service_types: Mapped[list[str]] = mapped_column(JSON)
    # [{id, name, monthlyCents, oneTimeCents, termMonths}]
    plans: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class TermsBlock(Base):
    """A block of terms; `applies_to` is `*`, `fixedTerm` or a service type id."""

    __tablename__ = "onboarding_terms"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    version: Mapped[str] = mapped_column(String(20))
    applies_to: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(String(4000))


class Location(Base):
    """A serviceable (or not) address for address SQ: what can be delivered there."""

    __tablename__ = "onboarding_locations"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    address: Mapped[str] = mapped_column(String(300))
    search_key: Mapped[str] = mapped_column(String(300))
    # [{technology, speedTiers: [...]}]; empty: not serviceable, with `reason`
    technologies: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    reason: Mapped[str | None] = mapped_column(String(200))


class OnboardingAccount(Base):
    """An end customer of a service provider (a partner), with portal credentials."""

    __tablename__ = "onboarding_accounts"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    partner_id: Mapped[str] = mapped_column(ForeignKey("partners.id"))
    number: Mapped[str] = mapped_column(String(20), unique=True)
    customer: Mapped[dict[str, Any]] = mapped_column(JSON)
    primary_contact: Mapped[dict[str, Any]] = mapped_column(JSON)
    billing_contact: Mapped[dict[str, Any]] = mapped_column(JSON)
    # Unique per provider, so a provider's customers sign in without naming the provider.
    username: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(200))
    realms: Mapped[list[str]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        Index("ix_onboarding_accounts_partner_created", "partner_id", "created_at"),
        Index("uq_onboarding_accounts_partner_username", "partner_id", "username", unique=True),
    )


class OnboardingOrder(Base):
    __tablename__ = "onboarding_orders"
    __table_args__ = (
        Index("ix_onboarding_orders_account_created", "account_id", "created_at"),
        Index("ix_onboarding_orders_status", "status"),
    )

    # The ledger row (ledger/models.py) has the same id.
    id: Mapped[str] = mapped_column(ForeignKey("orders.id"), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("onboarding_accounts.id"))
    partner_id: Mapped[str] = mapped_column(ForeignKey("partners.id"), index=True)
    status: Mapped[str] = mapped_column(String(30))
    package_plan_id: Mapped[str | None] = mapped_column(String(64))
    # The terms blocks accepted ([{id, version}]) and when; submit needs them.
    terms_accepted: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON(none_as_null=True))
    terms_accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    package_subscription_id: Mapped[str | None] = mapped_column(String(40))
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SqResult(Base):
    """One service qualification of an order: for a service type, by one of three checks."""

    __tablename__ = "onboarding_sq_results"
    __table_args__ = (Index("ix_onboarding_sq_results_order", "order_id", "created_at"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    order_id: Mapped[str] = mapped_column(ForeignKey("onboarding_orders.id"))
    service_type_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(20))  # simple | GeneralPhone | address
    qualified: Mapped[bool] = mapped_column(Boolean)
    reason: Mapped[str | None] = mapped_column(String(200))
    details: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class OrderService(Base):
    """One service of the selected package plan, and what the client set for it."""

    __tablename__ = "onboarding_order_services"
    __table_args__ = (Index("ix_onboarding_order_services_order", "order_id", "position"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    order_id: Mapped[str] = mapped_column(ForeignKey("onboarding_orders.id"))
    position: Mapped[int] = mapped_column(Integer)
    service_type_id: Mapped[str] = mapped_column(String(64))
    configuration: Mapped[dict[str, Any]] = mapped_column(JSON)
    features: Mapped[list[str]] = mapped_column(JSON)
    contacts: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    identifiers: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class AccountNote(Base):
    __tablename__ = "onboarding_notes"
    __table_args__ = (Index("ix_onboarding_notes_account_created", "account_id", "created_at"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("onboarding_accounts.id"))
    text: Mapped[str] = mapped_column(String(4000))
    author: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Payment(Base):
    """A payment against an account, and perhaps for one of its orders. Only the card's
    brand and last four digits are kept.

    A charge happens outside any transaction (billing.py): the row is written `pending`
    with the key it is charged under (`port_key`) and committed first, then the port is
    called with that key, then the outcome is recorded; a pending row is resolved by a
    retry of the same request or by asking the port about its key (payment_recovery.py).
    """

    __tablename__ = "onboarding_payments"
    __table_args__ = (
        Index("ix_onboarding_payments_account_created", "account_id", "created_at"),
        Index("ix_onboarding_payments_order_created", "order_id", "created_at"),
        Index("ix_onboarding_payments_status_created", "status", "created_at"),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("onboarding_accounts.id"))
    order_id: Mapped[str | None] = mapped_column(ForeignKey("onboarding_orders.id"))
    amount_cents: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(20))  # pending | succeeded | declined | failed
    decline_code: Mapped[str | None] = mapped_column(String(40))
    card_brand: Mapped[str] = mapped_column(String(20))
    card_last4: Mapped[str] = mapped_column(String(4))
    reference: Mapped[str | None] = mapped_column(String(40))  # the port's, once charged
    # The idempotency key the port is called with (null on rows from before 0019).
    port_key: Mapped[str | None] = mapped_column(String(40), unique=True)
    # `<scope> <Idempotency-Key>` of the request that created it, so that its retry finds
    # the pending row; and that request's fingerprint (a keyed hash of the card inside).
    request_key: Mapped[str | None] = mapped_column(String(400), unique=True)
    request_hash: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    settled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ProviderSettings(Base):
    """The onboarding modules a service provider (a partner, the parent account of its
    end customers' accounts) subscribes to, and its identifier realms. A partner without
    a row has the defaults (providers.py): terms on, payment not required, realms of
    the account."""

    __tablename__ = "onboarding_provider_settings"

    partner_id: Mapped[str] = mapped_column(ForeignKey("partners.id"), primary_key=True)
    terms_module: Mapped[bool] = mapped_column(Boolean)
    payment_required: Mapped[bool] = mapped_column(Boolean)
    # None: not configured (each account's own realms apply).
    identifier_realms: Mapped[list[str] | None] = mapped_column(JSON(none_as_null=True))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
