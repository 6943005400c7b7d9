"""Shaping the work queues for the console's pages: each queue's section (its rows,
count, oldest item and paging), ages as a person reads them, and the fixed texts of
what an action did (`?done=`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from orderhub.business import exceptions
from orderhub.careorders import queue as care_queue
from orderhub.partner_orders import queue as partner_queue
from orderhub.webhooks import queue as webhook_queue

PAGE = 20  # rows per section; "show more" pages on from there

# What an action did, by its `?done=` code: fixed texts, never text from the query.
DONE = {
    "approved": "Exception request approved: the partner may now quote the customer.",
    "rejected": "Exception request rejected; the partner was told why.",
    "redelivered": "Delivery queued again: the worker sends it within seconds.",
}


@dataclass(frozen=True)
class Section:
    """One queue on the page (`id` is its anchor: #exceptions, #jeopardy, #care, #webhooks)."""

    id: str
    title: str
    count: int
    oldest: datetime | None
    rows: list[Any]
    offset: int
    limit: int = PAGE

    @property
    def shown_to(self) -> int:
        return self.offset + len(self.rows)

    @property
    def more(self) -> bool:
        return self.offset + self.limit < self.count


# Each queue: its anchor, title, summary and page reads (domain functions).
QUEUES = (
    ("exceptions", "Exception requests pending", exceptions.pending_summary,
     exceptions.pending_queue),
    ("jeopardy", "B2B orders in jeopardy or with rejections", partner_queue.summary,
     partner_queue.in_trouble),
    ("care", "Care changes that failed", care_queue.summary, care_queue.failed),
    ("webhooks", "Webhook deliveries that failed", webhook_queue.summary, webhook_queue.failed),
)  # fmt: skip
TITLES = {anchor: title for anchor, title, _, _ in QUEUES}


OLDEST_SHOWN = 3  # items of each queue on the dashboard


@dataclass(frozen=True)
class Item:
    """One waiting item as the dashboard names it: what it is, where to act on it."""

    label: str
    href: str


def partly_rejected(row: Any) -> str | None:
    """ "1 of 3 sub-orders rejected" for a B2B order some (not all) of whose sub-orders
    were rejected; None otherwise. The queue page and the dashboard both say it."""
    if row.status == partner_queue.REJECTED or not row.rejected_sub_orders:
        return None
    return f"{row.rejected_sub_orders} of {row.sub_orders} sub-orders rejected"


def _trouble(row: Any) -> str:
    """A B2B order's trouble in words: its status, its partial rejection, or both."""
    rejected = partly_rejected(row)
    if rejected is None:
        return row.status
    return f"{row.status}, {rejected}" if row.status in partner_queue.IN_TROUBLE else rejected


def _item(anchor: str, row: Any) -> Item:
    prefix = "/console"
    if anchor == "exceptions":
        return Item(f"{row.partner_name} for {row.customer_name}", f"{prefix}/queues#exceptions")
    if anchor == "jeopardy":
        return Item(f"{row.id} ({_trouble(row)})", f"{prefix}/orders/{row.id}")
    if anchor == "care":
        return Item(f"{row.type} on {row.ctn}", f"{prefix}/orders/{row.care_order_id}")
    return Item(f"{row.event_type} to {row.subscription_owner}", f"{prefix}/queues#webhooks")


def summaries(
    session: Session,
) -> list[tuple[str, str, int, datetime | None, list[Item]]]:
    """Each queue's anchor, title, count, oldest item's time and its oldest few items (one
    aggregate each, and one short read for a queue that is not empty)."""
    found = []
    for anchor, title, summary, read in QUEUES:
        row = summary(session)
        oldest = read(session, limit=OLDEST_SHOWN, offset=0) if row.count else []
        found.append((anchor, title, row.count, row.oldest, [_item(anchor, r) for r in oldest]))
    return found


def sections(session: Session, offsets: dict[str, int]) -> list[Section]:
    """Every queue's section, each at its own page."""
    built = []
    for anchor, title, summary, read in QUEUES:
        total = summary(session)
        offset = offsets.get(anchor, 0)
        rows = read(session, limit=PAGE, offset=offset) if total.count > offset else []
        built.append(Section(anchor, title, total.count, total.oldest, rows, offset))
    return built


def age(moment: datetime | None, now: datetime) -> str:
    """How long something has waited, as a person says it ("3 d 4 h", "12 min")."""
    if moment is None:
        return "—"
    seconds = max(0, int((now - moment).total_seconds()))
    days, rest = divmod(seconds, 86_400)
    hours, rest = divmod(rest, 3_600)
    minutes = rest // 60
    if days:
        return f"{days} d {hours} h"
    if hours:
        return f"{hours} h {minutes} min"
    if minutes:
        return f"{minutes} min"
    return f"{seconds} s"


def order_subject(event_type: str) -> bool:
    """Whether an event's subject is an order of the ledger (its page may be linked)."""
    return event_type.startswith(("order.", "ledger.", "care_order."))
