"""Credit check on a quote (seed 002, "Credit Check"): reuse the customer's recent
decision or ask the bureau, once the quote and every site address are validated.

Core statements built once: the quote row is read and locked by one UPDATE, the
decision looked up by an indexed (partner, customer) read.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Row, bindparam, insert, select, update
from sqlalchemy.orm import Session

from orderhub.adapters.credit_bureau import BusinessApplicant, CreditBureau
from orderhub.business.models import BusinessCustomer
from orderhub.credit.models import BusinessCreditDecision
from orderhub.credit.rules import NO_DEPOSIT_SCORE
from orderhub.errors import Conflict, FieldProblem, NotFound
from orderhub.ids import new_id, utcnow
from orderhub.quotes.models import Quote, QuoteSite
from orderhub.quotes.service import QuoteNotFound, require_unlocked
from orderhub.quotes.states import QuoteStatus

QUOTES = Quote.__table__
SITES = QuoteSite.__table__
DECISIONS = BusinessCreditDecision.__table__
CUSTOMERS = BusinessCustomer.__table__

# A decision is reused for the same partner and customer this long; after that the
# bureau is asked again (a business's credit changes slowly, but not never).
DECISION_VALID_DAYS = 30
# An approval below the bureau's no-deposit score asks this many months of the quote's
# monthly total as a deposit.
DEPOSIT_MONTHS = 2

_OWNED = (QUOTES.c.id == bindparam("quote_id"), QUOTES.c.partner_id == bindparam("partner"))
# Moving updated_at is not wanted here, so the lock is a plain FOR UPDATE read.
_LOCK_QUOTE = select(QUOTES).where(*_OWNED).with_for_update()
_OWN_QUOTE = select(QUOTES).where(*_OWNED)
_UNVALIDATED_SITES = (
    select(SITES.c.position, SITES.c.name)
    .where(SITES.c.quote_id == bindparam("quote_id"), SITES.c.address_valid.is_(False))
    .order_by(SITES.c.position)
)
_RECENT_DECISION = (
    select(DECISIONS)
    .where(
        DECISIONS.c.partner_id == bindparam("partner"),
        DECISIONS.c.customer_id == bindparam("customer"),
        DECISIONS.c.expires_at > bindparam("now"),
    )
    .order_by(DECISIONS.c.created_at.desc())
    .limit(1)
)
_DECISION = select(DECISIONS).where(DECISIONS.c.id == bindparam("decision_id"))
_APPLICANT = select(CUSTOMERS.c.name, CUSTOMERS.c.tax_id, CUSTOMERS.c.zip_code).where(
    CUSTOMERS.c.id == bindparam("customer")
)
_INSERT_DECISION = insert(DECISIONS).returning(*DECISIONS.c)
_LINK = (
    update(QUOTES)
    .where(QUOTES.c.id == bindparam("quote_id"))
    .values(credit_decision_id=bindparam("b_decision"))
)

# The bureau's words to the partner API's.
_DECISIONS = {"approved": "approved", "declined": "declined", "manualReview": "pendingReview"}


class QuoteNotValidated(Conflict):
    code = "quote_not_validated"
    title = "Quote is not validated"


class CreditCheckNotFound(NotFound):
    code = "credit_check_not_found"
    title = "No credit check"


def check(
    session: Session, *, partner_id: str, quote_id: str, bureau: CreditBureau
) -> tuple[Row, Row, bool]:
    """The quote, its credit decision, and whether that decision was reused."""
    quote = _quote(session, _LOCK_QUOTE, partner_id, quote_id)
    require_unlocked(quote.id, quote.locked_by_contract_id)
    if quote.status != QuoteStatus.VALIDATED:
        raise QuoteNotValidated(
            "Validate the quote (POST /b2b/v1/quotes/{id}/validate) and every site address "
            "before a credit check.",
            errors=_missing(session, quote_id),
        )
    now = utcnow()
    decision = session.execute(
        _RECENT_DECISION, {"partner": partner_id, "customer": quote.customer_id, "now": now}
    ).first()
    reused = decision is not None
    if decision is None:
        decision = _ask_bureau(session, quote=quote, bureau=bureau, now=now)
    session.execute(_LINK, {"quote_id": quote.id, "b_decision": decision.id})
    return quote, decision, reused


def current(session: Session, *, partner_id: str, quote_id: str) -> tuple[Row, Row]:
    """The quote and the decision its last credit check gave (404 if none yet)."""
    quote = _quote(session, _OWN_QUOTE, partner_id, quote_id)
    decision = (
        session.execute(_DECISION, {"decision_id": quote.credit_decision_id}).first()
        if quote.credit_decision_id
        else None
    )
    if decision is None:
        raise CreditCheckNotFound(f"Quote '{quote_id}' has had no credit check yet.")
    return quote, decision


def decision_of(session: Session, *, decision_id: str | None) -> Row | None:
    if decision_id is None:
        return None
    return session.execute(_DECISION, {"decision_id": decision_id}).first()


def _quote(session: Session, stmt, partner_id: str, quote_id: str) -> Row:
    quote = session.execute(stmt, {"quote_id": quote_id, "partner": partner_id}).first()
    if quote is None:
        raise QuoteNotFound(f"No quote '{quote_id}'.")
    return quote


def _missing(session: Session, quote_id: str) -> list[FieldProblem]:
    problems = [
        FieldProblem(
            f"sites.{site.position}.address",
            "address_not_validated",
            f"The address of {site.name or f'site {site.position + 1}'} did not pass postal "
            "validation.",
        )
        for site in session.execute(_UNVALIDATED_SITES, {"quote_id": quote_id})
    ]
    problems.append(
        FieldProblem("status", "quote_not_validated", "The quote's status is not 'validated'.")
    )
    return problems


def _ask_bureau(session: Session, *, quote: Row, bureau: CreditBureau, now: datetime) -> Row:
    customer = session.execute(_APPLICANT, {"customer": quote.customer_id}).one()
    report = bureau.evaluate_business(
        BusinessApplicant(name=customer.name, tax_id=customer.tax_id, zip_code=customer.zip_code)
    )
    decision = _DECISIONS[report.decision]
    deposit = decision == "approved" and report.score < NO_DEPOSIT_SCORE
    return session.execute(
        _INSERT_DECISION,
        {
            "id": new_id("bcd"),
            "partner_id": quote.partner_id,
            "customer_id": quote.customer_id,
            "quote_id": quote.id,
            "decision": decision,
            "deposit_required": deposit,
            "deposit_cents": quote.monthly_cents * DEPOSIT_MONTHS if deposit else 0,
            "bureau_reference": report.reference,
            "created_at": now,
            "expires_at": now + timedelta(days=DECISION_VALID_DAYS),
        },
    ).one()
