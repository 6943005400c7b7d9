"""B2B orders between the wire and the store: enrichment in, orders and history out."""

from __future__ import annotations

from typing import Any

from orderhub.adapters.postal import PostalValidator
from orderhub.customers.rules import normalize_email, normalize_phone
from orderhub.errors import FieldProblem, ValidationFailed
from orderhub.partner_orders.service import OrderDetail
from orderhub.surfaces.b2b import order_schemas as o
from orderhub.surfaces.b2b.quote_views import totals
from orderhub.surfaces.b2b.views import postal_address
from orderhub.surfaces.schemas import money

# ---- enrichment in: stored by wire name, contacts normalized, the address checked -------


def enrichment(
    body: o.SubOrderEnrichmentIn, postal: PostalValidator
) -> tuple[dict[str, Any], list[FieldProblem]]:
    """The sections sent (None where cleared), and every problem with their values."""
    changes: dict[str, Any] = {}
    problems: list[FieldProblem] = []
    sent = body.model_fields_set
    if "installation" in sent:
        changes["installation"] = _installation(body.installation, problems)
    if "shipping" in sent:
        changes["shipping"] = _shipping(body.shipping, postal, problems)
    if "billing_configuration" in sent:
        billing = body.billing_configuration
        changes["billingConfiguration"] = (
            None if billing is None else billing.model_dump(mode="json", by_alias=True)
        )
    if isinstance(body, o.OrderEnrichmentIn) and "customer_defined_group" in sent:
        changes["customerDefinedGroup"] = body.customer_defined_group
    return changes, problems


def checked_enrichment(body: o.SubOrderEnrichmentIn, postal: PostalValidator) -> dict[str, Any]:
    changes, problems = enrichment(body, postal)
    if problems:
        raise ValidationFailed("The enrichment is not valid.", errors=problems)
    return changes


def _installation(x: o.InstallationIn | None, problems: list[FieldProblem]) -> dict | None:
    if x is None:
        return None
    contacts = []
    for n, contact in enumerate(x.contacts):
        at = f"installation.contacts.{n}"
        phone = normalize_phone(contact.phone)
        email = normalize_email(contact.email) if contact.email else None
        if phone is None:
            problems.append(
                FieldProblem(f"{at}.phone", "phone_format", "A 10-digit phone number is required.")
            )
        if contact.email and email is None:
            problems.append(FieldProblem(f"{at}.email", "email_format", "Not a valid e-mail."))
        contacts.append(
            {"name": contact.name, "phone": phone, "email": email, "role": contact.role}
        )
    return {
        "contacts": contacts,
        "requestedStartDate": x.requested_start_date.isoformat()
        if x.requested_start_date
        else None,
        "requestedDueDate": x.requested_due_date.isoformat() if x.requested_due_date else None,
        "premiseNotes": x.premise_notes,
    }


def _shipping(
    x: o.ShippingIn | None, postal: PostalValidator, problems: list[FieldProblem]
) -> dict | None:
    if x is None:
        return None
    email = normalize_email(x.email) if x.email else None
    if x.email and email is None:
        problems.append(FieldProblem("shipping.email", "email_format", "Not a valid e-mail."))
    address = None
    if x.address is not None:
        checked = postal.validate(postal_address(x.address))
        problems.extend(
            FieldProblem(f"shipping.address.{p.field}", p.rule, p.message) for p in checked.problems
        )
        if checked.standardized is not None:
            a = checked.standardized
            address = {
                "addressLine1": a.address_line1,
                "addressLine2": a.address_line2,
                "city": a.city,
                "state": a.state,
                "zipCode": a.zip_code,
            }
    return {"email": email, "address": address, "notes": x.notes}


# ---- answers ----------------------------------------------------------------------------


def _section(model: type, data: dict[str, Any] | None) -> Any:
    return None if data is None else model.model_validate(data)


def _sub_order(x: Any) -> o.SubOrderOut:
    return o.SubOrderOut(
        id=x.id,
        site_name=x.site_name,
        site_address=o.AddressOut.model_validate(x.site_address),
        product_id=x.product_id,
        product_name=x.product_name,
        configuration=o.ConfigurationOut.model_validate(x.configuration),
        monthly=money(x.monthly_cents),
        one_time=money(x.one_time_cents),
        status=x.status,
        installation=_section(o.InstallationOut, x.installation),
        shipping=_section(o.ShippingOut, x.shipping),
        billing_configuration=_section(o.BillingConfigurationOut, x.billing_configuration),
    )


def _summary_fields(x: Any) -> dict[str, Any]:
    return {
        "id": x.id,
        "status": x.status,
        "quote_id": x.quote_id,
        "contract_id": x.contract_id,
        "customer_id": x.customer_id,
        "customer_defined_group": x.customer_defined_group,
        "totals": totals(x.monthly_cents, x.one_time_cents, x.currency),
        "acknowledgement_id": x.acknowledgement_id,
        "created_at": x.created_at,
        "updated_at": x.updated_at,
        "submitted_at": x.submitted_at,
    }


def summary(x: Any) -> o.OrderSummaryOut:
    return o.OrderSummaryOut(**_summary_fields(x))


def order(found: OrderDetail) -> o.OrderOut:
    x = found.order
    return o.OrderOut(
        **_summary_fields(x),
        installation=_section(o.InstallationOut, x.installation),
        shipping=_section(o.ShippingOut, x.shipping),
        billing_configuration=_section(o.BillingConfigurationOut, x.billing_configuration),
        sub_orders=[_sub_order(s) for s in found.sub_orders],
    )


def history(order: Any, events: list[Any]) -> o.OrderHistoryOut:
    return o.OrderHistoryOut(
        order_id=order.id,
        status=order.status,
        events=[
            o.OrderEventOut(
                id=e.id,
                type=e.type,
                sub_order_id=e.subject_id,
                from_status=e.from_status,
                to_status=e.to_status,
                note=(e.data or {}).get("note"),
                actor=e.actor,
                created_at=e.created_at,
            )
            for e in events
        ],
    )
