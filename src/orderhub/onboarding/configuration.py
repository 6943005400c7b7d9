"""Service configuration: each service's requirement sets (read fresh from the catalog)
and the values a client sets against them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row, bindparam, select, update
from sqlalchemy.orm import Session

from orderhub.errors import FieldProblem, NotFound, ValidationFailed
from orderhub.ids import utcnow
from orderhub.inventory import provisioned
from orderhub.ledger import service as ledger
from orderhub.onboarding import accounts, catalog, orders, providers, qualification, rules
from orderhub.onboarding.packages import SERVICES
from orderhub.onboarding.states import OrderStatus, require_at_least

KINDS = ("configuration", "features", "contacts", "identifiers")
_SERVICES_OF = (
    select(SERVICES).where(SERVICES.c.order_id == bindparam("b_id")).order_by(SERVICES.c.position)
)
_SERVICE = select(SERVICES).where(
    SERVICES.c.id == bindparam("b_id"), SERVICES.c.order_id == bindparam("b_order")
)


class ServiceNotFound(NotFound):
    code = "service_not_found"
    title = "Service not found"


def services_of(session: Session, *, order_id: str) -> list[Row]:
    return list(session.execute(_SERVICES_OF, {"b_id": order_id}))


def service(session: Session, *, order: Row, service_id: str, step: str) -> Row:
    require_at_least(order.status, OrderStatus.PACKAGE_SELECTED, step)
    row = session.execute(_SERVICE, {"b_id": service_id, "b_order": order.id}).first()
    if row is None:
        raise ServiceNotFound(f"The order has no service '{service_id}'.")
    return row


def requirements(session: Session, service_type_id: str) -> dict[str, Any]:
    found = catalog.service_type(session, service_type_id)
    assert found is not None, "a selected package names only catalog service types"
    return found.requirements


def problems_of(
    kind: str,
    reqs: dict[str, Any],
    value: Any,
    realms: list[str],
    delivery: list[dict[str, Any]] | None = None,
) -> list[FieldProblem]:
    """`delivery`: the technologies the service's address SQ found (None: no address SQ)."""
    if kind == "configuration":
        found = rules.configuration_problems(reqs["configuration"], value)
        if delivery is not None and not found:
            found = rules.delivery_problems(value, delivery)
        return found
    if kind == "features":
        return rules.feature_problems(reqs["features"], reqs["featureConflicts"], value)
    if kind == "contacts":
        return rules.contact_problems(reqs["contacts"], value)
    return rules.identifier_problems(reqs["identifiers"], value, realms)


def set_values(
    session: Session,
    *,
    order: Row,
    service_id: str,
    kind: str,
    value: Any,
    actor: str,
) -> Row:
    """Replace one requirement set's values of a service, if they meet its requirements
    (422 with one problem per failing field otherwise; nothing is kept). Identifiers may
    use the realms of the order's provider (or of its account, when the provider has
    none configured)."""
    realms = providers.realms_of(session, account=accounts.of_order(session, order=order))
    target = service(session, order=order, service_id=service_id, step=f"set {kind}")
    delivery = _delivery(session, order.id).get(target.service_type_id)
    found = problems_of(
        kind, requirements(session, target.service_type_id), value, realms, delivery
    )
    if not found and kind == "identifiers":
        found = [
            FieldProblem(
                f"identifiers.{n}.value",
                "identifier_taken",
                "Another service already holds this identifier in this realm.",
            )
            for n in provisioned.taken_identifiers(session, value)
        ]
    if found:
        raise ValidationFailed(
            f"The {kind} does not meet the service's requirements.", errors=found
        )
    row = session.execute(
        update(SERVICES)
        .where(SERVICES.c.id == target.id)
        .values({kind: value, "updated_at": utcnow()})
        .returning(*SERVICES.c)
    ).one()
    ledger.record(
        session,
        order_id=order.id,
        type=f"service.{kind}_set",
        actor=actor,
        data={"serviceId": target.id, "serviceTypeId": target.service_type_id},
    )
    return row


def identifier_realms(session: Session, *, partner_id: str, order_id: str) -> list[str]:
    """The realms the identifiers of the partner's order may use: those of the parent
    account (the provider), or the order's account's own when the provider has none."""
    order = orders.get(session, partner_id=partner_id, order_id=order_id)
    return providers.realms_of(session, account=accounts.of_order(session, order=order))


def _delivery(
    session: Session, order_id: str, results: list[Row] | None = None
) -> dict[str, list[dict[str, Any]]]:
    """Per service type, the technologies its latest successful address SQ found."""
    found: dict[str, list[dict[str, Any]]] = {}
    for result in (
        results if results is not None else orders.qualifications_of(session, order_id=order_id)
    ):
        if result.kind == "address" and result.qualified:
            found[result.service_type_id] = result.details["technologies"]
    return found


def missing(session: Session, *, order: Row, realms: list[str]) -> list[dict[str, Any]]:
    """Every requirement not met yet, of every service (what submit refuses with)."""
    found = []
    results = orders.qualifications_of(session, order_id=order.id)
    qualified = qualification.qualified_types(results)
    delivery = _delivery(session, order.id, results)
    for svc in services_of(session, order_id=order.id):
        if svc.service_type_id not in qualified:  # its SQ failed after the package was chosen
            found.append(
                {
                    "serviceId": svc.id,
                    "serviceTypeId": svc.service_type_id,
                    "field": "serviceQualification",
                    "rule": "not_qualified",
                    "message": "The latest service qualification of this service failed.",
                }
            )
        reqs = requirements(session, svc.service_type_id)
        for kind in KINDS:
            problems = problems_of(
                kind, reqs, getattr(svc, kind), realms, delivery.get(svc.service_type_id)
            )
            for problem in problems:
                found.append(
                    {"serviceId": svc.id, "serviceTypeId": svc.service_type_id} | problem.to_dict()
                )
    return found
