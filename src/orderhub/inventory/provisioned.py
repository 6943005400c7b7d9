"""Services sold through onboarding, in the shared inventory: package and service
subscriptions, the services (PreActive until operations activate them) and the
identifiers they hold."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from orderhub.errors import Conflict, NotFound
from orderhub.ids import new_id, utcnow
from orderhub.inventory.models import (
    InventoryService,
    PackageSubscription,
    ServiceIdentifier,
    ServiceSubscription,
)
from orderhub.inventory.service import ACCESS, CREATED, STATE_CHANGED, announce

PACKAGE_SUBSCRIPTIONS = PackageSubscription.__table__
SERVICE_SUBSCRIPTIONS = ServiceSubscription.__table__
SERVICES = InventoryService.__table__
IDENTIFIERS = ServiceIdentifier.__table__


@dataclass(frozen=True)
class NewService:
    service_type_id: str
    configuration: dict[str, Any]
    features: list[str]
    contacts: list[dict[str, Any]]
    identifiers: list[dict[str, Any]]
    qualification: dict[str, Any] | None = None


@dataclass(frozen=True)
class CreatedPackage:
    package_subscription_id: str
    service_subscription_ids: list[str]
    service_ids: list[str]


def add_package(
    session: Session,
    *,
    account_number: str,
    package_id: str,
    package_plan_id: str,
    term_months: int,
    services: list[NewService],
    source_order_id: str,
) -> CreatedPackage:
    """A package subscription, a service subscription per service and the services,
    all PreActive."""
    now = utcnow()
    package_subscription_id = new_id("psb")
    session.execute(
        insert(PACKAGE_SUBSCRIPTIONS),
        {
            "id": package_subscription_id,
            "account_number": account_number,
            "package_id": package_id,
            "package_plan_id": package_plan_id,
            "term_months": term_months,
            "status": "preActive",
            "source_order_id": source_order_id,
            "created_at": now,
        },
    )
    subscription_ids = [new_id("ssb") for _ in services]
    service_ids = [new_id("svc") for _ in services]
    session.execute(
        insert(SERVICE_SUBSCRIPTIONS),
        [
            {
                "id": sid,
                "package_subscription_id": package_subscription_id,
                "service_type_id": svc.service_type_id,
                "created_at": now,
            }
            for sid, svc in zip(subscription_ids, services, strict=True)
        ],
    )
    session.execute(
        insert(SERVICES),
        [
            {
                "id": service_id,
                "service_subscription_id": sid,
                "account_number": account_number,
                "service_type_id": svc.service_type_id,
                "status": "preActive",
                "configuration": svc.configuration,
                "features": svc.features,
                "contacts": svc.contacts,
                "identifiers": svc.identifiers,
                "qualification": svc.qualification,
                "created_at": now,
                "updated_at": now,
            }
            for service_id, sid, svc in zip(service_ids, subscription_ids, services, strict=True)
        ],
    )
    held = [
        {**_identifier_key(identifier), "service_id": service_id, "created_at": now}
        for service_id, svc in zip(service_ids, services, strict=True)
        for identifier in svc.identifiers
    ]
    if held:
        _hold_identifiers(session, held)
    announce(session, [(CREATED, sid, {"status": "preActive"}) for sid in service_ids])
    return CreatedPackage(package_subscription_id, subscription_ids, service_ids)


class IdentifierTaken(Conflict):
    code = "identifier_taken"
    title = "Identifier taken"


def _identifier_key(identifier: dict[str, Any]) -> dict[str, str]:
    return {
        "realm": identifier.get("realm") or "",
        "name": identifier["name"],
        "value": str(identifier["value"]).lower(),
    }


def taken_identifiers(session: Session, identifiers: list[dict[str, Any]]) -> list[int]:
    """Positions of the identifiers another service already holds."""
    keys = [_identifier_key(i) for i in identifiers]
    if not keys:
        return []
    held = {
        (r.realm, r.name, r.value)
        for r in session.execute(
            # Each column narrowed in key order, so the primary key's index serves it.
            select(IDENTIFIERS.c.realm, IDENTIFIERS.c.name, IDENTIFIERS.c.value).where(
                IDENTIFIERS.c.realm.in_({k["realm"] for k in keys}),
                IDENTIFIERS.c.name.in_({k["name"] for k in keys}),
                IDENTIFIERS.c.value.in_({k["value"] for k in keys}),
            )
        )
    }
    return [n for n, k in enumerate(keys) if (k["realm"], k["name"], k["value"]) in held]


def _hold_identifiers(session: Session, rows: list[dict[str, Any]]) -> None:
    """Claim the identifiers; the primary key makes a concurrent claim of one fail."""
    taken = taken_identifiers(session, rows)
    try:
        if not taken:
            with session.begin_nested():
                session.execute(insert(IDENTIFIERS), rows)
    except IntegrityError:
        taken = taken_identifiers(session, rows) or list(range(len(rows)))
    if taken:
        names = ", ".join(f"{rows[n]['name']} '{rows[n]['value']}'" for n in taken)
        raise IdentifierTaken(
            f"Another service already holds {names}: choose another and set it again.",
            extra={
                "identifiers": [{k: rows[n][k] for k in ("realm", "name", "value")} for n in taken]
            },
        )


def service_for_partner(session: Session, *, partner_id: str, service_id: str) -> Row:
    row = session.execute(
        select(SERVICES, SERVICE_SUBSCRIPTIONS.c.package_subscription_id)
        .join(
            SERVICE_SUBSCRIPTIONS, SERVICE_SUBSCRIPTIONS.c.id == SERVICES.c.service_subscription_id
        )
        .join(ACCESS, ACCESS.c.account_number == SERVICES.c.account_number)
        .where(SERVICES.c.id == service_id, ACCESS.c.partner_id == partner_id)
    ).first()
    if row is None:
        raise ServiceNotFound(f"No service '{service_id}' was found.")
    return row


class ServiceNotPreActive(Conflict):
    code = "service_not_preactive"
    title = "Service is not PreActive"


def activate_service(session: Session, *, service_id: str) -> Row:
    """Fulfilment done: a PreActive service becomes active (409 from any other status).
    The conditional update makes two activations race safely: one wins, one gets 409."""
    row = session.execute(
        update(SERVICES)
        .where(SERVICES.c.id == service_id, SERVICES.c.status == "preActive")
        .values(status="active", updated_at=utcnow())
        .returning(*SERVICES.c)
    ).first()
    if row is not None:
        announce(
            session,
            [(STATE_CHANGED, service_id, {"status": "active", "previousStatus": "preActive"})],
        )
        return row
    current = session.execute(select(SERVICES.c.status).where(SERVICES.c.id == service_id))
    status = current.scalar()
    if status is None:
        raise ServiceNotFound(f"No service '{service_id}' was found.")
    raise ServiceNotPreActive(
        f"The service is '{status}': only a PreActive service is activated.",
        extra={"currentStatus": status},
    )


class ServiceNotFound(NotFound):
    code = "service_not_found"
    title = "Service not found"
