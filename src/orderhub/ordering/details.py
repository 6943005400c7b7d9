"""An order's TMF622 attributes (description, category, priority, notification contact,
requested dates, notes; its external id is a ledger reference, `externalId`), set when a
TMF622 client places an order and changed by PATCH on an order of any channel."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Row, bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from orderhub.errors import Conflict
from orderhub.ids import iso_z, new_id, utcnow
from orderhub.ledger import service as ledger
from orderhub.ledger.service import REFERENCES
from orderhub.ordering.models import OrderDetail
from orderhub.webhooks import service as webhooks

DETAILS = OrderDetail.__table__
EXTERNAL_ID = "externalId"
EXTERNAL_COLUMN = "external_id"  # in `values`: the external id, a ledger reference
_KEEP = object()
# Notes are kept in the order's row: a bound keeps it small, however often it is patched.
MAX_NOTES = 50
# The attributes kept here, by their column names.
COLUMNS = (
    "description",
    "category",
    "priority",
    "notification_contact",
    "requested_start_date",
    "requested_completion_date",
)

_OF = select(DETAILS).where(DETAILS.c.order_id == bindparam("b_id"))
_INSERT = insert(DETAILS)
_REWRITE = update(DETAILS).where(DETAILS.c.order_id == bindparam("b_id"))
_DROP_EXTERNAL_ID = delete(REFERENCES).where(
    REFERENCES.c.order_id == bindparam("b_id"), REFERENCES.c.kind == EXTERNAL_ID
)


class TooManyNotes(Conflict):
    code = "too_many_notes"
    title = "Too many notes"


def note(text: str, author: str | None, at: datetime) -> dict[str, Any]:
    return {"id": new_id("note"), "author": author, "date": iso_z(at), "text": text}


def change(
    session: Session,
    *,
    order: Row,
    values: dict[str, Any],
    notes: list[dict[str, Any]],
    actor: str,
    announce: bool,
) -> None:
    """Set the given attributes (columns of COLUMNS, and `external_id`: None removes
    it; an attribute not given is kept) and add the notes. `announce`: publish
    `tmf.product_order_changed` (a PATCH; a new order is announced by its opening)."""
    now = utcnow()
    values = dict(values)
    external = values.pop(EXTERNAL_COLUMN, _KEEP)
    current = session.execute(_OF, {"b_id": order.id}).first()
    if len(notes) + (len(current.notes) if current else 0) > MAX_NOTES:
        raise TooManyNotes(
            f"An order keeps at most {MAX_NOTES} notes; this one would have more.",
            extra={"maxNotes": MAX_NOTES},
        )
    if current is None:
        row = {c: None for c in COLUMNS} | values
        session.execute(_INSERT, row | {"order_id": order.id, "notes": notes, "updated_at": now})
    elif values or notes:
        session.execute(
            _REWRITE,
            {"b_id": order.id, **values, "notes": [*current.notes, *notes], "updated_at": now},
        )
    if external is not _KEEP:
        # One external id per order: a new one replaces the last, null removes it.
        session.execute(_DROP_EXTERNAL_ID, {"b_id": order.id})
        if external:
            ledger.index_references(session, order_id=order.id, refs={EXTERNAL_ID: external})
    changed = sorted(
        {_camel(c) for c in values}
        | ({"note"} if notes else set())
        | ({"externalId"} if external is not _KEEP else set())
    )
    if announce and changed:
        ledger.record(
            session,
            order_id=order.id,
            type="order.attributes_changed",
            actor=actor,
            data={"attributes": changed},
        )
        webhooks.publish(
            session,
            owner=order.owner,
            type="tmf.product_order_changed",
            subject=order.id,
            data={"state": order.state, "attributes": changed},
        )


def _camel(column: str) -> str:
    head, *rest = column.split("_")
    return head + "".join(p.title() for p in rest)
