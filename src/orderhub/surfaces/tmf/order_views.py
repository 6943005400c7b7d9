"""Orders of every channel in TMF622's vocabulary: a ledger row and its parts
(ordering/reads.py) as a `ProductOrder`; a cancellation request as a
`CancelProductOrder`.

* `state` is the ledger's common state (ledger/states.py), TMF622's own values;
* `productOrderItem` are the channel's parts: a cart's items (with the numbers held
  for their lines), a partner order's sub-orders, a care order's changes, an
  onboarding order's services, each with its own state;
* `relatedParty` is whom the order is for (`customer`) and, for a partner's order,
  the partner (`seller`); `channel` the ledger's channel; `externalId` the client's
  own reference (TMF622's, or the channel's: a PO number, a care message id).
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from sqlalchemy import Row

from orderhub.ledger.states import Channel, common_state
from orderhub.ordering.reads import Parts
from orderhub.surfaces.schemas import money
from orderhub.surfaces.tmf.conventions import PRODUCT_CATALOG, PRODUCT_ORDERING, when

# What is always answered, whatever `fields=` asks: ProductOrder requires its items.
ALWAYS = ("productOrderItem",)
ALWAYS_CANCEL = ("productOrder",)
# The references a channel's client knows an order by, most specific first.
_EXTERNAL_IDS = ("externalId", "poNumber", "messageId", "purchaseOrderNumber")
_PARTY_TYPES = {
    "customer": "Individual",
    "business_customer": "Organization",
    "onboarding_account": "Organization",
    "fan": "BillingAccount",
}
_CARE_ITEM_STATES = {
    "received": "acknowledged",
    "scheduled": "inProgress",
    "completed": "completed",
    "failed": "failed",
    "cancelled": "cancelled",
}


def _amount(cents: int, currency: str) -> dict[str, Any]:
    return {"unit": currency, "value": float(money(cents))}


def _prices(monthly: int, one_time: int, currency: str) -> list[dict[str, Any]]:
    return [
        {
            "@type": "OrderPrice",
            "name": "monthly",
            "priceType": "recurring",
            "recurringChargePeriod": "month",
            "price": {"@type": "Price", "dutyFreeAmount": _amount(monthly, currency)},
        },
        {
            "@type": "OrderPrice",
            "name": "one time",
            "priceType": "oneTime",
            "price": {"@type": "Price", "dutyFreeAmount": _amount(one_time, currency)},
        },
    ]


def _item_state(order_state: str) -> str:
    # ProductOrderItemStateType has no `partial`: an item is done or not.
    return "completed" if order_state == "partial" else order_state


def _offering(request: Request, offer_id: str, name: str | None) -> dict[str, Any]:
    ref = {
        "id": offer_id,
        "href": PRODUCT_CATALOG.href(request, "productOffering", offer_id),
        "@referredType": "ProductOffering",
    }
    return ref | ({"name": name} if name else {})


def _items(request: Request, order: Row, parts: Parts) -> list[dict[str, Any]]:
    if order.channel == Channel.DIRECT:
        return [
            {
                "id": item.id,
                "@type": "ProductOrderItem",
                "action": "add",
                "quantity": item.quantity,
                "state": _item_state(order.state),
                "productOffering": _offering(request, item.offer_id, item.name),
                "product": {
                    "@type": "Product",
                    "productCharacteristic": [
                        {"name": "phoneNumber", "valueType": "string", "value": number}
                        for number in parts.numbers.get(item.id, [])
                    ],
                },
                "itemTotalPrice": _prices(
                    item.quantity * (item.unit_monthly_cents - item.monthly_discount_cents),
                    item.quantity * item.unit_one_time_cents,
                    order.currency,
                ),
            }
            for item in parts.items
        ]
    if order.channel == Channel.PARTNER:
        return [
            {
                "id": sub.id,
                "@type": "ProductOrderItem",
                "action": "add",
                "quantity": 1,
                "state": _item_state(common_state(Channel.PARTNER, sub.status)),
                "productOffering": _offering(request, sub.product_id, sub.product_name),
                "itemTotalPrice": _prices(sub.monthly_cents, sub.one_time_cents, order.currency),
            }
            for sub in parts.items
        ]
    if order.channel == Channel.CARE:
        return [
            {
                "id": change.id,
                "@type": "ProductOrderItem",
                "action": "delete" if change.type == "cancelLine" else "modify",
                "quantity": 1,
                "state": _CARE_ITEM_STATES.get(change.status, "inProgress"),
                "product": {"@type": "Product", "id": change.ctn, "name": change.type},
            }
            for change in parts.items
        ]
    return [
        {
            "id": service.id,
            "@type": "ProductOrderItem",
            "action": "add",
            "quantity": 1,
            "state": _item_state(order.state),
            "productOffering": _offering(request, service.service_type_id, None),
        }
        for service in parts.items
    ]


def product_order(
    request: Request, order: Row, parts: Parts, references: dict[str, str]
) -> dict[str, Any]:
    detail = parts.detail
    external = next((references[k] for k in _EXTERNAL_IDS if k in references), None)
    parties = [
        {
            "id": order.party_id,
            "role": "customer",
            "@referredType": _PARTY_TYPES.get(order.party_kind, "Party"),
        }
    ]
    if order.owner.startswith("partner:"):
        parties.append(
            {
                "id": order.owner.removeprefix("partner:"),
                "role": "seller",
                "@referredType": "Organization",
            }
        )
    body: dict[str, Any] = {
        "id": order.id,
        "href": PRODUCT_ORDERING.href(request, "productOrder", order.id),
        "@type": "ProductOrder",
        "@baseType": "ProductOrder",
        "state": order.state,
        "orderDate": when(order.created_at),
        "completionDate": when(order.completed_at),
        "requestedCompletionDate": when(
            (detail and detail.requested_completion_date) or order.requested_date
        ),
        "requestedStartDate": when(detail.requested_start_date) if detail else None,
        "externalId": external,
        "description": detail.description if detail else None,
        "category": detail.category if detail else None,
        "priority": detail.priority if detail else None,
        "notificationContact": detail.notification_contact if detail else None,
        "channel": [
            {
                "id": order.channel,
                "name": order.channel,
                "role": "salesChannel",
                "@referredType": "SalesChannel",
            }
        ],
        "relatedParty": parties,
        "note": [
            {"@type": "Note", **{k: v for k, v in n.items() if v is not None}}
            for n in (detail.notes if detail else [])
        ],
        "orderTotalPrice": _prices(order.monthly_cents, order.one_time_cents, order.currency),
        "productOrderItem": _items(request, order, parts),
    }
    # Absent rather than null: the published schema types these as strings.
    return {k: v for k, v in body.items() if v is not None}


def cancel_product_order(request: Request, row: Row) -> dict[str, Any]:
    body = {
        "id": row.id,
        "href": PRODUCT_ORDERING.href(request, "cancelProductOrder", row.id),
        "@type": "CancelProductOrder",
        "state": row.state,
        "cancellationReason": row.cancellation_reason,
        "requestedCancellationDate": when(row.requested_cancellation_date),
        "effectiveCancellationDate": when(row.effective_cancellation_date),
        "creationDate": when(row.created_at),
        "rejectionReason": row.rejection_reason,
        "productOrder": {
            "id": row.order_id,
            "href": PRODUCT_ORDERING.href(request, "productOrder", row.order_id),
            "@referredType": "ProductOrder",
        },
    }
    return {k: v for k, v in body.items() if v is not None}
