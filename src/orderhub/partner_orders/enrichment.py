"""Enriching a B2B order: the sections a partner sends, checked and put into their stored
form before they replace the order's (or a sub-order's) own.

Installation contacts and the shipping e-mail follow the contact rule (orderhub/contacts.py),
stored normalized; the shipping address goes through the postal port and is stored as it
standardized it. Every problem is reported at once, before the order is even looked up.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from orderhub import contacts
from orderhub.adapters.postal import PostalAddress, PostalValidator
from orderhub.errors import FieldProblem, ValidationFailed
from orderhub.partner_orders import service
from orderhub.partner_orders.service import OrderDetail


def enrich(
    session: Session,
    *,
    partner_id: str,
    order_id: str,
    sub_order_id: str | None,
    sections: dict[str, Any],
    postal: PostalValidator,
) -> OrderDetail:
    """Check the sections sent (by wire name; None clears one), then replace them on the
    order, or on one of its sub-orders."""
    return service.enrich(
        session,
        partner_id=partner_id,
        order_id=order_id,
        sub_order_id=sub_order_id,
        changes=checked(sections, postal=postal),
    )


def checked(sections: dict[str, Any], *, postal: PostalValidator) -> dict[str, Any]:
    """The sections as stored, or a 422 listing every problem with their values."""
    changes = dict(sections)
    problems: list[FieldProblem] = []
    if sections.get("installation") is not None:
        changes["installation"] = _installation(sections["installation"], problems)
    if sections.get("shipping") is not None:
        changes["shipping"] = _shipping(sections["shipping"], postal, problems)
    if problems:
        raise ValidationFailed("The enrichment is not valid.", errors=problems)
    return changes


def _installation(section: dict[str, Any], problems: list[FieldProblem]) -> dict[str, Any]:
    stored = []
    for n, contact in enumerate(section.get("contacts") or []):
        found = contacts.check_contact(
            email=contact.get("email"),
            phone=contact.get("phone"),
            at=f"installation.contacts.{n}",
        )
        problems.extend(found.problems)
        stored.append(
            {
                "name": contact.get("name"),
                "phone": found.phone,
                "email": found.email,
                "role": contact.get("role"),
            }
        )
    return {
        "contacts": stored,
        "requestedStartDate": section.get("requestedStartDate"),
        "requestedDueDate": section.get("requestedDueDate"),
        "premiseNotes": section.get("premiseNotes"),
    }


def _shipping(
    section: dict[str, Any], postal: PostalValidator, problems: list[FieldProblem]
) -> dict[str, Any]:
    # Seed 002's "e-mail IDs": several (`emails`); `email`, one, is the older form.
    sent = [(f"shipping.emails.{n}", e) for n, e in enumerate(section.get("emails") or [])]
    if section.get("email"):
        sent.append(("shipping.email", section["email"]))
    emails: list[str] = []
    for field, email in sent:
        stored_email = contacts.normalize_email(email)
        if stored_email is None:
            problems.append(contacts.email_problem(field))
        elif stored_email not in emails:
            emails.append(stored_email)
    address = None
    if section.get("address") is not None:
        checked_address = postal.validate(_postal_address(section["address"]))
        problems.extend(
            FieldProblem(f"shipping.address.{p.field}", p.rule, p.message)
            for p in checked_address.problems
        )
        if checked_address.standardized is not None:
            address = _stored_address(checked_address.standardized)
    return {"emails": emails, "address": address, "notes": section.get("notes")}


def _postal_address(address: dict[str, Any]) -> PostalAddress:
    return PostalAddress(
        address_line1=address["addressLine1"],
        address_line2=address.get("addressLine2"),
        city=address["city"],
        state=address["state"],
        zip_code=address["zipCode"],
    )


def _stored_address(a: PostalAddress) -> dict[str, Any]:
    return {
        "addressLine1": a.address_line1,
        "addressLine2": a.address_line2,
        "city": a.city,
        "state": a.state,
        "zipCode": a.zip_code,
    }
