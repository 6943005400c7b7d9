"""Shaping an order for the console's pages: the channel's own view made readable (its
scalars as facts, its lists of records as tables, the rest as JSON) and stripped of what
no role may see, and short summaries of history and event data. Pure functions of values.

What is never shown: SSNs, dates of birth, PINs, card numbers and codes, passwords,
secrets and tokens (dropped by key, and any value shaped like an SSN or a card number
masked). E-mails and phones go through `pages.contact`, masked for viewers.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from orderhub.surfaces.console.pages import contact

# Keys dropped wherever they are (compared lower case, without separators).
_SECRET_KEYS = frozenset(
    {
        "ssn",
        "ssnlast4",
        "dob",
        "dateofbirth",
        "birthdate",
        "birthday",
        "pin",
        "cvc",
        "cvv",
        "password",
        "passcode",
        "secret",
        "token",
        "accesstoken",
        "refreshtoken",
        "taxid",
    }
)
_SECRET_PARTS = ("ssn", "password", "secret", "card", "token", "birth")
_SSN = re.compile(r"^\d{3}-?\d{2}-?\d{4}$")
_CARD = re.compile(r"^\d(?:[ -]?\d){12,18}$")
MISSING = "—"


def _plain(key: str) -> str:
    return re.sub(r"[^a-z0-9]", "", key.lower())


def is_secret(key: str) -> bool:
    plain = _plain(key)
    return (
        plain in _SECRET_KEYS
        or plain.endswith("pin")
        or any(part in plain for part in _SECRET_PARTS)
    )


def _is_contact(key: str) -> bool:
    plain = _plain(key)
    return "email" in plain or "phone" in plain


def scrub(value: Any, signed_in: Any, *, key: str = "") -> Any:
    """The value without secrets, its e-mails and phones as the role may see them."""
    if isinstance(value, dict):
        return {k: scrub(v, signed_in, key=k) for k, v in value.items() if not is_secret(k)}
    if isinstance(value, list):
        return [scrub(v, signed_in, key=key) for v in value]
    if isinstance(value, str):
        if key and _is_contact(key):
            return contact(value, signed_in)
        if _SSN.match(value) and "-" in value:
            return "•••-••-••••"
        if _CARD.match(value) and not any(k in _plain(key) for k in ("imei", "iccid")):
            return "•••• " + value[-4:]
    return value


def label(key: str) -> str:
    """`requestedStartDate` -> `Requested start date`."""
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", key).replace("_", " ").split()
    text = " ".join(words).lower()
    return text[:1].upper() + text[1:]


def shown(value: Any) -> str:
    """A scalar as text; anything nested as compact JSON (cut short)."""
    if value is None or value == "":
        return MISSING
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list) and all(_is_scalar(v) for v in value):
        text = ", ".join(shown(v) for v in value) or MISSING
    elif isinstance(value, dict) and all(_is_scalar(v) for v in value.values()):
        # A small record (an address, a configuration) as its filled-in fields.
        text = "; ".join(f"{label(k)}: {shown(v)}" for k, v in value.items() if v not in (None, ""))
    elif isinstance(value, dict | list):
        text = json.dumps(value, separators=(", ", ": "), ensure_ascii=False)
    else:
        return str(value)
    if not text:
        return MISSING
    return text if len(text) <= 160 else text[:159] + "…"


def _is_scalar(value: Any) -> bool:
    return value is None or isinstance(value, str | int | float | bool)


@dataclass(frozen=True)
class Table:
    title: str
    columns: list[str]  # keys
    headings: list[str]
    rows: list[list[str]]


@dataclass(frozen=True)
class ChannelDetail:
    """The channel's view in parts: facts (label, text), tables of records, the rest
    (label, pretty JSON), and the whole as pretty JSON."""

    facts: list[tuple[str, str]] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    nested: list[tuple[str, str]] = field(default_factory=list)
    whole: str = ""


def _table(key: str, records: list[dict[str, Any]]) -> Table:
    columns: list[str] = []
    for record in records:
        for k, v in record.items():
            if k not in columns and _is_scalar(v):
                columns.append(k)
    for record in records:  # a nested part of a record still shows, as short JSON
        for k, v in record.items():
            if k not in columns and v not in ([], {}):
                columns.append(k)
    return Table(
        label(key),
        columns,
        [label(c) for c in columns],
        [[shown(record.get(c)) for c in columns] for record in records],
    )


def channel_detail(view: dict[str, Any], signed_in: Any) -> ChannelDetail:
    """The channel's view of the order, readable and stripped (see the module's doc)."""
    clean = scrub(view, signed_in)
    detail = ChannelDetail(whole=json.dumps(clean, indent=2, ensure_ascii=False))
    for key, value in clean.items():
        if _is_scalar(value):
            detail.facts.append((label(key), shown(value)))
        elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            detail.tables.append(_table(key, value))
        elif isinstance(value, list) and all(_is_scalar(v) for v in value):
            detail.facts.append((label(key), ", ".join(shown(v) for v in value) or MISSING))
        elif isinstance(value, dict) and value and all(_is_scalar(v) for v in value.values()):
            detail.facts.extend((f"{label(key)}: {label(k)}", shown(v)) for k, v in value.items())
        elif value not in ({}, []):
            detail.nested.append((label(key), json.dumps(value, indent=2, ensure_ascii=False)))
    return detail


def summary(data: dict[str, Any] | None, signed_in: Any, *, limit: int = 5) -> str:
    """A history or event row's data in a line: its first few fields, stripped."""
    clean = scrub(data or {}, signed_in)
    parts = [f"{k}: {shown(v)}" for k, v in list(clean.items())[:limit] if v not in (None, "")]
    more = len(clean) - limit
    return "; ".join(parts) + (f"; +{more} more" if more > 0 else "")


def party_href(prefix: str, kind: str, ident: str) -> str:
    return f"{prefix}/customers/{kind}/{ident}"


PARTY_KINDS = {
    "customer": "Consumer customer",
    "business_customer": "Business customer",
    "onboarding_account": "Onboarding account",
    "fan": "Business account (FAN)",
}
