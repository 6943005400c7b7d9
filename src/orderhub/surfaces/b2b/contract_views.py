"""Credit checks and contracts between the wire and the domain: the contact in, the
decision and the contract out."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row

from orderhub import contacts
from orderhub.surfaces.b2b import contract_schemas as c
from orderhub.surfaces.schemas import money


def credit_check(quote: Row, decision: Row, *, reused: bool) -> c.CreditCheckOut:
    return c.CreditCheckOut(
        quote_id=quote.id,
        credit_check_id=decision.id,
        customer_id=decision.customer_id,
        decision=decision.decision,
        deposit_required=decision.deposit_required,
        deposit_amount=money(decision.deposit_cents),
        currency=quote.currency,
        decided_at=decision.created_at,
        expires_at=decision.expires_at,
        reused=reused,
    )


def contract(x: Row) -> c.ContractOut:
    return c.ContractOut(
        id=x.id,
        quote_id=x.quote_id,
        customer_id=x.customer_id,
        credit_check_id=x.credit_decision_id,
        status=x.status,
        customer_details=c.CustomerDetailsOut.model_validate(x.customer_details),
        contact=c.ContactOut.model_validate(x.contact),
        effective_date=x.effective_date,
        term_months=x.term_months,
        monthly=money(x.monthly_cents),
        one_time=money(x.one_time_cents),
        currency=x.currency,
        created_at=x.created_at,
        signed_at=x.signed_at,
        signed_by=c.SignatoryOut.model_validate(x.signed_by) if x.signed_by else None,
    )


def contact_fields(contact: c.ContactIn) -> dict[str, Any]:
    """Stored by wire name, e-mail and phone by the contact rule (422 naming the field)."""
    email, phone = contacts.require_valid_contact(
        email=contact.email, phone=contact.phone, at="contact", subject="The contact"
    )
    return {"name": contact.name, "title": contact.title, "email": email, "phone": phone}
