"""Inventory products (inventory/products.py) in TMF637's vocabulary: a subscriber line or
an onboarded service as a `Product`, and the engine's statuses as TMF product statuses."""

from __future__ import annotations

from typing import Any

from fastapi import Request

from orderhub.inventory.products import LINE, Product
from orderhub.surfaces.tmf.conventions import CUSTOMER, PRODUCT_INVENTORY, when
from orderhub.webhooks.tmf_events import PRODUCT_STATUS

# The engine's line and service statuses as `ProductStatusType` (one table, shared with
# the events: webhooks/tmf_events.py).
TMF_STATUS = PRODUCT_STATUS
ENGINE_STATUSES: dict[str, frozenset[str]] = {}
for _engine, _tmf in TMF_STATUS.items():
    ENGINE_STATUSES[_tmf] = ENGINE_STATUSES.get(_tmf, frozenset()) | {_engine}

# What a product list filters by (any other query parameter is ignored).
FILTERS = ("status", "relatedParty.id", "productOffering.id", "billingAccount.id")


def engine_statuses(raw: str) -> frozenset[str]:
    """The engine statuses a `status=` filter names (comma-separated TMF statuses); a
    TMF status no product here has matches none."""
    wanted = {s.strip() for s in raw.split(",") if s.strip()}
    return frozenset(e for s in wanted for e in ENGINE_STATUSES.get(s, ()))


def tmf_status(engine_status: str) -> str:
    return TMF_STATUS.get(engine_status, "created")


def _ref(id: str | None, name: str | None, referred: str) -> dict[str, Any] | None:
    if id is None:
        return None
    return {"id": id, **({"name": name} if name else {}), "@referredType": referred}


def _party(request: Request, customer_id: str | None) -> list[dict[str, Any]]:
    if customer_id is None:
        return []
    return [
        {
            "id": customer_id,
            "href": CUSTOMER.href(request, "customer", customer_id),
            "role": "Customer",
            "@referredType": "Customer",
        }
    ]


def _characteristic(name: str, value: Any, value_type: str = "string") -> dict[str, Any]:
    return {"name": name, "valueType": value_type, "value": value}


def product(request: Request, item: Product) -> dict[str, Any]:
    return _line(request, item) if item.kind == LINE else _service(request, item)


def _common(request: Request, item: Product, id: str) -> dict[str, Any]:
    row = item.row
    return {
        "id": id,
        "href": PRODUCT_INVENTORY.href(request, "product", id),
        "@type": "Product",
        "isBundle": False,
        "isCustomerVisible": True,
        "status": tmf_status(row.status),
        "orderDate": when(row.created_at),
        "billingAccount": {
            "id": row.account_number,
            "name": row.account_name,
            "@referredType": "BillingAccount",
        },
        "relatedParty": _party(request, row.customer_id),
    }


def _line(request: Request, item: Product) -> dict[str, Any]:
    row = item.row
    resource = _common(request, item, row.ctn)
    resource |= {
        "name": row.rate_plan_name or row.rate_plan_id,
        "description": f"Mobile line {row.ctn}",
        "productSerialNumber": row.ctn,
        "productOffering": _ref(row.rate_plan_id, row.rate_plan_name, "ProductOffering"),
        "productSpecification": {"id": "mobileLine", "@referredType": "ProductSpecification"},
        "productCharacteristic": [
            _characteristic("ctn", row.ctn),
            _characteristic("billCycleDay", row.bill_cycle_day, "integer"),
            *(
                [_characteristic("accountGroup", row.account_group_id)]
                if row.account_group_id
                else []
            ),
            _characteristic(
                "features", [{"sku": f.sku, "name": f.name} for f in item.features], "array"
            ),
        ],
    }
    if row.activated_on is not None:
        resource["startDate"] = when(row.activated_on)
    if row.source_order_id and row.order_item_id:
        resource["productOrderItem"] = [
            {
                "productOrderId": row.source_order_id,
                "orderItemId": row.order_item_id,
                "orderItemAction": "add",
                "role": "origin",
                "@referredType": "ProductOrder",
            }
        ]
    return resource


def _service(request: Request, item: Product) -> dict[str, Any]:
    row = item.row
    resource = _common(request, item, row.id)
    resource |= {
        "name": row.package_name or row.package_id,
        "description": f"Service {row.service_type_id}",
        "productOffering": _ref(row.package_id, row.package_name, "ProductOffering"),
        "productSpecification": {
            "id": row.service_type_id,
            "@referredType": "ProductSpecification",
        },
        "productCharacteristic": [
            _characteristic("packagePlan", row.package_plan_id),
            _characteristic("features", list(row.features), "array"),
        ],
        "productOrderItem": [
            {
                "productOrderId": row.source_order_id,
                "orderItemId": row.service_subscription_id,
                "orderItemAction": "add",
                "role": "origin",
                "@referredType": "ProductOrder",
            }
        ],
    }
    if row.status == "active":
        resource["startDate"] = when(row.updated_at)
    return resource
