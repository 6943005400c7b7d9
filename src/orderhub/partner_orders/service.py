"""B2B orders (seed 002, "Order Creation & Enrichment"): created from a quote with a
signed contract, one sub-order per site and product; read, listed, enriched.

Core statements built once, no relationships: an order is its row, its sub-orders (one
read) and its history (one read), whatever the number of sites and products.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row, bindparam, insert, select, update
from sqlalchemy.orm import Session

from orderhub.db import serialize_on
from orderhub.errors import Conflict, NotFound, ValidationFailed
from orderhub.ids import new_id, utcnow
from orderhub.ledger import service as ledger
from orderhub.ledger.states import Channel
from orderhub.opportunities import service as opportunities
from orderhub.partner_orders import rules
from orderhub.partner_orders.models import PartnerOrder, PartnerSubOrder
from orderhub.partner_orders.states import PartnerOrderStatus, require_draft
from orderhub.quotes.models import Quote, QuoteItem, QuoteSite
from orderhub.quotes.service import QuoteNotFound

PARTNER_ORDERS = PartnerOrder.__table__
SUBS = PartnerSubOrder.__table__
QUOTES = Quote.__table__
SITES = QuoteSite.__table__
ITEMS = QuoteItem.__table__

_OWNED = (
    PARTNER_ORDERS.c.id == bindparam("order_id"),
    PARTNER_ORDERS.c.partner_id == bindparam("partner"),
)
_OWN_ORDER = select(PARTNER_ORDERS).where(*_OWNED)
# Every change moves updated_at first, which takes the row lock on PostgreSQL: two
# changes (or two submits) of one order run one after the other.
_CLAIM = (
    update(PARTNER_ORDERS)
    .where(*_OWNED)
    .values(updated_at=bindparam("now"))
    .returning(*PARTNER_ORDERS.c)
)
_SUBS_OF = select(SUBS).where(SUBS.c.order_id == bindparam("order_id")).order_by(SUBS.c.position)
_OWN_QUOTE = select(QUOTES).where(
    QUOTES.c.id == bindparam("quote_id"), QUOTES.c.partner_id == bindparam("partner")
)
_ORDER_OF_QUOTE = select(PARTNER_ORDERS.c.id).where(
    PARTNER_ORDERS.c.quote_id == bindparam("quote_id")
)
_QUOTE_LINES = (
    select(
        ITEMS.c.id,
        ITEMS.c.product_id,
        ITEMS.c.product_name,
        ITEMS.c.access_speed,
        ITEMS.c.port_speed,
        ITEMS.c.installation_option,
        ITEMS.c.discount_percent,
        ITEMS.c.promotion_ids,
        ITEMS.c.monthly_cents,
        ITEMS.c.one_time_cents,
        SITES.c.name.label("site_name"),
        SITES.c.standardized_address,
        SITES.c.address,
    )
    .join(SITES, SITES.c.id == ITEMS.c.site_id)
    .where(ITEMS.c.quote_id == bindparam("quote_id"))
    .order_by(SITES.c.position, ITEMS.c.position)
)
_INSERT_ORDER = insert(PARTNER_ORDERS).returning(*PARTNER_ORDERS.c)
_INSERT_SUBS = insert(SUBS)
_SET_ORDER = (
    update(PARTNER_ORDERS)
    .where(PARTNER_ORDERS.c.id == bindparam("b_id"))
    .values(
        installation=bindparam("b_installation"),
        shipping=bindparam("b_shipping"),
        billing_configuration=bindparam("b_billing"),
        customer_defined_group=bindparam("b_cdg"),
    )
    .returning(*PARTNER_ORDERS.c)
)
_SET_SUB = (
    update(SUBS)
    .where(SUBS.c.id == bindparam("b_id"))
    .values(
        installation=bindparam("b_installation"),
        shipping=bindparam("b_shipping"),
        billing_configuration=bindparam("b_billing_configuration"),
    )
)


def _listing(status: bool, cdg: bool, customer: bool):
    stmt = select(PARTNER_ORDERS).where(PARTNER_ORDERS.c.partner_id == bindparam("partner"))
    if status:
        stmt = stmt.where(PARTNER_ORDERS.c.status == bindparam("status"))
    if cdg:
        stmt = stmt.where(PARTNER_ORDERS.c.customer_defined_group == bindparam("cdg"))
    if customer:
        stmt = stmt.where(PARTNER_ORDERS.c.customer_id == bindparam("customer"))
    return (
        stmt.order_by(PARTNER_ORDERS.c.created_at.desc(), PARTNER_ORDERS.c.id.desc())
        .limit(bindparam("limit"))
        .offset(bindparam("offset"))
    )


# One statement per combination of filters, each built once (8 in all).
_LISTINGS = {
    (s, g, c): _listing(s, g, c)
    for s in (False, True)
    for g in (False, True)
    for c in (False, True)
}

SECTIONS = ("installation", "shipping", "billingConfiguration")


class PartnerOrderNotFound(NotFound):
    code = "order_not_found"
    title = "Order not found"


class SubOrderNotFound(NotFound):
    code = "sub_order_not_found"
    title = "Sub-order not found"


class ContractNotSigned(Conflict):
    code = "contract_not_signed"
    title = "The quote has no signed contract"


class OrderExists(Conflict):
    code = "order_exists"
    title = "The quote already has an order"


@dataclass(frozen=True)
class OrderDetail:
    order: Row
    sub_orders: list[Row]


def create(session: Session, *, partner_id: str, quote_id: str) -> OrderDetail:
    """A draft order from a quote with a signed contract: one sub-order per site and
    product, prices and configuration copied from the quote."""
    # Check-then-insert: two creates for one quote must not both pass the check.
    serialize_on(session, f"partner-order:{quote_id}")
    quote = session.execute(_OWN_QUOTE, {"quote_id": quote_id, "partner": partner_id}).first()
    if quote is None:
        raise QuoteNotFound(f"No quote '{quote_id}'.")
    if not quote.locked_by_contract_id:
        raise ContractNotSigned(
            "Orders are created from a quote whose contract is signed "
            "(POST /b2b/v1/contracts/{id}/sign).",
            extra={"quoteId": quote.id},
        )
    existing = session.execute(_ORDER_OF_QUOTE, {"quote_id": quote.id}).first()
    if existing is not None:
        raise OrderExists(
            f"Quote '{quote.id}' already has order '{existing.id}'.",
            extra={"orderId": existing.id},
        )
    now = utcnow()
    order_id = new_id("bor")
    # The order wins the quote's opportunity in its own transaction (409 if it was won
    # by another of its quotes, or lost).
    opportunities.win(
        session, opportunity_id=quote.opportunity_id, quote_id=quote.id, order_id=order_id, at=now
    )
    ledger.open_order(
        session,
        order_id=order_id,
        channel=Channel.PARTNER,
        owner=f"partner:{partner_id}",
        party_kind="business_customer",
        party_id=quote.customer_id,
        status=PartnerOrderStatus.DRAFT,
        at=now,
        monthly_cents=quote.monthly_cents,
        one_time_cents=quote.one_time_cents,
        currency=quote.currency,
        refs={
            "quoteId": quote.id,
            "opportunityId": quote.opportunity_id,
            "contractId": quote.locked_by_contract_id,
            "poNumber": (quote.billing or {}).get("purchaseOrderNumber"),
        },
    )
    order = session.execute(
        _INSERT_ORDER,
        {
            "id": order_id,
            "partner_id": partner_id,
            "customer_id": quote.customer_id,
            "quote_id": quote.id,
            "contract_id": quote.locked_by_contract_id,
            "status": PartnerOrderStatus.DRAFT,
            "customer_defined_group": None,
            "installation": None,
            "shipping": None,
            "billing_configuration": None,
            "acknowledgement_id": None,
            "provisioning_reference": None,
            "provisioning_due_at": None,
            "monthly_cents": quote.monthly_cents,
            "one_time_cents": quote.one_time_cents,
            "currency": quote.currency,
            "created_at": now,
            "updated_at": now,
            "submitted_at": None,
        },
    ).one()
    subs = [
        {
            "id": new_id("bso"),
            "order_id": order.id,
            "position": n,
            "quote_item_id": line.id,
            "site_name": line.site_name,
            "site_address": line.standardized_address or line.address,
            "product_id": line.product_id,
            "product_name": line.product_name,
            "configuration": {
                "accessSpeed": line.access_speed,
                "portSpeed": line.port_speed,
                "installationOption": line.installation_option,
                "discountPercent": line.discount_percent,
                "promotionIds": line.promotion_ids,
            },
            "monthly_cents": line.monthly_cents,
            "one_time_cents": line.one_time_cents,
            "status": PartnerOrderStatus.DRAFT,
            "installation": None,
            "shipping": None,
            "billing_configuration": None,
        }
        for n, line in enumerate(session.execute(_QUOTE_LINES, {"quote_id": quote.id}))
    ]
    session.execute(_INSERT_SUBS, subs)
    record(session, [event(order.id, "order.created", actor=f"partner:{partner_id}", now=now)])
    # The answer is what was just written: no read back.
    return OrderDetail(order, [_SubRow(**s) for s in subs])


class _SubRow:
    """A sub-order just inserted, read by attribute like a Row."""

    def __init__(self, **values: Any) -> None:
        self.__dict__.update(values)


def get_for_partner(session: Session, *, partner_id: str, order_id: str) -> Row:
    """The partner's own order; another partner's is 404 like one never created."""
    order = session.execute(_OWN_ORDER, {"order_id": order_id, "partner": partner_id}).first()
    if order is None:
        raise PartnerOrderNotFound(f"No order '{order_id}'.")
    return order


def claim_for_change(session: Session, *, partner_id: str, order_id: str) -> Row:
    """The partner's order, locked for a change (its updated_at moves)."""
    order = session.execute(
        _CLAIM, {"order_id": order_id, "partner": partner_id, "now": utcnow()}
    ).first()
    if order is None:
        raise PartnerOrderNotFound(f"No order '{order_id}'.")
    return order


