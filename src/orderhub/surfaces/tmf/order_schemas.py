"""TMF622 request bodies: the parts of `ProductOrder_Create`, `ProductOrder_Update` and
`CancelProductOrder_Create` OrderHub acts on. Any other attribute, the specification's
own included (`agreement`, `payment`, `quote`, prices: the catalog prices an order), is
refused by name (400 `extra_forbidden`) rather than silently dropped (docs/tmf.md)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt

from orderhub.surfaces.tmf.conventions import TmfBody, TmfDateTime

Text = Annotated[str, Field(min_length=1, max_length=1000)]
Ref = Annotated[str, Field(min_length=1, max_length=64)]


class Typed(TmfBody):
    """The polymorphism attributes every TMF entity may carry; accepted and not kept."""

    type_: str | None = Field(default=None, alias="@type", max_length=100)
    base_type: str | None = Field(default=None, alias="@baseType", max_length=100)
    schema_location: str | None = Field(default=None, alias="@schemaLocation", max_length=500)


class Reference(Typed):
    id: Ref
    href: str | None = Field(default=None, max_length=500)
    name: str | None = Field(default=None, max_length=200)
    referred_type: str | None = Field(default=None, alias="@referredType", max_length=100)


class RelatedParty(Reference):
    role: str | None = Field(default=None, max_length=100)


class Characteristic(Typed):
    """`phoneNumber` (the number a line should have) or `areaCode` (where its free
    number comes from)."""

    name: Literal["phoneNumber", "areaCode"]
    value: Any
    value_type: str | None = Field(default=None, alias="valueType", max_length=50)


class Product(Typed):
    product_characteristic: list[Characteristic] = Field(
        default_factory=list, alias="productCharacteristic", max_length=20
    )


class Note(Typed):
    text: Text
    author: str | None = Field(default=None, max_length=100)
    date: TmfDateTime | None = None
    id: str | None = Field(default=None, max_length=64)


class OrderItem(Typed):
    id: Annotated[str, Field(min_length=1, max_length=64)]
    action: Literal["add", "modify", "delete", "noChange"]
    quantity: Annotated[StrictInt, Field(ge=1, le=10)] = 1
    product_offering: Reference | None = Field(default=None, alias="productOffering")
    product: Product | None = None


class Channel(Reference):
    role: str | None = Field(default=None, max_length=100)


class ProductOrderCreate(Typed):
    product_order_item: list[OrderItem] = Field(
        alias="productOrderItem", min_length=1, max_length=20
    )
    related_party: list[RelatedParty] = Field(
        default_factory=list, alias="relatedParty", max_length=10
    )
    external_id: str | None = Field(default=None, alias="externalId", max_length=200)
    description: str | None = Field(default=None, max_length=1000)
    category: str | None = Field(default=None, max_length=100)
    priority: str | None = Field(default=None, pattern=r"^[0-4]$")
    notification_contact: str | None = Field(
        default=None, alias="notificationContact", max_length=200
    )
    requested_completion_date: TmfDateTime | None = Field(
        default=None, alias="requestedCompletionDate"
    )
    requested_start_date: TmfDateTime | None = Field(default=None, alias="requestedStartDate")
    note: list[Note] = Field(default_factory=list, max_length=20)
    channel: list[Channel] = Field(default_factory=list, max_length=5)


class ItemAsIs(BaseModel):
    """An item of the order as it is: the published `ProductOrder_Update` requires
    `productOrderItem`, so a client may send the items back; only their ids are read."""

    model_config = ConfigDict(extra="ignore")

    id: Annotated[str, Field(min_length=1, max_length=64)]


class ProductOrderUpdate(Typed):
    """What may change on an order of any channel: its TMF attributes, not its items
    (they change through the channel's own steps; `productOrderItem` may be sent, naming
    the order's own items, and changes nothing) nor its state (cancelProductOrder)."""

    product_order_item: list[ItemAsIs] | None = Field(
        default=None, alias="productOrderItem", max_length=100
    )

    external_id: str | None = Field(default=None, alias="externalId", max_length=200)
    description: str | None = Field(default=None, max_length=1000)
    category: str | None = Field(default=None, max_length=100)
    priority: str | None = Field(default=None, pattern=r"^[0-4]$")
    notification_contact: str | None = Field(
        default=None, alias="notificationContact", max_length=200
    )
    requested_start_date: TmfDateTime | None = Field(default=None, alias="requestedStartDate")
    requested_completion_date: TmfDateTime | None = Field(
        default=None, alias="requestedCompletionDate"
    )
    note: list[Note] | None = Field(default=None, max_length=20)


class CancelProductOrderCreate(Typed):
    product_order: Reference = Field(alias="productOrder")
    cancellation_reason: str | None = Field(
        default=None, alias="cancellationReason", max_length=1000
    )
    requested_cancellation_date: TmfDateTime | None = Field(
        default=None, alias="requestedCancellationDate"
    )
