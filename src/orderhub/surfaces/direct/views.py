"""Shaping rows into this surface's response models."""

from __future__ import annotations

from sqlalchemy import Row
from sqlalchemy.orm import Session

from orderhub.credit import service as credit
from orderhub.customers.service import CustomerRecord
from orderhub.errors import ValidationFailed
from orderhub.fulfillment import service as fulfillment
from orderhub.ledger import service as ledger
from orderhub.numbers import service as numbers
from orderhub.orders import service as orders
from orderhub.surfaces.direct import number_schemas as ns
from orderhub.surfaces.direct import schemas as s
from orderhub.surfaces.schemas import money


def customer(record: CustomerRecord) -> s.CustomerOut:
    c = record.customer
    return s.CustomerOut(
        id=c.id,
        type=c.type,
        first_name=c.first_name,
        last_name=c.last_name,
        email=c.email,
        phone=c.phone,
        accounts=[
            s.AccountOut(id=a.id, number=a.number, type=a.type, status=a.status)
            for a in record.accounts
        ],
        addresses=[
            s.AddressOut(
                kind=a.kind,
                address_line1=a.line1,
                address_line2=a.line2,
                city=a.city,
                state=a.state,
                zip_code=a.zip_code,
            )
            for a in record.addresses
        ],
    )


def offer(o: Row) -> s.OfferOut:
    return s.OfferOut(
        id=o.id,
        name=o.name,
        category=o.category,
        description=o.description,
        lines=o.lines,
        prices=[
            s.PriceOut(type="monthly", amount=money(o.monthly_cents), currency=o.currency),
            s.PriceOut(type="oneTime", amount=money(o.one_time_cents), currency=o.currency),
        ],
        promotions=[
            s.PromotionOut(
                id=p["id"],
                name=p["name"],
                monthly_discount=money(int(p.get("monthlyDiscountCents", 0))),
                months=p.get("months"),
            )
            for p in o.promotions
        ],
        eligibility=o.eligibility,
        attributes=o.attributes,
    )


def totals(o: Row) -> s.TotalsOut:
    return s.TotalsOut(
        monthly=money(o.monthly_cents), one_time=money(o.one_time_cents), currency=o.currency
    )


def order_summary(o: Row) -> s.OrderSummaryOut:
    return s.OrderSummaryOut(
        id=o.id,
        status=o.status,
        totals=totals(o),
        confirmation_number=o.confirmation_number,
        created_at=o.created_at,
        updated_at=o.updated_at,
    )


def fulfillment_out(f: Row) -> s.FulfillmentOut:
    return s.FulfillmentOut(
        order_id=f.order_id,
        method=f.method,
        shipping_address=f.shipping_address,
        address_validation=s.AddressValidationOut(
            valid=f.address_valid,
            standardized_address=f.standardized_address,
            problems=[s.AddressProblemOut(**p) for p in f.address_problems or []],
        ),
        store_id=f.store_id,
        contact=f.contact,
        requested_date=f.requested_date,
        terms_and_conditions=s.TermsAcceptanceOut(
            accepted=f.terms_accepted_at is not None,
            version=f.terms_version,
            accepted_at=f.terms_accepted_at,
        ),
        created_at=f.created_at,
        updated_at=f.updated_at,
    )


def credit_summary(a: Row | None) -> s.CreditSummaryOut | None:
    if a is None:
        return None
    return s.CreditSummaryOut(
        credit_application_id=a.id, decision=a.decision, max_lines=a.max_lines
    )


def order(session: Session, o: Row) -> s.OrderOut:
    """The whole order: items, totals, credit, fulfillment, numbers and its event trail."""
    f = fulfillment.get(session, order_id=o.id)
    return s.OrderOut(
        id=o.id,
        status=o.status,
        channel=o.channel,
        customer_id=o.customer_id,
        items=[
            s.ItemOut(
                id=i.id,
                offer_id=i.offer_id,
                name=i.name,
                category=i.category,
                quantity=i.quantity,
                lines=i.lines,
                monthly=money(i.unit_monthly_cents),
                one_time=money(i.unit_one_time_cents),
                monthly_discount=money(i.monthly_discount_cents),
                promotion_id=i.promotion_id,
            )
            for i in orders.items_of(session, order_id=o.id)
        ],
        totals=totals(o),
        confirmation_number=o.confirmation_number,
        created_at=o.created_at,
        updated_at=o.updated_at,
        submitted_at=o.submitted_at,
        credit=credit_summary(credit.get(session, order_id=o.id)),
        fulfillment=fulfillment_out(f) if f else None,
        numbers=[
            s.NumberOut(
                number=n.number, item_id=n.item_id, status=n.status, reserved_until=n.reserved_until
            )
            for n in numbers.held_by(session, order_id=o.id)
        ],
        events=[
            s.EventOut(id=e.id, type=e.type, actor=e.actor, data=e.data, created_at=e.created_at)
            for e in ledger.history(session, order_id=o.id)
        ],
    )


def number_question(body: ns.NumberSearchIn) -> tuple[str, None] | tuple[None, str]:
    """(areaCode, None) for a search, (None, number) for a check: exactly one of them."""
    if body.area_code is None and body.number is None:
        raise ValidationFailed.one(
            "areaCode",
            "area_code_or_number",
            "Send areaCode to search for free numbers, or number to check one.",
        )
    if body.area_code is not None and body.number is not None:
        raise ValidationFailed.one(
            "number", "area_code_or_number", "Send either areaCode or number, not both."
        )
    if body.number is not None:
        if "count" in body.model_fields_set:
            raise ValidationFailed.one(
                "count", "area_code_search_only", "count goes with areaCode, not with number."
            )
        return None, body.number
    return str(body.area_code), None


def dump(model: s.WireModel) -> dict:
    return model.model_dump(mode="json", by_alias=True)
