"""Service qualification (SQ): whether a service type can be delivered, by three checks.

The check a service type needs is its catalog `checkType`. Phone checks go through the
`Qualifier` port (adapters/qualification.py; the sandbox's rules are in docs/sandbox.md);
address checks read the locations of the catalog.
"""

from __future__ import annotations

import re

from sqlalchemy import Row, bindparam, insert, select
from sqlalchemy.orm import Session

from orderhub.adapters.qualification import Qualifier, Verdict
from orderhub.errors import ValidationFailed
from orderhub.ids import new_id, utcnow
from orderhub.onboarding import catalog
from orderhub.onboarding.models import Location
from orderhub.onboarding.orders import SQ

LOCATIONS = Location.__table__
_LOCATION = select(LOCATIONS).where(LOCATIONS.c.id == bindparam("b_id"))
PHONE = re.compile(r"^[0-9]{10}$")


def _service_type(session: Session, type_id: str, kind: str) -> Row:
    found = catalog.service_type(session, type_id)
    if found is None:
        raise ValidationFailed.one(
            "serviceTypeId", "unknown_service_type", f"No service type '{type_id}'."
        )
    if found.check_type != kind:
        raise ValidationFailed.one(
            "serviceTypeId",
            "wrong_check_type",
            f"'{type_id}' is qualified by a {found.check_type} SQ, not a {kind} SQ.",
        )
    return found


def record(session: Session, *, order_id: str, type_id: str, kind: str, verdict: Verdict) -> Row:
    return session.execute(
        insert(SQ).returning(*SQ.c),
        {
            "id": new_id("sqr"),
            "order_id": order_id,
            "service_type_id": type_id,
            "kind": kind,
            "qualified": verdict.qualified,
            "reason": verdict.reason,
            "details": verdict.details,
            "created_at": utcnow(),
        },
    ).one()


def simple(session: Session, *, order_id: str, type_id: str) -> Row:
    """Service types that need no check: the SQ entry that lets the order go on."""
    _service_type(session, type_id, "simple")
    return record(session, order_id=order_id, type_id=type_id, kind="simple", verdict=Verdict(True))


def phone(
    session: Session, *, order_id: str, type_id: str, phone_number: str, qualifier: Qualifier
) -> Row:
    _service_type(session, type_id, "phone")
    if not PHONE.match(phone_number):
        raise ValidationFailed.one("phoneNumber", "phone_format", "A phone number is 10 digits.")
    verdict = qualifier.by_phone(phone_number)
    return record(session, order_id=order_id, type_id=type_id, kind="phone", verdict=verdict)


def find_addresses(session: Session, *, query: str, limit: int = 10) -> list[Row]:
    """Candidate locations whose address holds every word of the query."""
    words = [w for w in re.split(r"[^a-z0-9]+", query.lower()) if w]
    if not words:
        return []
    stmt = select(LOCATIONS)
    for word in words:
        stmt = stmt.where(LOCATIONS.c.search_key.contains(word, autoescape=True))
    return list(session.execute(stmt.order_by(LOCATIONS.c.id).limit(limit)))


def address(session: Session, *, order_id: str, type_id: str, location_id: str) -> Row:
    _service_type(session, type_id, "address")
    location = session.execute(_LOCATION, {"b_id": location_id}).first()
    if location is None:
        raise ValidationFailed.one(
            "locationId", "unknown_location", "Find the location id with the address search first."
        )
    verdict = (
        Verdict(True, details={"locationId": location.id, "technologies": location.technologies})
        if location.technologies
        else Verdict(False, location.reason or "Not serviceable.", {"locationId": location.id})
    )
    return record(session, order_id=order_id, type_id=type_id, kind="address", verdict=verdict)


def qualified_types(sq_results: list[Row]) -> set[str]:
    """Service types with a successful SQ (the latest result of each type counts)."""
    latest: dict[str, bool] = {}
    for result in sq_results:  # oldest first
        latest[result.service_type_id] = result.qualified
    return {type_id for type_id, ok in latest.items() if ok}
