"""Contracts (seed 002, "Contract"): generated from a validated quote with approved
credit, then signed; signing locks the quote.

Core statements built once. A contract is one row; its quote is read and locked in the
same transaction (FOR UPDATE), so a sign and a quote change cannot interleave.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Row, bindparam, insert, select, update
from sqlalchemy.orm import Session

from orderhub.business.models import BusinessCustomer
from orderhub.contracts.models import Contract
from orderhub.contracts.states import ContractStatus, transition
from orderhub.errors import Conflict, NotFound, ValidationFailed
from orderhub.ids import new_id, utcnow
from orderhub.quotes import credit
from orderhub.quotes.credit import QuoteNotValidated
from orderhub.quotes.models import Quote
from orderhub.quotes.service import QuoteNotFound, require_unlocked
from orderhub.quotes.states import QuoteStatus

CONTRACTS = Contract.__table__
QUOTES = Quote.__table__
CUSTOMERS = BusinessCustomer.__table__

_QUOTE_OWNED = (QUOTES.c.id == bindparam("quote_id"), QUOTES.c.partner_id == bindparam("partner"))
_LOCK_QUOTE = select(QUOTES).where(*_QUOTE_OWNED).with_for_update()
_LOCK_QUOTE_BY_ID = select(QUOTES).where(QUOTES.c.id == bindparam("quote_id")).with_for_update()
_OWN_QUOTE_EXISTS = select(QUOTES.c.id).where(*_QUOTE_OWNED)
_OF_QUOTE = select(CONTRACTS).where(
    CONTRACTS.c.quote_id == bindparam("quote_id"), CONTRACTS.c.partner_id == bindparam("partner")
)
_OWN = select(CONTRACTS).where(
    CONTRACTS.c.id == bindparam("contract_id"), CONTRACTS.c.partner_id == bindparam("partner")
)
_CUSTOMER = select(CUSTOMERS).where(CUSTOMERS.c.id == bindparam("customer"))
_INSERT = insert(CONTRACTS).returning(*CONTRACTS.c)
_REGENERATE = (
    update(CONTRACTS)
    .where(CONTRACTS.c.id == bindparam("b_id"))
    .values(
        credit_decision_id=bindparam("b_decision"),
        customer_details=bindparam("b_customer"),
        contact=bindparam("b_contact"),
        effective_date=bindparam("b_effective"),
        term_months=bindparam("b_term"),
        monthly_cents=bindparam("b_monthly"),
        one_time_cents=bindparam("b_one_time"),
        quote_version=bindparam("b_version"),
        created_at=bindparam("b_now"),
    )
    .returning(*CONTRACTS.c)
)
# Only a contract still generated is signed: of two racing signs, one wins (rowcount).
_SIGN = (
    update(CONTRACTS)
    .where(CONTRACTS.c.id == bindparam("b_id"), CONTRACTS.c.status == ContractStatus.GENERATED)
    .values(status=bindparam("b_status"), signed_by=bindparam("b_by"), signed_at=bindparam("b_now"))
    .returning(*CONTRACTS.c)
)
_LOCK = (
    update(QUOTES)
    .where(QUOTES.c.id == bindparam("quote_id"))
    .values(locked_by_contract_id=bindparam("b_contract"))
)


class ContractNotFound(NotFound):
    code = "contract_not_found"
    title = "No such contract"


class CreditNotApproved(Conflict):
    code = "credit_not_approved"
    title = "Credit is not approved"


class ContractOutdated(Conflict):
    code = "contract_outdated"
    title = "The quote changed after the contract was generated"


def generate(
    session: Session,
    *,
    partner_id: str,
    quote_id: str,
    contact: dict[str, Any],
    effective_date: date,
    term_months: int,
) -> Row:
    """A contract from the quote as it stands; an unsigned one is generated again."""
    quote = session.execute(_LOCK_QUOTE, {"quote_id": quote_id, "partner": partner_id}).first()
    if quote is None:
        raise QuoteNotFound(f"No quote '{quote_id}'.")
    require_unlocked(quote.id, quote.locked_by_contract_id)
    if quote.status != QuoteStatus.VALIDATED:
        raise QuoteNotValidated(
            "The quote changed since it was validated: validate it again first.",
            extra={"currentStatus": quote.status},
        )
    decision = credit.decision_of(session, decision_id=quote.credit_decision_id)
    if decision is None or decision.decision != "approved":
        raise CreditNotApproved(
            "A contract needs an approved credit check of the quote "
            "(POST /b2b/v1/quotes/{id}/credit-check).",
            extra={"creditDecision": decision.decision if decision else None},
        )
    if effective_date < utcnow().date():
        raise ValidationFailed.one(
            "effectiveDate", "date_in_past", "The effective date must not be in the past."
        )
    customer = session.execute(_CUSTOMER, {"customer": quote.customer_id}).one()
    details = {
        "name": customer.name,
        "taxIdLast4": customer.tax_id[-4:],
        "address": {
            "addressLine1": customer.address_line1,
            "addressLine2": customer.address_line2,
            "city": customer.city,
            "state": customer.state,
            "zipCode": customer.zip_code,
        },
    }
    now = utcnow()
    existing = session.execute(_OF_QUOTE, {"quote_id": quote.id, "partner": partner_id}).first()
    if existing is not None:
        return session.execute(
            _REGENERATE,
            {
                "b_id": existing.id,
                "b_decision": decision.id,
                "b_customer": details,
                "b_contact": contact,
                "b_effective": effective_date,
                "b_term": term_months,
                "b_monthly": quote.monthly_cents,
                "b_one_time": quote.one_time_cents,
                "b_version": quote.updated_at,
                "b_now": now,
            },
        ).one()
    return session.execute(
        _INSERT,
        {
            "id": new_id("ctr"),
            "partner_id": partner_id,
            "quote_id": quote.id,
            "customer_id": quote.customer_id,
            "credit_decision_id": decision.id,
            "status": ContractStatus.GENERATED,
            "customer_details": details,
            "contact": contact,
            "effective_date": effective_date,
            "term_months": term_months,
            "monthly_cents": quote.monthly_cents,
            "one_time_cents": quote.one_time_cents,
            "currency": quote.currency,
            "quote_version": quote.updated_at,
            "signed_by": None,
            "created_at": now,
            "signed_at": None,
        },
    ).one()


def of_quote(session: Session, *, partner_id: str, quote_id: str) -> Row:
    """The quote's contract: 404 `quote_not_found` or `contract_not_found`."""
    found = session.execute(_OF_QUOTE, {"quote_id": quote_id, "partner": partner_id}).first()
    if found is not None:
        return found
    if session.execute(_OWN_QUOTE_EXISTS, {"quote_id": quote_id, "partner": partner_id}).first():
        raise ContractNotFound(f"Quote '{quote_id}' has no contract yet.")
    raise QuoteNotFound(f"No quote '{quote_id}'.")


