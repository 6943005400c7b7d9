"""Terms and conditions of an onboarding order, and submitting it into the inventory."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row, bindparam, update
from sqlalchemy.orm import Session

from orderhub.errors import Conflict, FieldProblem, ValidationFailed
from orderhub.ids import iso_z, utcnow
from orderhub.inventory import provisioned
from orderhub.inventory import service as inventory
from orderhub.ledger import service as ledger
from orderhub.onboarding import (
    accounts,
    catalog,
    configuration,
    orders,
    packages,
    payments,
    providers,
)
from orderhub.onboarding.states import LIFECYCLE, OrderStatus, require_at_least

_ACCEPT_TERMS = (
    update(orders.ONBOARDING_ORDERS)
    .where(orders.ONBOARDING_ORDERS.c.id == bindparam("b_id"))
    .values(terms_accepted=bindparam("b_terms"), terms_accepted_at=bindparam("b_now"))
)
_MARK_SUBMITTED = (
    update(orders.ONBOARDING_ORDERS)
    .where(orders.ONBOARDING_ORDERS.c.id == bindparam("b_id"))
    .values(
        status=OrderStatus.SUBMITTED,
        package_subscription_id=bindparam("b_subscription"),
        submitted_at=bindparam("b_now"),
        updated_at=bindparam("b_now"),
    )
)


class OrderIncomplete(Conflict):
    code = "order_incomplete"
    title = "Order cannot be submitted"


def terms_for(session: Session, *, order: Row) -> list[Row]:
    """The terms blocks that apply: general ones, minimum-term ones for a fixed-term plan,
    and those of each service type in the package. None when the order's provider does
    not subscribe to the terms module (seed 003: terms are "mandatory for an order by a
    service provider who subscribes to the Terms and Conditions module")."""
    require_at_least(order.status, OrderStatus.PACKAGE_SELECTED, "termsAndConditions")
    if not providers.of(session, partner_id=order.partner_id).terms_module:
        return []
    chosen = packages.plan(session, order.package_plan_id)
    applies = {"*", *chosen.package.service_types}
    if chosen.plan["termMonths"] > 0:
        applies.add("fixedTerm")
    return [t for t in catalog.terms(session) if t.applies_to in applies]


def accept_terms(
    session: Session, *, order: Row, accepted: list[dict[str, str]], actor: str
) -> list[dict[str, str]]:
    """Record acceptance of every applicable block, at its current version."""
    due = {t.id: t.version for t in terms_for(session, order=order)}
    given = {a["id"]: a["version"] for a in accepted}
    refused = [
        FieldProblem(
            "accepted", "accept_every_block", f"Accept block '{block_id}' at version {version}."
        )
        for block_id, version in due.items()
        if given.get(block_id) != version
    ]
    if refused:
        raise ValidationFailed("Every applicable terms block must be accepted.", errors=refused)
    record = [{"id": k, "version": v} for k, v in sorted(due.items())]
    session.execute(_ACCEPT_TERMS, {"b_id": order.id, "b_terms": record, "b_now": utcnow()})
    ledger.record(session, order_id=order.id, type="terms.accepted", actor=actor)
    return record


def problems(session: Session, *, order: Row, realms: list[str]) -> list[dict[str, Any]]:
    """Everything that keeps the order from being submitted, all at once."""
    found = configuration.missing(session, order=order, realms=realms)
    if (unpaid := payments.missing_payment(session, order=order)) is not None:
        found.append(unpaid)
    due = {t.id: t.version for t in terms_for(session, order=order)}
    accepted = {a["id"]: a["version"] for a in order.terms_accepted or []}
    if any(accepted.get(k) != v for k, v in due.items()):
        found.append(
            {
                "field": "termsAndConditions",
                "rule": "terms_not_accepted",
                "message": "Accept the current terms and conditions first.",
            }
        )
    return found


def submit(session: Session, *, order: Row, actor: str) -> provisioned.CreatedPackage:
    """Create the package subscription, its service subscriptions and PreActive services,
    in the inventory account of the order's account."""
    account = accounts.of_order(session, order=order)
    require_at_least(order.status, OrderStatus.PACKAGE_SELECTED, "submit")
    found = problems(session, order=order, realms=providers.realms_of(session, account=account))
    if found:
        raise OrderIncomplete(
            f"{len(found)} problem(s) block submission.",
            # `problems`, the list's name before `errors`, is kept for one release.
            extra={"errors": found, "problems": found},
        )
    chosen = packages.plan(session, order.package_plan_id)
    sold_on = _qualifications(session, order.id)
    inventory.ensure_account(
        session,
        number=account.number,
        kind="serviceProvider",
        name=_account_name(account.customer),
        customer_id=account.id,
    )
    inventory.grant_access(session, account_number=account.number, partner_id=order.partner_id)
    created = provisioned.add_package(
        session,
        account_number=account.number,
        package_id=chosen.package.id,
        package_plan_id=order.package_plan_id,
        term_months=chosen.plan["termMonths"],
        services=[
            provisioned.NewService(
                s.service_type_id,
                s.configuration,
                s.features,
                s.contacts,
                s.identifiers,
                sold_on.get(s.service_type_id),
            )
            for s in configuration.services_of(session, order_id=order.id)
        ],
        source_order_id=order.id,
    )
    LIFECYCLE.check(order.status, OrderStatus.SUBMITTED)
    now = utcnow()
    session.execute(
        _MARK_SUBMITTED,
        {"b_id": order.id, "b_subscription": created.package_subscription_id, "b_now": now},
    )
    orders.moved(session, order=order, status=OrderStatus.SUBMITTED, at=now)
    ledger.index_references(
        session,
        order_id=order.id,
        refs={"packageSubscriptionId": created.package_subscription_id},
    )
    ledger.record(
        session,
        order_id=order.id,
        type="order.submitted",
        actor=actor,
        data={"packageSubscriptionId": created.package_subscription_id},
    )
    return created


def _account_name(customer: dict[str, Any]) -> str:
    return customer.get("companyName") or f"{customer.get('firstName')} {customer.get('lastName')}"


def _qualifications(session: Session, order_id: str) -> dict[str, dict[str, Any]]:
    """Per service type, the latest successful SQ the service is sold on (the provisioned
    service keeps where, or on which number, it was found serviceable)."""
    found: dict[str, dict[str, Any]] = {}
    for sq in orders.qualifications_of(session, order_id=order_id):  # oldest first
        if sq.qualified:
            found[sq.service_type_id] = {
                "kind": catalog.check_type_name(sq.kind),
                "sqId": sq.id,
                "qualifiedAt": iso_z(sq.created_at),
            } | sq.details
    return found
