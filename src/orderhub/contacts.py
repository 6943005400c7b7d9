"""Contact e-mail and phone: the one rule every channel checks them by.

Every surface's schema types (`surfaces/schemas.py`) and every domain check of a contact
take their patterns and checks from here; docs/api-conventions.md ("Contact e-mail and
phone") says what each API accepts and why. Pure functions of values.

* **E-mail**: `local@domain.tld`, at most 254 characters (RFC 5321's path limit). The
  local part is the mailbox owner's business, so only what can never stand unquoted in it
  is refused: whitespace, control characters, `@` and the RFC 5322 specials
  `( ) < > [ ] , ; : \\ "`; other characters, non-ASCII ones included (RFC 6531), are
  kept. The domain is dot-separated labels of ASCII letters, digits and inner hyphens
  (an internationalized domain travels as its punycode, as it does in DNS), ending in a
  top-level domain of two or more letters or a punycode one (`xn--...`).
* **Phone**: ten digits (a NANP number: area code and line), stored bare. Where an API
  takes a number as people type it, `normalize_phone` drops the usual punctuation and a
  leading country code 1; a typed number's area code and exchange must then start with
  2-9, as every NANP one does, because once a `1` may be a country code, a ten-digit
  number starting with 1 is most likely a digit short. APIs that take only the bare ten
  digits from another system (care, onboarding accounts) check `PHONE_PATTERN` alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from orderhub.errors import FieldProblem, ValidationFailed

EMAIL_MAX_LENGTH = 254
# Valid alike for Python's re, pydantic's Rust regex and the JSON Schema (ECMA 262)
# validators that read it from the OpenAPI document.
_LOCAL = r'[^\s@"(),:;<>\[\]\\\x00-\x1f\x7f]+'
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
_TOP_LEVEL = r"(?:[A-Za-z]{2,}|xn--[A-Za-z0-9-]+)"
EMAIL_PATTERN = rf"^{_LOCAL}@(?:{_LABEL}\.)+{_TOP_LEVEL}$"
_EMAIL = re.compile(EMAIL_PATTERN)

PHONE_PATTERN = r"^[0-9]{10}$"  # the stored form, and what bare-digit APIs accept
_PHONE = re.compile(PHONE_PATTERN)
# A typed number: "2145550100" (10) to "+1 (214) 555-0100" (17) and some spacing. The
# schemas bound it loosely (from 7: "5550100", a local number people do type) so that
# anything shorter than ten digits is answered by the rule, `phone_format`.
PHONE_TYPED_MIN_LENGTH, PHONE_TYPED_MAX_LENGTH = 7, 20
_PUNCTUATION = re.compile(r"[\s().+-]")

EMAIL_FORMAT, PHONE_FORMAT = "email_format", "phone_format"


def is_email(value: str) -> bool:
    """Whether the text, as it stands, is an e-mail address by the rule."""
    return len(value) <= EMAIL_MAX_LENGTH and _EMAIL.fullmatch(value) is not None


def normalize_email(raw: str) -> str | None:
    """The address trimmed and lower-cased (as we store and compare it), or None."""
    email = raw.strip().lower()
    return email if is_email(email) else None


def is_phone_digits(value: str) -> bool:
    """Whether the text is a phone in its stored form: ten ASCII digits."""
    return _PHONE.fullmatch(value) is not None


def normalize_phone(raw: str) -> str | None:
    """A typed number as its ten digits, or None. Punctuation and a leading country
    code 1 are dropped; the area code and exchange must start with 2-9."""
    digits = _PUNCTUATION.sub("", raw)
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    if not is_phone_digits(digits) or digits[0] in "01" or digits[3] in "01":
        return None
    return digits


def email_problem(field: str) -> FieldProblem:
    return FieldProblem(field, EMAIL_FORMAT, "Not a valid e-mail.")


def phone_problem(field: str) -> FieldProblem:
    return FieldProblem(field, PHONE_FORMAT, "Not a valid 10-digit phone number.")


def require_email(raw: str, *, field: str) -> str:
    """The e-mail as stored, or a 422 naming the field."""
    email = normalize_email(raw)
    if email is None:
        problem = email_problem(field)
        raise ValidationFailed(problem.message, errors=[problem])
    return email


@dataclass(frozen=True)
class CheckedContact:
    """A contact's e-mail and phone as stored (None where not given), and their problems."""

    email: str | None
    phone: str | None
    problems: list[FieldProblem]


def check_contact(*, email: str | None, phone: str | None, at: str) -> CheckedContact:
    """Read a typed e-mail and phone by the rule; one problem for each that is given and
    is not one (`<at>.email`, `<at>.phone`). Missing ones are the caller's to require."""
    problems = []
    stored_email = normalize_email(email) if email else None
    if email and stored_email is None:
        problems.append(email_problem(f"{at}.email"))
    stored_phone = normalize_phone(phone) if phone else None
    if phone and stored_phone is None:
        problems.append(phone_problem(f"{at}.phone"))
    return CheckedContact(stored_email, stored_phone, problems)


def require_valid_contact(
    *, email: str | None, phone: str | None, at: str, subject: str
) -> tuple[str | None, str | None]:
    """The stored e-mail and phone, or a 422 naming each that is not one
    ("<subject> is not valid.")."""
    found = check_contact(email=email, phone=phone, at=at)
    if found.problems:
        raise ValidationFailed(f"{subject} is not valid.", errors=found.problems)
    return found.email, found.phone
