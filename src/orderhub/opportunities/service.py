"""Opportunity use cases: open, read, list, close as lost; a quote claims an open one,
an order wins it.

Core statements built once. Every change is a conditional UPDATE on `status = 'open'`:
on PostgreSQL it takes the row lock, so a quote created under an opportunity, the order
that wins it and a partner closing it as lost run one after the other, and the later one
sees the status the earlier one left.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from types import SimpleNamespace

from sqlalchemy import Row, bindparam, insert, select, update
from sqlalchemy.orm import Session

from orderhub.business import service as business
from orderhub.errors import Conflict, NotFound
from orderhub.ids import new_id, utcnow
from orderhub.opportunities.models import Opportunity
from orderhub.opportunities.states import LIFECYCLE, OpportunityStatus
from orderhub.quotes.models import Quote

OPPORTUNITIES = Opportunity.__table__
QUOTES = Quote.__table__

_OWNED = (
    OPPORTUNITIES.c.id == bindparam("opportunity_id"),
    OPPORTUNITIES.c.partner_id == bindparam("partner"),
)
_OPEN = OPPORTUNITIES.c.status == OpportunityStatus.OPEN.value
_OWN = select(OPPORTUNITIES).where(*_OWNED)
_INSERT = insert(OPPORTUNITIES)
# Moving updated_at takes the row lock (PostgreSQL) and says whether it is still open.
_CLAIM_OPEN = (
    update(OPPORTUNITIES)
    .where(*_OWNED, _OPEN)
    .values(updated_at=bindparam("now"))
    .returning(*OPPORTUNITIES.c)
)
_LOSE = (
    update(OPPORTUNITIES)
    .where(*_OWNED, _OPEN)
    .values(
        status=OpportunityStatus.LOST.value,
        lost_reason=bindparam("b_reason"),
        closed_at=bindparam("now"),
        updated_at=bindparam("now"),
    )
    .returning(*OPPORTUNITIES.c)
)
_WIN = (
    update(OPPORTUNITIES)
    .where(OPPORTUNITIES.c.id == bindparam("opportunity_id"), _OPEN)
    .values(
        status=OpportunityStatus.WON.value,
        won_quote_id=bindparam("b_quote"),
        won_order_id=bindparam("b_order"),
        closed_at=bindparam("now"),
        updated_at=bindparam("now"),
    )
)
_STATUS = select(OPPORTUNITIES.c.status, OPPORTUNITIES.c.won_order_id).where(
    OPPORTUNITIES.c.id == bindparam("opportunity_id")
)
_QUOTES_OF = (
    select(QUOTES.c.id, QUOTES.c.status, QUOTES.c.name)
    .where(QUOTES.c.opportunity_id == bindparam("opportunity_id"))
    .order_by(QUOTES.c.created_at, QUOTES.c.id)
)


def _listing(customer: bool, status: bool):
    stmt = select(OPPORTUNITIES).where(OPPORTUNITIES.c.partner_id == bindparam("partner"))
    if customer:
        stmt = stmt.where(OPPORTUNITIES.c.customer_id == bindparam("customer"))
    if status:
        stmt = stmt.where(OPPORTUNITIES.c.status == bindparam("status"))
    return (
        stmt.order_by(OPPORTUNITIES.c.created_at.desc(), OPPORTUNITIES.c.id.desc())
        .limit(bindparam("limit"))
        .offset(bindparam("offset"))
    )


# One statement per combination of filters, each built once.
_LISTINGS = {(c, s): _listing(c, s) for c in (False, True) for s in (False, True)}


class OpportunityNotFound(NotFound):
    code = "opportunity_not_found"
    title = "No such opportunity"


class OpportunityClosed(Conflict):
    code = "opportunity_closed"
    title = "The opportunity is closed"


class CustomerNotQuotable(Conflict):
    code = "customer_not_quotable"
    title = "Customer cannot be quoted"


@dataclass(frozen=True)
class OpportunityDetail:
    opportunity: Row
    quotes: list[Row]  # id, status, name of each quote, oldest first


def require_quotable(session: Session, *, partner_id: str, customer_id: str) -> None:
    """404 for a customer the partner cannot see; 409 for an alliance-only one without an
    approved exception request."""
    match = business.get_visible(session, partner_id=partner_id, customer_id=customer_id)
    if not match.can_quote:
        raise CustomerNotQuotable(
            "The customer is alliance-only for you: file an exception request and wait for "
            "its approval before quoting.",
            extra={"allianceStatus": match.alliance_status},
        )


def create(
    session: Session,
    *,
    partner_id: str,
    customer_id: str,
    name: str | None,
    description: str | None = None,
) -> Row:
    """A new open opportunity for a customer the partner may quote."""
    require_quotable(session, partner_id=partner_id, customer_id=customer_id)
    now = utcnow()
    values = {
        "id": new_id("opp"),
        "partner_id": partner_id,
        "customer_id": customer_id,
        "name": name,
        "description": description,
        "status": OpportunityStatus.OPEN.value,
        "lost_reason": None,
        "won_quote_id": None,
        "won_order_id": None,
        "created_at": now,
        "updated_at": now,
        "closed_at": None,
    }
    session.execute(_INSERT, values)
    # The answer is what was just written: no read back.
    return SimpleNamespace(**values)  # read by attribute, like a Row


def get_for_partner(session: Session, *, partner_id: str, opportunity_id: str) -> Row:
    """The partner's own opportunity; another partner's is 404 like one never opened."""
    found = session.execute(_OWN, {"opportunity_id": opportunity_id, "partner": partner_id}).first()
    if found is None:
        raise OpportunityNotFound(f"No opportunity '{opportunity_id}'.")
    return found


def claim_for_quote(session: Session, *, partner_id: str, opportunity_id: str) -> Row:
    """The partner's open opportunity, locked for a new quote; 409 if it is closed."""
    claimed = session.execute(
        _CLAIM_OPEN, {"opportunity_id": opportunity_id, "partner": partner_id, "now": utcnow()}
    ).first()
    if claimed is not None:
        return claimed
    found = get_for_partner(session, partner_id=partner_id, opportunity_id=opportunity_id)
    raise OpportunityClosed(
        f"Opportunity '{found.id}' is {found.status}: quote under an open opportunity "
        "(POST /b2b/v1/opportunities opens a new one).",
        extra={"opportunityId": found.id, "opportunityStatus": found.status},
    )


