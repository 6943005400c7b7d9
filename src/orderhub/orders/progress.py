"""Fulfillment of consumer orders: hand a submitted order to the fulfillment port and
apply the milestones it reports, on schedule (the worker, orders/fulfillment_worker.py)
or at once (`advance`, for the sandbox route, the CLI and tests).

Submission makes an order due at once (`orders.fulfillment_due_at`); the worker hands it
off (history `fulfillment.handed_off` with the port's reference, also indexed as the
order's `fulfillmentReference`) and asks the port again whenever it is due. Each
milestone writes a history row `fulfillment.<step>` and moves the order through
`lifecycle.change_status` where it changes the status: the first shipment (or line
activation) makes it `inFulfillment`, completion `completed` (its PreActive lines become
active), a failure `rejected` (its lines leave the inventory, its numbers the order).
Everything one check brings is applied in one transaction; a final status ends the
schedule.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import Row, bindparam, insert, select, update
from sqlalchemy.orm import Session

from orderhub.adapters.fulfillment import Fulfillment, Milestone, Shipment, Step
from orderhub.errors import Conflict
from orderhub.fulfillment.service import FULFILLMENTS
from orderhub.ids import utcnow
from orderhub.ledger import service as ledger
from orderhub.ledger.service import EVENTS, REFERENCES
from orderhub.numbers.models import PhoneNumber
from orderhub.orders import lifecycle
from orderhub.orders.service import ORDERS
from orderhub.orders.states import LIFECYCLE, OrderStatus, transition

ACTOR = "fulfillment"
HANDED_OFF = "fulfillment.handed_off"
REFERENCE_KIND = "fulfillmentReference"
_TYPES = [HANDED_OFF, *(f"fulfillment.{step}" for step in Step)]
NUMBERS = PhoneNumber.__table__

_DELIVERIES_OF = select(
    FULFILLMENTS.c.order_id,
    FULFILLMENTS.c.method,
    FULFILLMENTS.c.shipping_address,
    FULFILLMENTS.c.standardized_address,
    FULFILLMENTS.c.store_id,
).where(FULFILLMENTS.c.order_id.in_(bindparam("order_ids", expanding=True)))
_LINES_OF = (
    select(NUMBERS.c.order_id, NUMBERS.c.number)
    .where(
        NUMBERS.c.order_id.in_(bindparam("order_ids", expanding=True)),
        NUMBERS.c.status == "assigned",
    )
    .order_by(NUMBERS.c.number)
)
_HISTORY_OF = (
    select(EVENTS.c.order_id, EVENTS.c.type, EVENTS.c.data)
    .where(
        EVENTS.c.order_id.in_(bindparam("order_ids", expanding=True)),
        EVENTS.c.type.in_(_TYPES),
    )
    .order_by(EVENTS.c.id)
)
SCHEDULE = (
    update(ORDERS)
    .where(ORDERS.c.id == bindparam("b_id"))
    .values(fulfillment_due_at=bindparam("b_due"), updated_at=bindparam("b_now"))
)
_SET_DUE = SCHEDULE.returning(*ORDERS.c)
_INSERT_REFERENCES = insert(REFERENCES)

# The status a milestone leaves the order in; a delay changes nothing.
_STATUS_AFTER = {
    Step.SHIPPED: OrderStatus.IN_FULFILLMENT,
    Step.LINE_ACTIVATED: OrderStatus.IN_FULFILLMENT,
    Step.COMPLETED: OrderStatus.COMPLETED,
    Step.FAILED: OrderStatus.REJECTED,
}


class OrderNotInFulfillment(Conflict):
    code = "order_not_in_fulfillment"
    title = "Order is not being fulfilled"


@dataclass(frozen=True)
class Facts:
    """What the port is told about an order, and how far it has come."""

    shipment: Shipment
    reference: str | None  # None: not handed off yet
    reached: Step | None  # the last milestone applied


def moves(status: str, step: Step) -> list[OrderStatus]:
    """The status moves a milestone makes from `status` (none when it is there already),
    each checked against the state table (409 `invalid_transition`)."""
    target = _STATUS_AFTER.get(step)
    if target is None or target == status:
        return []
    path = [target]
    if target == OrderStatus.COMPLETED and status == OrderStatus.SUBMITTED:
        path = [OrderStatus.IN_FULFILLMENT, target]
    current = status
    for next_status in path:
        current = transition(current, next_status)
    return path


def facts_of(session: Session, *, orders: list[Row]) -> dict[str, Facts]:
    """The shipment, reference and last milestone of each order (three reads in all)."""
    ids = {"order_ids": [o.id for o in orders]}
    deliveries = {d.order_id: d for d in session.execute(_DELIVERIES_OF, ids)}
    ctns: dict[str, list[str]] = defaultdict(list)
    for line in session.execute(_LINES_OF, ids):
        ctns[line.order_id].append(line.number)
    reference: dict[str, str] = {}
    reached: dict[str, Step] = {}
    for event in session.execute(_HISTORY_OF, ids):
        if event.type == HANDED_OFF:
            reference[event.order_id] = event.data["reference"]
        else:
            reached[event.order_id] = Step(event.type.removeprefix("fulfillment."))
    found = {}
    for order in orders:
        d = deliveries.get(order.id)
        shipment = Shipment(
            order_id=order.id,
            method=d.method if d else None,
            address=(d.standardized_address or d.shipping_address) if d else None,
            store_id=d.store_id if d else None,
            ctns=tuple(ctns[order.id]),
        )
        found[order.id] = Facts(shipment, reference.get(order.id), reached.get(order.id))
    return found


def hand_off(
    session: Session,
    *,
    shipments: list[Shipment],
    fulfillment: Fulfillment,
    actor: str,
    now: datetime,
) -> dict[str, str]:
    """Give orders to the fulfillment system, each first check scheduled from `now` (three
    statements however many orders); returns each order's reference."""
    handoffs = {s.order_id: fulfillment.hand_off(shipment=s) for s in shipments}
    if not handoffs:
        return {}
    ledger.record_many(
        session,
        [
            {
                "order_id": order_id,
                "type": HANDED_OFF,
                "actor": actor,
                "data": {"reference": h.reference},
                "created_at": now,
            }
            for order_id, h in handoffs.items()
        ],
    )
    # The reference is what the fulfillment system's people quote: operations search by it.
    session.execute(
        _INSERT_REFERENCES,
        [
            {"order_id": order_id, "kind": REFERENCE_KIND, "value": h.reference}
            for order_id, h in handoffs.items()
        ],
    )
    session.execute(
        SCHEDULE,
        [
            {
                "b_id": order_id,
                "b_due": now + timedelta(seconds=h.check_in_seconds),
                "b_now": now,
            }
            for order_id, h in handoffs.items()
        ],
    )
    return {order_id: h.reference for order_id, h in handoffs.items()}


