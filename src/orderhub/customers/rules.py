"""Reading the identifiers customers are found and signed in by.

What a phone or an e-mail is, is the contact rule's (orderhub/contacts.py);
`normalize_email` and `normalize_phone` are re-exported here for the callers that read
identifiers through this module (identity/service.py).
"""

from __future__ import annotations

from orderhub.contacts import normalize_email, normalize_phone

__all__ = ["normalize_email", "normalize_identifier", "normalize_phone"]


def normalize_identifier(raw: str) -> tuple[str, str] | None:
    """('email', value) or ('phone', value), or None when it is neither."""
    if "@" in raw:
        email = normalize_email(raw)
        return ("email", email) if email else None
    phone = normalize_phone(raw)
    return ("phone", phone) if phone else None
