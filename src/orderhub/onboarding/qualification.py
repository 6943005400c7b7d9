"""Service qualification (SQ): whether a service type can be delivered, by three checks.

The check a service type needs is its catalog `checkType` (`simple`, `GeneralPhone` as
the seed names it, or `address`; `phone` is read as `GeneralPhone`). Phone checks go
through the `Qualifier` port (adapters/qualification.py; the sandbox's rules are in
docs/sandbox.md); address checks read the locations of the catalog.

Each check is a step of the order: it claims the order, keeps its result, writes the
event to the order's history and, on success, moves a started order to `qualified`. A
failed check is an answer (`qualified` false), not an error.
"""

from __future__ import annotations

import re

from sqlalchemy import Row, bindparam, insert, select
from sqlalchemy.orm import Session

from orderhub import contacts
from orderhub.adapters.qualification import Qualifier, Verdict
from orderhub.errors import ValidationFailed
from orderhub.ids import new_id, utcnow
from orderhub.ledger import service as ledger
from orderhub.onboarding import catalog, orders
from orderhub.onboarding.models import Location
from orderhub.onboarding.orders import SQ
from orderhub.onboarding.states import OrderStatus, advance, require_at_least

LOCATIONS = Location.__table__
_LOCATION = select(LOCATIONS).where(LOCATIONS.c.id == bindparam("b_id"))
PHONE = "GeneralPhone"  # the seed's check type (`phone` is its alias: catalog.py)


def _service_type(session: Session, type_id: str, kind: str) -> Row:
    found = catalog.service_type(session, type_id)
    if found is None:
        raise ValidationFailed.one(
            "serviceTypeId", "unknown_service_type", f"No service type '{type_id}'."
        )
    # Rows stored before the seed's names were adopted may still say `phone`.
    if catalog.check_type_name(found.check_type) != kind:
        raise ValidationFailed.one(
            "serviceTypeId",
            "wrong_check_type",
            f"'{type_id}' is qualified by a {catalog.check_type_name(found.check_type)} SQ, "
            f"not a {kind} SQ.",
        )
    return found


def simple(session: Session, *, partner_id: str, order_id: str, type_id: str, actor: str) -> Row:
    """Service types that need no check: the SQ entry that lets the order go on."""
    order = _claim(session, partner_id=partner_id, order_id=order_id)
    _service_type(session, type_id, "simple")
    return _recorded(
        session, order, type_id=type_id, kind="simple", verdict=Verdict(True), actor=actor
    )


def phone(
    session: Session,
    *,
    partner_id: str,
    order_id: str,
    type_id: str,
    phone_number: str,
    qualifier: Qualifier,
    actor: str,
) -> Row:
    """The seed's General Phone SQ: whether the service can be delivered on a phone line,
    as the `Qualifier` says. Its result's `kind` is `GeneralPhone`."""
    order = _claim(session, partner_id=partner_id, order_id=order_id)
    _service_type(session, type_id, PHONE)
    if not contacts.is_phone_digits(phone_number):
        problem = contacts.phone_problem("phoneNumber")
        raise ValidationFailed(problem.message, errors=[problem])
    verdict = qualifier.by_phone(phone_number)
    return _recorded(session, order, type_id=type_id, kind=PHONE, verdict=verdict, actor=actor)


def find_addresses(
    session: Session, *, partner_id: str, order_id: str, query: str, limit: int = 10
) -> list[Row]:
    """Candidate locations, for the partner's order, whose address holds every word of
    the query."""
    orders.get(session, partner_id=partner_id, order_id=order_id)
    words = [w for w in re.split(r"[^a-z0-9]+", query.lower()) if w]
    if not words:
        return []
    stmt = select(LOCATIONS)
    for word in words:
        stmt = stmt.where(LOCATIONS.c.search_key.contains(word, autoescape=True))
    return list(session.execute(stmt.order_by(LOCATIONS.c.id).limit(limit)))


def address(
    session: Session, *, partner_id: str, order_id: str, type_id: str, location_id: str, actor: str
) -> Row:
    """The technologies and speed tiers available at a location found by the search."""
    order = _claim(session, partner_id=partner_id, order_id=order_id)
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
    return _recorded(session, order, type_id=type_id, kind="address", verdict=verdict, actor=actor)


def _claim(session: Session, *, partner_id: str, order_id: str) -> Row:
    order = orders.claim(session, partner_id=partner_id, order_id=order_id)
    # SQ may be repeated (another service type, another address) until the order is
    # submitted; before package selection it is what moves the order on.
    require_at_least(order.status, OrderStatus.STARTED, "serviceQualification")
    return order


def _recorded(
    session: Session, order: Row, *, type_id: str, kind: str, verdict: Verdict, actor: str
) -> Row:
    """The SQ result kept, its event in the order's history, and a success moving the
    order to `qualified` (an order already further along stays where it is)."""
    result = session.execute(
        insert(SQ).returning(*SQ.c),
        {
            "id": new_id("sqr"),
            "order_id": order.id,
            "service_type_id": type_id,
            "kind": kind,
            "qualified": verdict.qualified,
            "reason": verdict.reason,
            "details": verdict.details,
            "created_at": utcnow(),
        },
    ).one()
    ledger.record(
        session,
        order_id=order.id,
        type="sq.qualified" if result.qualified else "sq.failed",
        actor=actor,
        data={"serviceTypeId": result.service_type_id, "kind": result.kind}
        | ({"reason": result.reason} if result.reason else {}),
    )
    if result.qualified:
        orders.set_status(session, order=order, status=advance(order.status, OrderStatus.QUALIFIED))
    return result


def qualified_types(sq_results: list[Row]) -> set[str]:
    """Service types with a successful SQ (the latest result of each type counts)."""
    latest: dict[str, bool] = {}
    for result in sq_results:  # oldest first
        latest[result.service_type_id] = result.qualified
    return {type_id for type_id, ok in latest.items() if ok}
