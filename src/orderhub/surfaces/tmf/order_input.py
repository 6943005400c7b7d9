"""TMF622 request bodies read into what the engine takes: whom a new order is for, its
items and the numbers asked for them (ordering/placement.py), and the attributes a
PATCH sets (ordering/details.py)."""

from __future__ import annotations

from orderhub.errors import FieldProblem, Forbidden, ValidationFailed
from orderhub.ordering import details, placement
from orderhub.surfaces.tmf.callers import CUSTOMER, PARTNER, TmfCaller
from orderhub.surfaces.tmf.order_schemas import ProductOrderCreate, ProductOrderUpdate

# Body attributes kept as the order's details, by their columns.
_DETAIL_FIELDS = (*details.COLUMNS, details.EXTERNAL_COLUMN)


def unknown_customer(customer_id: str) -> ValidationFailed:
    """TMF622 lists no 404 for a create: a customer named in the body that does not
    exist (for this caller) is a bad value."""
    return ValidationFailed.one(
        "relatedParty", "unknown_customer", f"No customer '{customer_id[:64]}' was found."
    )


def customer_of(caller: TmfCaller, body: ProductOrderCreate) -> str:
    """Whom a new order is for: the signed-in customer, or the `customer` party
    operations name."""
    named = [p.id for p in body.related_party if (p.role or "customer").lower() == "customer"]
    if caller.kind == PARTNER:
        raise Forbidden(
            "Partners order through the B2B API (quotes, contracts, orders under /b2b/v1); "
            "TMF622 places consumer orders (docs/tmf.md).",
            code="partner_orders_through_b2b",
        )
    if caller.kind == CUSTOMER:
        if caller.id is None:
            raise Forbidden(
                "Become a customer first (your first order through the direct channel), "
                "then sign in again.",
                code="customer_required",
            )
        if others := [n for n in named if n != caller.id]:
            raise unknown_customer(others[0])  # never saying whether somebody else exists
        return caller.id
    if not named:
        raise ValidationFailed.one(
            "relatedParty",
            "customer_required",
            "Name the customer: a relatedParty with role 'customer' and its id.",
        )
    return named[0]


def placement_of(caller: TmfCaller, body: ProductOrderCreate) -> placement.Placement:
    """What to place, or 400 with every problem of the items as sent."""
    problems: list[FieldProblem] = []
    items: list[placement.Item] = []
    for index, item in enumerate(body.product_order_item):
        at = f"productOrderItem.{index}"
        if item.action != "add":
            problems.append(
                FieldProblem(
                    f"{at}.action",
                    "action_add",
                    "A new order adds products; change existing lines with care orders "
                    "(/api/orderingMobility/v1/careOrder).",
                )
            )
        if item.product_offering is None:
            problems.append(
                FieldProblem(f"{at}.productOffering", "missing", "Name the productOffering.")
            )
            continue
        numbers: list[str] = []
        area_code = None
        characteristics = item.product.product_characteristic if item.product else []
        for c_index, c in enumerate(characteristics):
            value = str(c.value)
            if c.name == "phoneNumber" and value.isdigit() and len(value) == 10:
                numbers.append(value)
            elif c.name == "areaCode" and value.isdigit() and len(value) == 3:
                area_code = value
            else:
                problems.append(
                    FieldProblem(
                        f"{at}.product.productCharacteristic.{c_index}.value",
                        "characteristic_value",
                        "A phoneNumber is 10 digits, an areaCode 3.",
                    )
                )
        items.append(
            placement.Item(item.product_offering.id, item.quantity, tuple(numbers), area_code)
        )
    if problems:
        raise ValidationFailed("The product order is not valid.", errors=problems)
    requested = body.requested_completion_date
    return placement.Placement(
        customer_id=customer_of(caller, body),
        items=items,
        requested_date=requested.date() if requested else None,
        actor=caller.actor,
    )


def values_of(body: ProductOrderCreate | ProductOrderUpdate) -> dict:
    """The order details the body sets (a null removes one), by column."""
    return {
        column: getattr(body, column)
        for column in _DETAIL_FIELDS
        if column in body.model_fields_set
    }


def require_items_as_they_are(sent: list, own: set[str]) -> None:
    """A PATCH may send the order's items back (the published update schema requires
    them), but not other ones: items change through the channel's own steps."""
    problems = [
        FieldProblem(
            f"productOrderItem.{index}.id",
            "items_unchangeable",
            "Items are not changed by PATCH: send the order's own items, or none.",
        )
        for index, item in enumerate(sent)
        if item.id not in own
    ]
    if problems:
        raise ValidationFailed("Items are not changed by PATCH.", errors=problems)
