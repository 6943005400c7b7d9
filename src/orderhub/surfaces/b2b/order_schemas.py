"""The B2B order vocabulary: orders, sub-orders, enrichment, acknowledgement, history."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import Field

from orderhub.partner_orders.states import PartnerOrderStatus
from orderhub.surfaces.b2b.quote_schemas import TotalsOut
from orderhub.surfaces.b2b.schemas import AddressIn, AddressOut
from orderhub.surfaces.schemas import (
    Email,
    Id,
    JsonDate,
    LongName,
    Name,
    Phone,
    RequestModel,
    Text,
    WireModel,
    path_id,
)

OrderId = path_id("Order ID")
SubOrderId = path_id("Sub-order ID")
# A customer-defined group is a label: printable text only, in the body and in `?cdg=`
# (where a NUL would reach PostgreSQL, which refuses it, as a 500).
GROUP_PATTERN = r"^[^\x00-\x1f\x7f]+$"
Group = Annotated[str, Field(min_length=1, max_length=100, pattern=GROUP_PATTERN)]

# ---- requests ---------------------------------------------------------------------------


class OrderCreateIn(RequestModel):
    quote_id: Id


class InstallationContactIn(RequestModel):
    name: LongName
    phone: Phone
    email: Email | None = None
    role: Name | None = None


class InstallationIn(RequestModel):
    contacts: Annotated[list[InstallationContactIn], Field(max_length=5)] = []
    requested_start_date: JsonDate | None = None
    requested_due_date: JsonDate | None = None
    premise_notes: Text | None = None


MAX_SHIPPING_EMAILS = 10


class ShippingIn(RequestModel):
    emails: (
        Annotated[
            list[Email],
            Field(
                max_length=MAX_SHIPPING_EMAILS,
                description="The e-mail IDs to notify of the shipment (seed 002), at most "
                f"{MAX_SHIPPING_EMAILS}.",
            ),
        ]
        | None
    ) = None
    email: Email | None = Field(
        None, description="Deprecated: one e-mail ID, added to `emails`. Send `emails`."
    )
    address: AddressIn | None = None
    notes: Text | None = None


class BillingConfigurationIn(RequestModel):
    """All optional: what the partner's billing needs to see on the invoice."""

    process_id: Name | None = None
    ordered_items: Annotated[list[Name], Field(max_length=50)] = []
    sub_orders: Annotated[list[Name], Field(max_length=50)] = []
    invoice_number: Name | None = None


class SubOrderEnrichmentIn(RequestModel):
    """Each section sent replaces the sub-order's own (`null` clears it: the order's
    applies again); sections not sent are unchanged."""

    installation: InstallationIn | None = None
    shipping: ShippingIn | None = None
    billing_configuration: BillingConfigurationIn | None = None


class OrderEnrichmentIn(SubOrderEnrichmentIn):
    """Sections for every sub-order that has none of its own; the customer-defined group
    (CDG) groups orders and filters `GET /orders?cdg=`."""

    customer_defined_group: Group | None = None


# ---- answers ----------------------------------------------------------------------------


class InstallationContactOut(WireModel):
    name: str
    phone: str
    email: str | None = None
    role: str | None = None


class InstallationOut(WireModel):
    contacts: list[InstallationContactOut] = []
    requested_start_date: date | None = None
    requested_due_date: date | None = None
    premise_notes: str | None = None


class ShippingOut(WireModel):
    emails: list[str] = Field(default_factory=list, description="The e-mail IDs, as stored.")
    email: str | None = Field(None, description="Deprecated: the first of `emails`.")
    address: AddressOut | None = None
    notes: str | None = None


class BillingConfigurationOut(WireModel):
    process_id: str | None = None
    ordered_items: list[str] = []
    sub_orders: list[str] = []
    invoice_number: str | None = None


class ConfigurationOut(WireModel):
    access_speed: str | None
    port_speed: str | None
    installation_option: str | None
    discount_percent: int
    promotion_ids: list[str]


Status = Literal[tuple(str(s) for s in PartnerOrderStatus)]  # type: ignore[valid-type]


class SubOrderOut(WireModel):
    id: str
    site_name: str | None
    site_address: AddressOut
    product_id: str
    product_name: str
    configuration: ConfigurationOut
    monthly: str
    one_time: str
    status: Status
    installation: InstallationOut | None
    shipping: ShippingOut | None
    billing_configuration: BillingConfigurationOut | None


class OrderSummaryOut(WireModel):
    id: str
    status: Status
    quote_id: str
    contract_id: str
    customer_id: str
    customer_defined_group: str | None
    totals: TotalsOut
    acknowledgement_id: str | None
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None


class OrderOut(OrderSummaryOut):
    installation: InstallationOut | None
    shipping: ShippingOut | None
    billing_configuration: BillingConfigurationOut | None
    sub_orders: list[SubOrderOut]


class OrdersOut(WireModel):
    orders: list[OrderSummaryOut]
    limit: int
    offset: int


class AcknowledgementOut(WireModel):
    order_id: str
    acknowledgement_id: str
    received_at: datetime
    status: Literal["submitted"]
    sub_order_count: int


class OrderEventOut(WireModel):
    id: int
    type: str
    sub_order_id: str | None
    from_status: str | None
    to_status: str | None
    note: str | None
    actor: str
    created_at: datetime


class OrderHistoryOut(WireModel):
    order_id: str
    status: Status
    events: list[OrderEventOut]