def apply(
    session: Session,
    *,
    order: Row,
    milestones: list[Milestone],
    actor: str,
    now: datetime,
    due_at: datetime | None,
) -> Row:
    """Apply milestones in the order reported: a history row each and the status moves
    they make (all checked before anything is written); then the next check, `due_at`,
    unless the order is final. Returns the order as it is now."""
    planned, status = [], order.status
    for milestone in milestones:
        path = moves(status, milestone.step)
        planned.append((milestone, path))
        status = path[-1] if path else status
    for milestone, path in planned:
        ledger.record(
            session,
            order_id=order.id,
            type=f"fulfillment.{milestone.step}",
            actor=actor,
            at=now,
            data={"note": milestone.note} if milestone.note else {},
        )
        for target in path:
            order = lifecycle.change_status(
                session, order=order, target=target, actor=actor, reason=milestone.note, now=now
            )
    if LIFECYCLE.is_final(order.status):
        return order  # change_status ended the schedule
    return session.execute(_SET_DUE, {"b_id": order.id, "b_due": due_at, "b_now": now}).one()


def check(
    session: Session,
    *,
    order: Row,
    facts: Facts,
    fulfillment: Fulfillment,
    actor: str,
    now: datetime,
) -> Row:
    """Ask the port what the order reached since the last milestone, and apply it; the
    next check is scheduled from `now` (the worker's clock, which tests set)."""
    assert facts.reference is not None
    found = fulfillment.check(
        reference=facts.reference, shipment=facts.shipment, reached=facts.reached
    )
    return apply(
        session,
        order=order,
        milestones=found.milestones,
        actor=actor,
        now=now,
        due_at=None
        if found.check_in_seconds is None
        else now + timedelta(seconds=found.check_in_seconds),
    )


def advance(
    session: Session,
    *,
    order: Row,
    fulfillment: Fulfillment,
    actor: str,
    now: datetime | None = None,
) -> Row:
    """The next milestone of a locked order now, whatever the schedule (sandbox route,
    CLI, tests); an order not handed off yet is handed off first. Returns the order."""
    if order.status not in (OrderStatus.SUBMITTED, OrderStatus.IN_FULFILLMENT):
        raise OrderNotInFulfillment(
            f"The order is '{order.status}': only a submitted order that is not final advances.",
            extra={"currentStatus": order.status},
        )
    now = now or utcnow()
    facts = facts_of(session, orders=[order])[order.id]
    if facts.reference is None:
        references = hand_off(
            session, shipments=[facts.shipment], fulfillment=fulfillment, actor=actor, now=now
        )
        facts = replace(facts, reference=references[order.id])
    return check(session, order=order, facts=facts, fulfillment=fulfillment, actor=actor, now=now)
