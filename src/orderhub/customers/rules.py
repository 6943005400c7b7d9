"""Normalizing the identifiers customers are found and signed in by."""

from __future__ import annotations

import re

_EMAIL = re.compile(r"^[a-z0-9._%+'-]+@[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}$")


def normalize_phone(raw: str) -> str | None:
    """Ten NANP digits, or None. Accepts punctuation and a leading country code 1."""
    digits = re.sub(r"[\s().+-]", "", raw)
    if not (digits.isascii() and digits.isdigit()):
        return None
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    if len(digits) != 10 or digits[0] in "01" or digits[3] in "01":
        return None
    return digits


def normalize_email(raw: str) -> str | None:
    email = raw.strip().lower()
    return email if len(email) <= 254 and _EMAIL.match(email) else None


def normalize_identifier(raw: str) -> tuple[str, str] | None:
    """('email', value) or ('phone', value), or None when it is neither."""
    if "@" in raw:
        email = normalize_email(raw)
        return ("email", email) if email else None
    phone = normalize_phone(raw)
    return ("phone", phone) if phone else None
