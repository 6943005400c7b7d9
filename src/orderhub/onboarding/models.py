"""The onboarding catalog: service types with their requirement sets, packages, terms.

Requirement sets are stored as the JSON of their catalog file and read fresh on every
call: a provider changes what a service type needs by reloading the file.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from orderhub.db import Base, UTCDateTime


class ServiceType(Base):
    __tablename__ = "onboarding_service_types"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    check_type: Mapped[str] = mapped_column(String(20))  # simple | phone | address
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