def detail(session: Session, *, order: Row) -> OrderDetail:
    return OrderDetail(order, list(session.execute(_SUBS_OF, {"order_id": order.id})))


def history(session: Session, *, order_id: str) -> list[Row]:
    return ledger.history(session, order_id=order_id)


def list_for_partner(
    session: Session,
    *,
    partner_id: str,
    status: str | None,
    cdg: str | None,
    customer_id: str | None,
    limit: int,
    offset: int,
) -> list[Row]:
    """The partner's orders, newest first, by status, customer-defined group, customer."""
    stmt = _LISTINGS[(status is not None, cdg is not None, customer_id is not None)]
    params = {"partner": partner_id, "status": status, "cdg": cdg, "customer": customer_id}
    params |= {"limit": limit, "offset": offset}
    return list(session.execute(stmt, {k: v for k, v in params.items() if v is not None}))


def enrich(
    session: Session,
    *,
    partner_id: str,
    order_id: str,
    sub_order_id: str | None,
    changes: dict[str, Any],
) -> OrderDetail:
    """Replace the enrichment sections sent (by wire name; None clears one), on the
    order or on one of its sub-orders. Only a draft order is enriched."""
    order = claim_for_change(session, partner_id=partner_id, order_id=order_id)
    require_draft(order.status)
    today = utcnow().date()
    at = "installation"
    problems = rules.date_problems(changes.get("installation"), at=at, today=today)
    if problems:
        raise ValidationFailed("The enrichment is not valid.", errors=problems)
    found = detail(session, order=order)
    if sub_order_id is None:
        order = session.execute(
            _SET_ORDER,
            {
                "b_id": order.id,
                "b_installation": changes.get("installation", order.installation),
                "b_shipping": changes.get("shipping", order.shipping),
                "b_billing": changes.get("billingConfiguration", order.billing_configuration),
                "b_cdg": changes.get("customerDefinedGroup", order.customer_defined_group),
            },
        ).one()
        subs = found.sub_orders
    else:
        sub = next((s for s in found.sub_orders if s.id == sub_order_id), None)
        if sub is None:
            raise SubOrderNotFound(f"Order '{order_id}' has no sub-order '{sub_order_id}'.")
        values = {
            "installation": changes.get("installation", sub.installation),
            "shipping": changes.get("shipping", sub.shipping),
            "billing_configuration": changes.get("billingConfiguration", sub.billing_configuration),
        }
        session.execute(_SET_SUB, {"b_id": sub.id} | {f"b_{k}": v for k, v in values.items()})
        subs = [
            _SubRow(**(s._asdict() | values)) if s.id == sub.id else s for s in found.sub_orders
        ]
    sent = sorted(k for k in changes if k in (*SECTIONS, "customerDefinedGroup"))
    record(
        session,
        [
            event(
                order.id,
                "order.enriched",
                actor=f"partner:{partner_id}",
                sub_order_id=sub_order_id,
                note=", ".join(sent),
                now=utcnow(),
            )
        ],
    )
    return OrderDetail(order, subs)


def event(
    order_id: str,
    type: str,
    *,
    actor: str,
    now: datetime,
    sub_order_id: str | None = None,
    from_status: str | None = None,
    to_status: str | None = None,
    note: str | None = None,
) -> dict[str, Any]:
    """One history row (ledger.record_many) of the order or one of its sub-orders."""
    return {
        "order_id": order_id,
        "type": type,
        "actor": actor,
        "subject_id": sub_order_id,
        "from_status": from_status,
        "to_status": to_status,
        "data": {"note": note} if note else {},
        "created_at": now,
    }


def record(session: Session, events: list[dict[str, Any]]) -> None:
    """Append rows to the order's history, in the transaction of the change (one batch)."""
    ledger.record_many(session, events)