def detail(session: Session, *, opportunity: Row) -> OpportunityDetail:
    """The opportunity with the id, status and name of each of its quotes."""
    quotes = list(session.execute(_QUOTES_OF, {"opportunity_id": opportunity.id}))
    return OpportunityDetail(opportunity, quotes)


def list_for_partner(
    session: Session,
    *,
    partner_id: str,
    customer_id: str | None,
    status: OpportunityStatus | None,
    limit: int,
    offset: int,
) -> list[Row]:
    """The partner's opportunities, newest first."""
    stmt = _LISTINGS[(customer_id is not None, status is not None)]
    params = {"partner": partner_id, "customer": customer_id, "limit": limit, "offset": offset}
    params["status"] = status.value if status else None
    return list(session.execute(stmt, params))


def close_lost(session: Session, *, partner_id: str, opportunity_id: str, reason: str) -> Row:
    """Close an open opportunity as lost; a won or lost one is 409 `invalid_transition`."""
    closed = session.execute(
        _LOSE,
        {
            "opportunity_id": opportunity_id,
            "partner": partner_id,
            "b_reason": reason,
            "now": utcnow(),
        },
    ).first()
    if closed is not None:
        return closed
    found = get_for_partner(session, partner_id=partner_id, opportunity_id=opportunity_id)
    # Only an open one closes; this one is won or lost (or was closed a moment ago).
    raise LIFECYCLE.refusal(
        f"Opportunity '{opportunity_id}' is {found.status}; only an open one can be closed.",
        current=found.status,
        target=OpportunityStatus.LOST,
    )


def win(
    session: Session, *, opportunity_id: str, quote_id: str, order_id: str, at: datetime
) -> None:
    """An order was created from one of its quotes: the opportunity is won, in the
    order's transaction. One already won or lost refuses the order (409)."""
    won = session.execute(
        _WIN,
        {"opportunity_id": opportunity_id, "b_quote": quote_id, "b_order": order_id, "now": at},
    )
    if won.rowcount == 1:
        return
    found = session.execute(_STATUS, {"opportunity_id": opportunity_id}).one()
    if found.status == OpportunityStatus.WON:
        raise LIFECYCLE.refusal(
            f"Opportunity '{opportunity_id}' was already won by order "
            f"'{found.won_order_id}'; an alternative quote of it cannot be ordered too.",
            current=found.status,
            target=OpportunityStatus.WON,
        )
    raise LIFECYCLE.refusal(
        f"Opportunity '{opportunity_id}' is {found.status}; its quotes cannot be ordered.",
        current=found.status,
        target=OpportunityStatus.WON,
    )
