"""Package choice: the packages an order's qualifications allow, and selecting one plan."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, bindparam, insert, update
from sqlalchemy.orm import Session

from orderhub.errors import Conflict, NotFound, ValidationFailed
from orderhub.ids import new_id, utcnow
from orderhub.ledger import service as ledger
from orderhub.onboarding import catalog, orders, qualification
from orderhub.onboarding.models import OrderService
from orderhub.onboarding.states import LIFECYCLE, OrderStatus, require_at_least

SERVICES = OrderService.__table__
_SELECT_PLAN = (
    update(orders.ONBOARDING_ORDERS)
    .where(
        orders.ONBOARDING_ORDERS.c.id == bindparam("b_id"),
        orders.ONBOARDING_ORDERS.c.package_plan_id.is_(None),
    )
    .values(
        package_plan_id=bindparam("b_plan"),
        status=OrderStatus.PACKAGE_SELECTED,
        updated_at=bindparam("b_now"),
    )
)


class PlanNotFound(NotFound):
    code = "package_plan_not_found"
    title = "Package plan not found"


@dataclass(frozen=True)
class Plan:
    package: Row
    plan: dict[str, Any]


def available(session: Session, *, order: Row) -> list[Row]:
    """Packages every service type of which qualified on this order."""
    require_at_least(order.status, OrderStatus.QUALIFIED, "packageSelection")
    qualified = qualification.qualified_types(orders.qualifications_of(session, order_id=order.id))
    return [p for p in catalog.packages(session) if set(p.service_types) <= qualified]


def plan(session: Session, plan_id: str) -> Plan:
    """A package plan and the package it belongs to (the catalog is small: one read)."""
    for package in catalog.packages(session):
        for candidate in package.plans:
            if candidate["id"] == plan_id:
                return Plan(package, candidate)
    raise PlanNotFound(f"No package plan '{plan_id}'.")


def select(session: Session, *, order: Row, plan_id: str, actor: str) -> list[str]:
    """Choose the order's package plan, once; returns the ids of its services to configure."""
    require_at_least(order.status, OrderStatus.QUALIFIED, "packageSelection")
    if order.package_plan_id is not None:
        raise Conflict(
            f"Plan '{order.package_plan_id}' is already selected; a package is chosen once.",
            code="package_already_selected",
            title="Package already selected",
            extra={"packagePlanId": order.package_plan_id},
        )
    chosen = plan(session, plan_id)
    if chosen.package.id not in {p.id for p in available(session, order=order)}:
        raise ValidationFailed.one(
            "packagePlanId",
            "not_qualified",
            f"Package '{chosen.package.id}' needs a successful SQ for each of: "
            f"{', '.join(chosen.package.service_types)}.",
        )
    LIFECYCLE.check(order.status, OrderStatus.PACKAGE_SELECTED)
    now = utcnow()
    session.execute(_SELECT_PLAN, {"b_id": order.id, "b_plan": plan_id, "b_now": now})
    orders.moved(session, order=order, status=OrderStatus.PACKAGE_SELECTED, at=now)
    rows = [
        {
            "id": new_id("osv"),
            "order_id": order.id,
            "position": position,
            "service_type_id": type_id,
            "configuration": {},
            "features": [],
            "contacts": [],
            "identifiers": [],
            "updated_at": now,
        }
        for position, type_id in enumerate(chosen.package.service_types)
    ]
    session.execute(insert(SERVICES), rows)
    ledger.record(
        session,
        order_id=order.id,
        type="package.selected",
        actor=actor,
        data={"packageId": chosen.package.id, "packagePlanId": plan_id},
    )
    return [r["id"] for r in rows]
