"""The engine's events as TM Forum events, for hub listeners (surfaces/tmf/hub_routes.py).

A listener is a webhook subscription with an `api`: it is sent the events of its API that
its `query` asks for, each in the TMF envelope (`eventId`, `eventTime`, `eventType`,
`event: {<resource>: {...}}`), through the same outbox, dispatcher, signing, retries and
event ids as any webhook. The resource in an event is its reference and the attributes
the event is about (`state` of a state change), with an `href` built from the base URL
the listener was registered through; a listener wanting more GETs the `href`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from orderhub.ids import iso_z

# The TMF APIs' names in paths (surfaces/tmf/conventions.py), as stored in `api`.
PRODUCT_ORDERING = "productOrderingManagement"
PRODUCT_CATALOG = "productCatalogManagement"
CUSTOMER = "customerManagement"
PRODUCT_INVENTORY = "productInventory"


@dataclass(frozen=True)
class Mapping:
    api: str
    event_type: str  # ProductOrderStateChangeEvent
    resource: str  # productOrder: the key in `event` and the path segment of its href
    resource_type: str  # ProductOrder: its @type
    attributes: Callable[[dict[str, Any]], dict[str, Any]]
    # The engine event is one of this TMF event only when `when` holds (a status move
    # that leaves the common state as it was is no state change to TMF).
    when: Callable[[dict[str, Any]], bool] = lambda data: True


def _state(data: dict[str, Any]) -> dict[str, Any]:
    return {"state": data["state"]}


def _state_moved(data: dict[str, Any]) -> bool:
    return data.get("state") != data.get("previousState")


def _lifecycle(data: dict[str, Any]) -> dict[str, Any]:
    return {k: data[k] for k in ("lifecycleStatus", "name") if k in data}


def _customer(data: dict[str, Any]) -> dict[str, Any]:
    return {k: data[k] for k in ("status", "name") if k in data}


def _nothing(data: dict[str, Any]) -> dict[str, Any]:
    return {}


_ORDER = (PRODUCT_ORDERING, "productOrder", "ProductOrder")
_CANCEL = (PRODUCT_ORDERING, "cancelProductOrder", "CancelProductOrder")
_OFFERING = (PRODUCT_CATALOG, "productOffering", "ProductOffering")
_CUSTOMER = (CUSTOMER, "customer", "Customer")
_PRODUCT = (PRODUCT_INVENTORY, "product", "Product")

# The inventory's line and service statuses as TMF637's `ProductStatusType`. PreActive
# (sold, waiting for fulfilment to activate it) is `pendingActive`; a cancelled line is
# `terminated`. No engine status is `created`, `pendingTerminate`, `cancelled` or
# `aborted`: a product exists once an order has been submitted, and ends in one step.
PRODUCT_STATUS = {
    "preActive": "pendingActive",
    "active": "active",
    "suspended": "suspended",
    "cancelled": "terminated",
}


def _product(data: dict[str, Any]) -> dict[str, Any]:
    return {"status": PRODUCT_STATUS.get(data["status"], "created")} if "status" in data else {}


def _is(
    resource: tuple[str, str, str],
    event_type: str,
    attributes: Callable[[dict[str, Any]], dict[str, Any]],
    when: Callable[[dict[str, Any]], bool] = lambda data: True,
) -> tuple[Mapping, ...]:
    api, name, resource_type = resource
    return (Mapping(api, event_type, name, resource_type, attributes, when),)


# Engine event type -> the TMF events it is. Who publishes each: ledger/service.py
# (`ledger.*`, every channel's orders), the TMF622 use cases (`tmf.*`), the catalog's
# and customers' TMF writes (`catalog.*`, `customer.*`), the inventory's lines and
# services (`inventory.*`, inventory/service.py).
MAPPINGS: dict[str, tuple[Mapping, ...]] = {
    "ledger.order_opened": _is(_ORDER, "ProductOrderCreateEvent", _state),
    "ledger.status_changed": _is(_ORDER, "ProductOrderStateChangeEvent", _state, _state_moved),
    "tmf.product_order_changed": _is(_ORDER, "ProductOrderAttributeValueChangeEvent", _state),
    "tmf.product_order_deleted": _is(_ORDER, "ProductOrderDeleteEvent", _nothing),
    "tmf.cancel_product_order_created": _is(_CANCEL, "CancelProductOrderCreateEvent", _state),
    "tmf.cancel_product_order_state_changed": _is(
        _CANCEL, "CancelProductOrderStateChangeEvent", _state
    ),
    "catalog.offering_created": _is(_OFFERING, "ProductOfferingCreateEvent", _lifecycle),
    "catalog.offering_changed": _is(
        _OFFERING, "ProductOfferingAttributeValueChangeEvent", _lifecycle
    ),
    "catalog.offering_state_changed": _is(_OFFERING, "ProductOfferingStateChangeEvent", _lifecycle),
    "catalog.offering_deleted": _is(_OFFERING, "ProductOfferingDeleteEvent", _nothing),
    "customer.created": _is(_CUSTOMER, "CustomerCreateEvent", _customer),
    "customer.changed": _is(_CUSTOMER, "CustomerAttributeValueChangeEvent", _customer),
    "customer.status_changed": _is(_CUSTOMER, "CustomerStateChangeEvent", _customer),
    "customer.deleted": _is(_CUSTOMER, "CustomerDeleteEvent", _nothing),
    "inventory.product_created": _is(_PRODUCT, "ProductCreateEvent", _product),
    "inventory.product_changed": _is(_PRODUCT, "ProductAttributeValueChangeEvent", _product),
    "inventory.product_state_changed": _is(_PRODUCT, "ProductStateChangeEvent", _product),
    "inventory.product_deleted": _is(_PRODUCT, "ProductDeleteEvent", _nothing),
}


def event_types_of(api: str) -> dict[str, list[str]]:
    """The TMF event types a listener of `api` can ask for, each with the engine event
    types that are it."""
    found: dict[str, list[str]] = {}
    for engine_type, mappings in MAPPINGS.items():
        for m in mappings:
            if m.api == api:
                found.setdefault(m.event_type, []).append(engine_type)
    return found


def engine_types(api: str, wanted: Iterable[str] | None) -> list[str]:
    """The engine event types a listener of `api` wanting the TMF `wanted` types (None:
    all of its API's) is sent."""
    known = event_types_of(api)
    chosen = known if wanted is None else {t: known[t] for t in wanted}
    return sorted({e for types in chosen.values() for e in types})


def applies(api: str, engine_type: str, data: dict[str, Any]) -> bool:
    """Whether the engine event is a TMF event of `api`."""
    return any(m.api == api and m.when(data) for m in MAPPINGS.get(engine_type, ()))


def render(
    *,
    api: str,
    base_url: str,
    event_id: str,
    engine_type: str,
    subject: str,
    data: dict[str, Any],
    created_at: Any,
) -> dict[str, Any] | None:
    """The TMF event an engine event is for a listener of `api`; None when it is none
    (a status move inside one common state)."""
    for m in MAPPINGS.get(engine_type, ()):
        if m.api != api or not m.when(data):
            continue
        resource = {
            "id": subject,
            "href": f"{base_url.rstrip('/')}/tmf-api/{api}/v4/{m.resource}/{subject}",
            "@type": m.resource_type,
            **m.attributes(data),
        }
        when = iso_z(created_at)
        return {
            "eventId": event_id,
            "eventTime": when,
            "eventType": m.event_type,
            "timeOcurred": when,
            "domain": api,
            "event": {m.resource: resource},
        }
    return None
