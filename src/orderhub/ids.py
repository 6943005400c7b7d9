"""Stable identifiers and the clock."""

from __future__ import annotations

import base64
import secrets
from datetime import UTC, datetime


def new_id(prefix: str) -> str:
    """A random, URL-safe id such as `ord_k7...`; the prefix says what it names (120 bits)."""
    return f"{prefix}_" + base64.b32encode(secrets.token_bytes(15)).decode().lower()


def utcnow() -> datetime:
    return datetime.now(UTC)


def iso_z(moment: datetime) -> str:
    """A UTC moment as ISO 8601 with `Z`, as every event and stored timestamp string."""
    return moment.isoformat().replace("+00:00", "Z")
