"""B2B orders between the wire and the domain: enrichment in, orders and history out."""

from __future__ import annotations

from typing import Any

from orderhub.partner_orders.service import OrderDetail
from orderhub.surfaces.b2b import order_schemas as o
from orderhub.surfaces.b2b.quote_views import totals
from orderhub.surfaces.schemas import money

# ---- enrichment in: the sections sent, as plain data ------------------------------------


def enrichment_sections(body: o.SubOrderEnrichmentIn) -> dict[str, Any]:
    """The sections the partner sent (None where cleared), by wire name; partner_orders
    checks and stores them."""
    return body.model_dump(mode="json", by_alias=True, include=body.model_fields_set)


# ---- answers ----------------------------------------------------------------------------


def _section(model: type, data: dict[str, Any] | None) -> Any:
    return None if data is None else model.model_validate(data)


def _shipping(data: dict[str, Any] | None) -> o.ShippingOut | None:
    """A shipping section as stored: `emails`, or one `email` from before there could be
    several."""
    if data is None:
        return None
    emails = data.get("emails") or ([data["email"]] if data.get("email") else [])
    return o.ShippingOut(
        emails=emails,
        email=emails[0] if emails else None,
        address=_section(o.AddressOut, data.get("address")),
        notes=data.get("notes"),
    )


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
        shipping=_shipping(x.shipping),
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
        shipping=_shipping(x.shipping),
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
