"""What each service provider (a partner: the parent account of its end customers'
accounts) subscribes to in onboarding, and the identifier realms associated with it.

Seed 003: terms and conditions are "mandatory for an order by a service provider who
subscribes to the Terms and Conditions module"; a payment can be "part of the order
process"; the identifier realms are those "presently associated against the parent
account". One row per provider holds the three; a provider without a row has the
defaults below, which are what every provider had before the settings existed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import Row, bindparam, insert, select, update
from sqlalchemy.orm import Session

from orderhub.db import serialize_on
from orderhub.errors import FieldProblem, NotFound, ValidationFailed
from orderhub.ids import utcnow
from orderhub.onboarding.models import ProviderSettings
from orderhub.partners.models import Partner

SETTINGS = ProviderSettings.__table__
PARTNERS = Partner.__table__
MAX_REALMS = 20
# A realm is a domain-like name: lower-case letters, digits, dots and hyphens.
REALM = re.compile(r"^[a-z0-9]([a-z0-9.-]{0,98}[a-z0-9])?$")

_GET = select(SETTINGS).where(SETTINGS.c.partner_id == bindparam("b_partner"))
_PARTNER = select(PARTNERS.c.id).where(PARTNERS.c.id == bindparam("b_partner"))


@dataclass(frozen=True)
class Settings:
    partner_id: str
    terms_module: bool = True  # today's behaviour: every order has terms to accept
    payment_required: bool = False
    identifier_realms: list[str] | None = None  # None: each account's own realms

    def realms_for(self, account_realms: list[str]) -> list[str]:
        """The realms an account's service identifiers may use: the provider's when it
        has configured them (they replace the account's), the account's otherwise."""
        if self.identifier_realms is None:
            return account_realms
        return list(self.identifier_realms)


class PartnerNotFound(NotFound):
    code = "partner_not_found"
    title = "Partner not found"


def of(session: Session, *, partner_id: str) -> Settings:
    """The provider's settings (the defaults when it has none stored)."""
    row = session.execute(_GET, {"b_partner": partner_id}).first()
    if row is None:
        return Settings(partner_id)
    return Settings(partner_id, row.terms_module, row.payment_required, row.identifier_realms)


def realms_of(session: Session, *, account: Row) -> list[str]:
    """The realms an onboarding account's service identifiers may use: its provider's
    when configured (they replace the account's own), the account's otherwise."""
    return of(session, partner_id=account.partner_id).realms_for(account.realms)


def get(session: Session, *, partner_id: str) -> Settings:
    """An existing partner's settings (404 `partner_not_found` otherwise)."""
    _require_partner(session, partner_id)
    return of(session, partner_id=partner_id)


_UNSET = object()


def change(
    session: Session,
    *,
    partner_id: str,
    terms_module: bool | None = None,
    payment_required: bool | None = None,
    identifier_realms: list[str] | object | None = _UNSET,
    realms_field: str = "realms",
) -> Settings:
    """Change what is given (None leaves a switch as it is; `identifier_realms=None`
    clears the realms, back to each account's own). `realms_field` is the wire name a
    problem with the realms names."""
    _require_partner(session, partner_id)
    # Update-or-insert: two first changes of one partner must not both insert.
    serialize_on(session, f"onboarding-provider:{partner_id}")
    current = of(session, partner_id=partner_id)
    realms = current.identifier_realms
    if identifier_realms is not _UNSET:
        realms = (
            None
            if identifier_realms is None
            else checked_realms(identifier_realms, field=realms_field)
        )
    values = {
        "terms_module": current.terms_module if terms_module is None else terms_module,
        "payment_required": (
            current.payment_required if payment_required is None else payment_required
        ),
        "identifier_realms": realms,
        "updated_at": utcnow(),
    }
    changed = session.execute(
        update(SETTINGS).where(SETTINGS.c.partner_id == partner_id).values(values)
    )
    if changed.rowcount == 0:
        session.execute(insert(SETTINGS).values(partner_id=partner_id, **values))
    return of(session, partner_id=partner_id)


def ensure(session: Session, settings: Settings) -> bool:
    """Store `settings` for a provider that has none yet (the sandbox loader: what an
    operator changed since is kept). Whether it was stored."""
    if session.execute(_GET, {"b_partner": settings.partner_id}).first() is not None:
        return False
    change(
        session,
        partner_id=settings.partner_id,
        terms_module=settings.terms_module,
        payment_required=settings.payment_required,
        identifier_realms=settings.identifier_realms,
    )
    return True


def checked_realms(realms: list[str], *, field: str = "realms") -> list[str]:
    """Realms in lower case, each once, in the order given; 422 naming a bad one."""
    problems = [
        FieldProblem(
            f"{field}.{n}",
            "realm_format",
            "A realm is a domain-like name: lower-case letters, digits, dots and hyphens.",
        )
        for n, realm in enumerate(realms)
        if not REALM.match(realm.strip().lower())
    ]
    if len(realms) > MAX_REALMS:
        problems.append(FieldProblem(field, "too_many", f"At most {MAX_REALMS} realms."))
    if not realms:
        # No realm at all would refuse every identifier that needs one, silently.
        problems.append(
            FieldProblem(
                field,
                "empty",
                "Give at least one realm; to use each account's own realms again, clear "
                "them (DELETE .../identifier-realms).",
            )
        )
    if problems:
        raise ValidationFailed("The identifier realms are not valid.", errors=problems)
    return list(dict.fromkeys(r.strip().lower() for r in realms))


def _require_partner(session: Session, partner_id: str) -> None:
    if session.execute(_PARTNER, {"b_partner": partner_id}).first() is None:
        raise PartnerNotFound(f"No partner '{partner_id}' was found.")
