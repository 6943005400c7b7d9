"""Validating an order for submission, and submitting it."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import Row, bindparam, update
from sqlalchemy.orm import Session

from orderhub.catalog import service as catalog
from orderhub.credit import service as credit
from orderhub.customers import service as customers
from orderhub.errors import Conflict
from orderhub.fulfillment import service as fulfillment
from orderhub.ids import utcnow
from orderhub.inventory import service as inventory
from orderhub.ledger import service as ledger
from orderhub.ledger.states import Channel, common_state
from orderhub.numbers import service as numbers
from orderhub.orders import rules
from orderhub.orders import service as orders
from orderhub.orders.service import ORDERS
from orderhub.orders.states import OrderStatus, transition

_MARK_SUBMITTED = (
    update(ORDERS)
    .where(ORDERS.c.id == bindparam("order_id"))
    .values(
        status=bindparam("new_status"),
        state=bindparam("new_state"),
        submitted_at=bindparam("now"),
        updated_at=bindparam("now"),
        confirmation_number=bindparam("confirmation"),
        requested_date=bindparam("requested"),
        # Handed to the fulfillment port by the worker at once (orders/progress.py).
        fulfillment_due_at=bindparam("b_due"),
    )
    .returning(*ORDERS.c)
)


class OrderNotSubmittable(Conflict):
    code = "order_not_valid"
    title = "Order cannot be submitted"


class OrderAlreadySubmitted(Conflict):
    code = "order_already_submitted"
    title = "Order already submitted"


def problems(
    session: Session, *, order: Row, terms_version: str, now: datetime
) -> list[rules.Problem]:
    """Every problem blocking submission, gathered from the order's parts."""
    return _problems(
        session,
        order,
        orders.items_of(session, order_id=order.id),
        fulfillment.get(session, order_id=order.id),
        terms_version,
        now,
    )


def _problems(
    session: Session,
    order: Row,
    items: list[Row],
    f: Row | None,
    terms_version: str,
    now: datetime,
) -> list[rules.Problem]:
    application = credit.get(session, order_id=order.id)
    held = numbers.held_by(session, order_id=order.id)
    offers = catalog.get_offers(session, offer_ids=[i.offer_id for i in items])
    address = (f.standardized_address or f.shipping_address) if f else None
    facts = rules.SubmissionFacts(
        status=order.status,
        items=[
            rules.LineItem(
                i.id,
                i.name,
                i.lines,
                offers[i.offer_id].eligibility if i.offer_id in offers else {},
                offer_id=i.offer_id,
                sold=i.offer_id in offers and offers[i.offer_id].active,
            )
            for i in items
        ],
        credit=rules.CreditView(application.decision, application.max_lines)
        if application
        else None,
        fulfillment=rules.FulfillmentView(
            method=f.method,
            address_valid=f.address_valid,
            has_contact=bool(f.contact),
            terms_version=f.terms_version,
            terms_accepted=f.terms_accepted_at is not None,
            zip_code=address["zipCode"][:5] if address else None,
        )
        if f
        else None,
        reservations=[
            rules.Reservation(n.item_id or "", n.number, n.reserved_until, n.status) for n in held
        ],
        terms_version=terms_version,
        now=now,
    )
    return rules.submission_problems(facts)


def submit(session: Session, *, order: Row, terms_version: str, actor: str) -> Row:
    """Submit a valid draft: numbers become assigned and the order gets a confirmation;
    it is due for hand-off to fulfillment, which the worker does (orders/progress.py).

    `order` must have been claimed for change (orders.claim_for_change) in this
    transaction, so that a concurrent submit of the same order waits and then sees it.
    """
    if order.status != OrderStatus.DRAFT:
        raise OrderAlreadySubmitted(
            f"The order is already '{order.status}'.", extra={"currentStatus": order.status}
        )
    now = utcnow()
    items = orders.items_of(session, order_id=order.id)
    delivery = fulfillment.get(session, order_id=order.id)
    found = _problems(session, order, items, delivery, terms_version, now)
    if found:
        listed = [p.to_field_problem() for p in found]
        raise OrderNotSubmittable(
            f"{len(found)} problem(s) block submission.",
            # `problems`, the list's name before `errors`, is kept for one release.
            extra={"errors": listed, "problems": listed},
        )
    assigned = numbers.assign(
        session, order_id=order.id, expected=sum(i.lines for i in items), now=now
    )
    _add_preactive_lines(session, order=order, items=items, assigned=assigned, now=now, actor=actor)
    confirmation = "OH" + "".join(str(secrets.randbelow(10)) for _ in range(10))
    status = transition(order.status, OrderStatus.SUBMITTED)
    submitted = session.execute(
        _MARK_SUBMITTED,
        {
            "order_id": order.id,
            "new_status": status,
            "new_state": common_state(Channel.DIRECT, status),
            "now": now,
            "confirmation": confirmation,
            "requested": delivery.requested_date if delivery else None,
            "b_due": now,
        },
    ).one()
    ledger.announce_move(
        session,
        order_id=order.id,
        channel=Channel.DIRECT,
        owner=order.owner,
        status=status,
        previous=order.status,
        at=now,
    )
    ledger.record(
        session,
        order_id=order.id,
        type="order.submitted",
        actor=actor,
        from_status=OrderStatus.DRAFT,
        to_status=status,
        data={"confirmationNumber": confirmation},
    )
    return submitted


def _add_preactive_lines(
    session: Session,
    *,
    order: Row,
    items: list[Row],
    assigned: list[Row],
    now: datetime,
    actor: str,
) -> None:
    """Each assigned number becomes a PreActive line of the customer's account in the
    shared inventory, on the plan of its item; fulfilment activates it later."""
    if not assigned:
        return
    account = customers.billing_account(session, customer_id=order.customer_id)
    inventory.ensure_account(
        session,
        number=account.number,
        kind="consumer",
        name=f"{account.first_name} {account.last_name}",
        customer_id=order.customer_id,
    )
    plan_of = {i.id: i.offer_id for i in items}
    inventory.add_lines(
        session,
        lines=[
            inventory.NewLine(
                ctn=n.number,
                account_number=account.number,
                rate_plan_id=plan_of[n.item_id],
                bill_cycle_day=min(now.day, 28),
                source_order_id=order.id,
            )
            for n in assigned
        ],
        actor=actor,
    )
