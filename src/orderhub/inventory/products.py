"""The inventory read as products (TMF637): subscriber lines (by CTN) and onboarded
services, one list across both, scoped to what the caller may see. Only reads: lines and
services change through orders (consumer and TMF622 orders, onboarding, care orders)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, and_, bindparam, func, literal, select, true, union_all
from sqlalchemy.orm import Session

from orderhub.errors import NotFound
from orderhub.inventory.models import Feature
from orderhub.inventory.provisioned import (
    PACKAGE_SUBSCRIPTIONS,
    SERVICE_SUBSCRIPTIONS,
    SERVICES,
)
from orderhub.inventory.service import ACCESS, ACCOUNTS, LINE_FEATURES, PLANS, SUBSCRIBERS
from orderhub.numbers.models import PhoneNumber
from orderhub.onboarding.models import Package
from orderhub.visibility import Scope

LINE, SERVICE = "line", "service"
FEATURES = Feature.__table__
PACKAGES = Package.__table__
NUMBERS = PhoneNumber.__table__

# Lines and services side by side, each with its account: what every list filters,
# orders and pages by. The details of a page are read after, one query per kind.
_LINES = (
    select(
        literal(LINE).label("kind"),
        SUBSCRIBERS.c.ctn.label("id"),
        SUBSCRIBERS.c.status,
        SUBSCRIBERS.c.account_number,
        SUBSCRIBERS.c.rate_plan_id.label("offering_id"),
        ACCOUNTS.c.customer_id,
        SUBSCRIBERS.c.created_at,
    )
    .select_from(SUBSCRIBERS)
    .join(ACCOUNTS, ACCOUNTS.c.number == SUBSCRIBERS.c.account_number)
)
_SERVICES = (
    select(
        literal(SERVICE).label("kind"),
        SERVICES.c.id,
        SERVICES.c.status,
        SERVICES.c.account_number,
        PACKAGE_SUBSCRIPTIONS.c.package_id.label("offering_id"),
        ACCOUNTS.c.customer_id,
        SERVICES.c.created_at,
    )
    .select_from(SERVICES)
    .join(SERVICE_SUBSCRIPTIONS, SERVICE_SUBSCRIPTIONS.c.id == SERVICES.c.service_subscription_id)
    .join(
        PACKAGE_SUBSCRIPTIONS,
        PACKAGE_SUBSCRIPTIONS.c.id == SERVICE_SUBSCRIPTIONS.c.package_subscription_id,
    )
    .join(ACCOUNTS, ACCOUNTS.c.number == SERVICES.c.account_number)
)


def _products(accounts: list[str] | None) -> Any:
    """Lines and services, of these accounts only when given: the scope is applied inside
    each branch, where the account number's index serves it (outside the union, every
    line and service would be read to find a caller's few)."""
    lines, services = _LINES, _SERVICES
    if accounts is not None:
        lines = lines.where(SUBSCRIBERS.c.account_number.in_(accounts))
        services = services.where(SERVICES.c.account_number.in_(accounts))
    return union_all(lines, services).subquery("products")


# The accounts a scope sees, each read by an index (inventory_accounts.customer_id; the
# access rows of a partner).
_CONSUMER_ACCOUNTS = select(ACCOUNTS.c.number).where(
    ACCOUNTS.c.customer_id == bindparam("b_customer"), ACCOUNTS.c.kind == "consumer"
)
_PARTNER_ACCOUNTS = select(ACCESS.c.account_number).where(
    ACCESS.c.partner_id == bindparam("b_partner")
)

# What a product shows of a line or a service, nothing more (not a line's IMEI, ICCID or
# contacts, nor a service's configuration, contacts or identifiers).
_LINE_DETAILS = (
    select(
        SUBSCRIBERS.c.ctn,
        SUBSCRIBERS.c.status,
        SUBSCRIBERS.c.account_number,
        SUBSCRIBERS.c.account_group_id,
        SUBSCRIBERS.c.rate_plan_id,
        SUBSCRIBERS.c.bill_cycle_day,
        SUBSCRIBERS.c.source_order_id,
        SUBSCRIBERS.c.activated_on,
        SUBSCRIBERS.c.created_at,
        SUBSCRIBERS.c.updated_at,
        PLANS.c.name.label("rate_plan_name"),
        ACCOUNTS.c.name.label("account_name"),
        ACCOUNTS.c.customer_id,
        NUMBERS.c.item_id.label("order_item_id"),
    )
    .join(ACCOUNTS, ACCOUNTS.c.number == SUBSCRIBERS.c.account_number)
    .join(PLANS, PLANS.c.id == SUBSCRIBERS.c.rate_plan_id, isouter=True)
    # The order item a sold line was assigned to (its number's assignment).
    .join(
        NUMBERS,
        and_(
            NUMBERS.c.number == SUBSCRIBERS.c.ctn,
            NUMBERS.c.order_id == SUBSCRIBERS.c.source_order_id,
        ),
        isouter=True,
    )
)
_SERVICE_DETAILS = (
    select(
        SERVICES.c.id,
        SERVICES.c.service_subscription_id,
        SERVICES.c.account_number,
        SERVICES.c.service_type_id,
        SERVICES.c.status,
        SERVICES.c.features,
        SERVICES.c.created_at,
        SERVICES.c.updated_at,
        PACKAGE_SUBSCRIPTIONS.c.id.label("package_subscription_id"),
        PACKAGE_SUBSCRIPTIONS.c.package_id,
        PACKAGE_SUBSCRIPTIONS.c.package_plan_id,
        PACKAGE_SUBSCRIPTIONS.c.source_order_id,
        PACKAGES.c.name.label("package_name"),
        ACCOUNTS.c.name.label("account_name"),
        ACCOUNTS.c.customer_id,
    )
    .join(SERVICE_SUBSCRIPTIONS, SERVICE_SUBSCRIPTIONS.c.id == SERVICES.c.service_subscription_id)
    .join(
        PACKAGE_SUBSCRIPTIONS,
        PACKAGE_SUBSCRIPTIONS.c.id == SERVICE_SUBSCRIPTIONS.c.package_subscription_id,
    )
    .join(ACCOUNTS, ACCOUNTS.c.number == SERVICES.c.account_number)
    .join(PACKAGES, PACKAGES.c.id == PACKAGE_SUBSCRIPTIONS.c.package_id, isouter=True)
)
_LINE_FEATURES = (
    select(LINE_FEATURES.c.ctn, LINE_FEATURES.c.sku, FEATURES.c.name)
    .join(FEATURES, FEATURES.c.sku == LINE_FEATURES.c.sku)
    .where(LINE_FEATURES.c.status == "active")
    .order_by(LINE_FEATURES.c.effective_at, LINE_FEATURES.c.id)
)