def get_for_partner(session: Session, *, partner_id: str, contract_id: str) -> Row:
    found = session.execute(_OWN, {"contract_id": contract_id, "partner": partner_id}).first()
    if found is None:
        raise ContractNotFound(f"No contract '{contract_id}'.")
    return found


def sign(session: Session, *, partner_id: str, contract_id: str, signed_by: dict[str, Any]) -> Row:
    """Sign the contract for the quote as it was generated; the quote is locked."""
    contract = get_for_partner(session, partner_id=partner_id, contract_id=contract_id)
    status = transition(contract.status, ContractStatus.SIGNED)
    quote = session.execute(_LOCK_QUOTE_BY_ID, {"quote_id": contract.quote_id}).one()
    if quote.updated_at != contract.quote_version or quote.status != QuoteStatus.VALIDATED:
        raise ContractOutdated(
            "The quote changed after this contract was generated: validate the quote and "
            "generate the contract again (POST /b2b/v1/quotes/{id}/contract).",
            extra={"quoteId": quote.id},
        )
    signed = session.execute(
        _SIGN, {"b_id": contract.id, "b_status": status, "b_by": signed_by, "b_now": utcnow()}
    ).first()
    if signed is None:  # signed meanwhile by a concurrent request
        transition(ContractStatus.SIGNED, ContractStatus.SIGNED)
    session.execute(_LOCK, {"quote_id": quote.id, "b_contract": contract.id})
    return signed
