"""Pure rules of business customers: lookup keys and what an alliance status allows."""

from __future__ import annotations

import re
from enum import StrEnum


class AllianceStatus(StrEnum):
    # The customer is in the partner's alliance: the partner may quote it.
    ALLIANCE = "alliance"
    # The customer is served through the alliance channel but not assigned to this
    # partner: the partner finds it, and may quote it once operations approve an
    # exception request (seed 002: "found under Alliance only status").
    ALLIANCE_ONLY = "allianceOnly"


# Legal forms dropped from the end of a business name for lookup, so "Acme Logistics"
# finds "ACME Logistics, LLC".
LEGAL_FORMS = frozenset(
    {"llc", "inc", "incorporated", "corp", "corporation", "co", "company", "ltd", "lp", "llp"}
)


def name_key(name: str) -> str:
    """A business name for exact matching: lower case, '&' as 'and', no punctuation,
    single spaces, without trailing legal forms (unless nothing else is left)."""
    words = re.sub(r"[^a-z0-9 ]", " ", name.lower().replace("&", " and ")).split()
    core = list(words)
    while core and core[-1] in LEGAL_FORMS:
        core.pop()
    return " ".join(core or words)


def normalize_tax_id(raw: str) -> str | None:
    """A US employer identification number as 9 digits ("75-1230000"), or None."""
    digits = re.sub(r"[\s-]", "", raw)
    return digits if len(digits) == 9 and digits.isascii() and digits.isdigit() else None


def address_key(standardized_line1: str, zip_code: str) -> str:
    """A standardized street line and the 5-digit ZIP: one site, however it was typed."""
    return f"{standardized_line1}|{zip_code[:5]}"


def needs_exception(status: str) -> bool:
    return status != AllianceStatus.ALLIANCE


def can_quote(status: str, *, exception_approved: bool) -> bool:
    """Alliance customers may be quoted; alliance-only ones after an approved exception."""
    return not needs_exception(status) or exception_approved