class ProductNotFound(NotFound):
    code = "product_not_found"
    title = "Product not found"


@dataclass(frozen=True)
class ProductFilter:
    statuses: frozenset[str] | None = None  # engine statuses (preActive, active...)
    customer_id: str | None = None  # the party behind the account
    offering_id: str | None = None  # a line's rate plan, a service's package
    account_number: str | None = None
    kind: str | None = None  # line | service


@dataclass(frozen=True)
class Product:
    kind: str  # line | service
    row: Row  # the subscriber or the service, with its account's name and customer
    features: list[Row]  # a line's active features (sku, name); empty for a service


@dataclass(frozen=True)
class ProductPage:
    products: list[Product]
    total: int


def _accounts(session: Session, scope: Scope) -> list[str] | None:
    """The account numbers the scope sees; None for every one (operations)."""
    if scope.everything:
        return None
    if scope.partner_id is not None:
        return list(session.scalars(_PARTNER_ACCOUNTS, {"b_partner": scope.partner_id}))
    if scope.consumer_id is not None:
        return list(session.scalars(_CONSUMER_ACCOUNTS, {"b_customer": scope.consumer_id}))
    return []  # a prospect: nothing is theirs yet


def _matching(products: Any, wanted: ProductFilter) -> list:
    conditions: list = []
    if wanted.statuses is not None:
        conditions.append(products.c.status.in_(sorted(wanted.statuses)))
    for column, value in (
        (products.c.customer_id, wanted.customer_id),
        (products.c.offering_id, wanted.offering_id),
        (products.c.account_number, wanted.account_number),
        (products.c.kind, wanted.kind),
    ):
        if value is not None:
            conditions.append(column == value)
    return conditions


def list_products(
    session: Session, *, scope: Scope, wanted: ProductFilter, limit: int, offset: int
) -> ProductPage:
    """A page of the products the scope sees that match, oldest first, and how many match.
    Operations' list sorts every line and service (acceptable at today's sizes)."""
    accounts = _accounts(session, scope)
    if accounts == []:
        return ProductPage([], 0)
    products = _products(accounts)
    where = and_(true(), *_matching(products, wanted))
    total = session.execute(select(func.count()).select_from(products).where(where)).scalar_one()
    keys = session.execute(
        select(products.c.kind, products.c.id)
        .where(where)
        .order_by(products.c.created_at, products.c.id)
        .limit(limit)
        .offset(offset)
    ).all()
    return ProductPage(_details(session, [(k.kind, k.id) for k in keys]), total)


def get_product(session: Session, *, scope: Scope, product_id: str) -> Product:
    """One product the scope sees; any other does not exist (404)."""
    accounts = _accounts(session, scope)
    key = None
    if accounts != []:
        # The id inside each branch too: a line's CTN and a service's id are their keys.
        lines = _LINES.where(SUBSCRIBERS.c.ctn == product_id)
        services = _SERVICES.where(SERVICES.c.id == product_id)
        if accounts is not None:
            lines = lines.where(SUBSCRIBERS.c.account_number.in_(accounts))
            services = services.where(SERVICES.c.account_number.in_(accounts))
        found = union_all(lines, services).subquery("products")
        key = session.execute(select(found.c.kind, found.c.id)).first()
    if key is None:
        raise ProductNotFound(f"No product '{product_id[:64]}' was found.")
    return _details(session, [(key.kind, key.id)])[0]


def _details(session: Session, keys: list[tuple[str, str]]) -> list[Product]:
    """The products of these keys, in their order, with their details."""
    ctns = [id for kind, id in keys if kind == LINE]
    service_ids = [id for kind, id in keys if kind == SERVICE]
    found: dict[tuple[str, str], Row] = {}
    features: dict[str, list[Row]] = defaultdict(list)
    if ctns:
        for row in session.execute(_LINE_DETAILS.where(SUBSCRIBERS.c.ctn.in_(ctns))):
            found[(LINE, row.ctn)] = row
        for f in session.execute(_LINE_FEATURES.where(LINE_FEATURES.c.ctn.in_(ctns))):
            features[f.ctn].append(f)
    if service_ids:
        for row in session.execute(_SERVICE_DETAILS.where(SERVICES.c.id.in_(service_ids))):
            found[(SERVICE, row.id)] = row
    return [
        Product(kind, found[(kind, id)], features.get(id, []) if kind == LINE else [])
        for kind, id in keys
        if (kind, id) in found
    ]
