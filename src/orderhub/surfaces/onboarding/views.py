"""Shaping onboarding rows into the onboarding API's answers."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row
from sqlalchemy.orm import Session

from orderhub.ledger import service as ledger
from orderhub.onboarding import catalog, orders, payments, providers, qualification
from orderhub.surfaces.onboarding import schemas as s
from orderhub.surfaces.schemas import money


def account(session: Session, row: Row) -> s.AccountOut:
    """The account, with the identifier realms its services may use (its provider's)."""
    return s.AccountOut(
        id=row.id,
        number=row.number,
        customer=row.customer,
        primary_contact=row.primary_contact,
        billing_contact=row.billing_contact,
        username=row.username,
        identifier_realms=providers.realms_of(session, account=row),
        created_at=row.created_at,
    )


def sq(result: Row) -> s.SqOut:
    return s.SqOut(
        id=result.id,
        service_type_id=result.service_type_id,
        kind=catalog.check_type_name(result.kind),
        qualified=result.qualified,
        reason=result.reason,
        details=result.details,
        created_at=result.created_at,
    )


def order(session: Session, row: Row) -> s.OrderOut:
    """The order with its qualifications, payments and event history (read here)."""
    results = orders.qualifications_of(session, order_id=row.id)
    return s.OrderOut(
        id=row.id,
        account_id=row.account_id,
        status=row.status,
        package_plan_id=row.package_plan_id,
        qualifications=[sq(r) for r in results],
        qualified_service_types=sorted(qualification.qualified_types(results)),
        payment=payment_summary(session, row),
        payments=[payment(p) for p in payments.of_order(session, order_id=row.id)],
        created_at=row.created_at,
        updated_at=row.updated_at,
        events=[
            s.EventOut(id=e.id, type=e.type, actor=e.actor, data=e.data, created_at=e.created_at)
            for e in ledger.history(session, order_id=row.id)
        ],
    )


def plan(data: dict[str, Any]) -> s.PlanOut:
    return s.PlanOut(
        id=data["id"],
        name=data["name"],
        monthly=money(data["monthlyCents"]),
        one_time=money(data["oneTimeCents"]),
        term_months=data["termMonths"],
    )


def package(p: Row) -> s.PackageOut:
    return s.PackageOut(
        id=p.id, name=p.name, service_types=p.service_types, plans=[plan(x) for x in p.plans]
    )


def service(row: Row) -> s.ServiceOut:
    return s.ServiceOut(
        id=row.id,
        service_type_id=row.service_type_id,
        configuration=row.configuration,
        features=row.features,
        contacts=row.contacts,
        identifiers=row.identifiers,
    )


def note(row: Row) -> s.NoteOut:
    return s.NoteOut(id=row.id, text=row.text, author=row.author, created_at=row.created_at)


def payment(row: Row) -> s.PaymentOut:
    return s.PaymentOut(
        id=row.id,
        order_id=row.order_id,
        amount=money(row.amount_cents),
        currency=row.currency,
        status=row.status,
        decline_code=row.decline_code,
        card={"brand": row.card_brand, "last4": row.card_last4},
        reference=row.reference,
        created_at=row.created_at,
        settled_at=row.settled_at,
    )


def payment_summary(session: Session, order: Row) -> s.PaymentSummaryOut:
    found = payments.summary(session, order=order)
    return s.PaymentSummaryOut(
        required=found["required"],
        up_front=None if found["up_front_cents"] is None else money(found["up_front_cents"]),
        paid=money(found["paid_cents"]),
        due=None if found["due_cents"] is None else money(found["due_cents"]),
        currency=found["currency"],
    )
