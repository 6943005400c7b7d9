"""Handoff (seed 002, "Order Handoff"): check everything, submit, acknowledge."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, update
from sqlalchemy.orm import Session

from orderhub.adapters.provisioning import Provisioning, SubOrderState
from orderhub.errors import Conflict
from orderhub.ids import new_id, utcnow
from orderhub.ledger import service as ledger
from orderhub.partner_orders import progress, rules
from orderhub.partner_orders import service as orders
from orderhub.partner_orders.states import PartnerOrderStatus, require_draft, transition

_HANDED_OFF = (
    update(orders.PARTNER_ORDERS)
    .where(orders.PARTNER_ORDERS.c.id == bindparam("b_id"))
    .values(
        acknowledgement_id=bindparam("b_ack"),
        provisioning_reference=bindparam("b_reference"),
        submitted_at=bindparam("b_now"),
    )
)


class OrderIncomplete(Conflict):
    code = "order_incomplete"
    title = "Order is not ready for handoff"


@dataclass(frozen=True)
class Acknowledgement:
    order_id: str
    acknowledgement_id: str
    received_at: datetime
    status: str
    sub_order_count: int


def submit(
    session: Session, *, partner_id: str, order_id: str, provisioning: Provisioning
) -> Acknowledgement:
    """Hand the order to provisioning: every sub-order and the order become `submitted`."""
    order = orders.claim_for_change(session, partner_id=partner_id, order_id=order_id)
    require_draft(order.status)
    found = orders.detail(session, order=order)
    now = utcnow()
    problems = rules.handoff_problems(
        installation=order.installation,
        sub_orders=[rules.SubOrderFacts(s.installation) for s in found.sub_orders],
        today=now.date(),
    )
    if problems:
        raise OrderIncomplete(
            f"{len(problems)} problem(s) keep the order from handoff; enrich it and submit again.",
            errors=problems,
        )
    transition(order.status, PartnerOrderStatus.SUBMITTED)
    handoff = provisioning.hand_off(
        order_id=order.id,
        sub_orders=[
            SubOrderState(s.id, s.status, progress.premise_notes(s, order))
            for s in found.sub_orders
        ],
    )
    ack = new_id("ack")
    session.execute(
        _HANDED_OFF,
        {"b_id": order.id, "b_ack": ack, "b_reference": handoff.reference, "b_now": now},
    )
    ledger.index_references(session, order_id=order.id, refs={"acknowledgementId": ack})
    progress.apply(
        session,
        order=order,
        sub_orders=found.sub_orders,
        reached={s.id: (PartnerOrderStatus.SUBMITTED, None) for s in found.sub_orders},
        actor=f"partner:{partner_id}",
        now=now,
        due_at=now + timedelta(seconds=handoff.check_in_seconds),
    )
    return Acknowledgement(order.id, ack, now, PartnerOrderStatus.SUBMITTED, len(found.sub_orders))
