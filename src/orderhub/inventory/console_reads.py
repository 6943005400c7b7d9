"""What the operations console shows of an account's inventory: its lines with their rate
plans, devices and features, and its onboarded services. Read-only, and batched: one
query per kind of row for any number of accounts (never one per line)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import Row, bindparam, func, select
from sqlalchemy.orm import Session

from orderhub.catalog.models import Offer
from orderhub.inventory.models import AccountGroup, Feature
from orderhub.inventory.provisioned import (
    PACKAGE_SUBSCRIPTIONS,
    SERVICE_SUBSCRIPTIONS,
    SERVICES,
)
from orderhub.inventory.service import ACCESS, ACCOUNTS, LINE_FEATURES, PLANS, SUBSCRIBERS
from orderhub.onboarding.models import Package, ServiceType
from orderhub.partners.models import Partner

FEATURES = Feature.__table__
OFFERS = Offer.__table__
GROUPS = AccountGroup.__table__
PACKAGES = Package.__table__
SERVICE_TYPES = ServiceType.__table__
PARTNERS = Partner.__table__

# Lines shown per page of an account or customer; a FAN can hold thousands.
LINES_SHOWN = 200

_ACCOUNT = select(ACCOUNTS).where(ACCOUNTS.c.number == bindparam("b_number"))
_ACCOUNTS_OF = (
    select(ACCOUNTS)
    .where(ACCOUNTS.c.customer_id == bindparam("b_customer"))
    .order_by(ACCOUNTS.c.number)
)
_LINES = (
    select(
        SUBSCRIBERS.c.ctn,
        SUBSCRIBERS.c.account_number,
        SUBSCRIBERS.c.account_group_id,
        SUBSCRIBERS.c.status,
        SUBSCRIBERS.c.rate_plan_id,
        SUBSCRIBERS.c.bill_cycle_day,
        SUBSCRIBERS.c.imei,
        SUBSCRIBERS.c.network_block,
        SUBSCRIBERS.c.source_order_id,
        SUBSCRIBERS.c.activated_on,
        SUBSCRIBERS.c.created_at,
        # A business line's plan is an inventory rate plan; a consumer line's, the
        # catalog offer it was sold on.
        func.coalesce(PLANS.c.name, OFFERS.c.name).label("rate_plan_name"),
        GROUPS.c.name.label("group_name"),
    )
    .join(PLANS, PLANS.c.id == SUBSCRIBERS.c.rate_plan_id, isouter=True)
    .join(OFFERS, OFFERS.c.id == SUBSCRIBERS.c.rate_plan_id, isouter=True)
    .join(GROUPS, GROUPS.c.id == SUBSCRIBERS.c.account_group_id, isouter=True)
    .where(SUBSCRIBERS.c.account_number.in_(bindparam("b_accounts", expanding=True)))
    .order_by(SUBSCRIBERS.c.account_number, SUBSCRIBERS.c.ctn)
    .limit(LINES_SHOWN)
)
_LINE_COUNTS = (
    select(SUBSCRIBERS.c.status, func.count())
    .where(SUBSCRIBERS.c.account_number.in_(bindparam("b_accounts", expanding=True)))
    .group_by(SUBSCRIBERS.c.status)
)
_FEATURES = (
    select(
        LINE_FEATURES.c.ctn,
        LINE_FEATURES.c.sku,
        LINE_FEATURES.c.status,
        LINE_FEATURES.c.effective_at,
        LINE_FEATURES.c.expires_at,
        FEATURES.c.name,
    )
    .join(FEATURES, FEATURES.c.sku == LINE_FEATURES.c.sku, isouter=True)
    .where(
        LINE_FEATURES.c.ctn.in_(bindparam("b_ctns", expanding=True)),
        LINE_FEATURES.c.status == "active",
    )
    .order_by(LINE_FEATURES.c.ctn, LINE_FEATURES.c.effective_at, LINE_FEATURES.c.id)
)
_SERVICES = (
    select(
        SERVICES.c.id,
        SERVICES.c.account_number,
        SERVICES.c.service_type_id,
        SERVICES.c.status,
        SERVICES.c.features,
        SERVICES.c.identifiers,
        SERVICES.c.created_at,
        SERVICES.c.updated_at,
        SERVICE_TYPES.c.name.label("service_type_name"),
        PACKAGE_SUBSCRIPTIONS.c.package_id,
        PACKAGE_SUBSCRIPTIONS.c.package_plan_id,
        PACKAGE_SUBSCRIPTIONS.c.source_order_id,
        PACKAGES.c.name.label("package_name"),
    )
    .join(SERVICE_SUBSCRIPTIONS, SERVICE_SUBSCRIPTIONS.c.id == SERVICES.c.service_subscription_id)
    .join(
        PACKAGE_SUBSCRIPTIONS,
        PACKAGE_SUBSCRIPTIONS.c.id == SERVICE_SUBSCRIPTIONS.c.package_subscription_id,
    )
    .join(SERVICE_TYPES, SERVICE_TYPES.c.id == SERVICES.c.service_type_id, isouter=True)
    .join(PACKAGES, PACKAGES.c.id == PACKAGE_SUBSCRIPTIONS.c.package_id, isouter=True)
    .where(SERVICES.c.account_number.in_(bindparam("b_accounts", expanding=True)))
    .order_by(SERVICES.c.created_at, SERVICES.c.id)
    .limit(LINES_SHOWN)
)
_GROUPS = (
    select(GROUPS)
    .where(GROUPS.c.account_number.in_(bindparam("b_accounts", expanding=True)))
    .order_by(GROUPS.c.account_number, GROUPS.c.name)
)
_PARTNERS_OF = (
    select(ACCESS.c.account_number, PARTNERS.c.id, PARTNERS.c.name)
    .join(PARTNERS, PARTNERS.c.id == ACCESS.c.partner_id)
    .where(ACCESS.c.account_number.in_(bindparam("b_accounts", expanding=True)))
    .order_by(PARTNERS.c.name)
)

# What a service's identifier may hold that an operator never needs to read.
_SECRET_WORDS = ("password", "secret", "pin", "token")


def shown_identifiers(identifiers: list[dict] | None) -> list[dict]:
    """A service's identifiers without any whose name says it is a secret."""
    return [
        i
        for i in identifiers or []
        if not any(word in str(i.get("name", "")).lower() for word in _SECRET_WORDS)
    ]


@dataclass(frozen=True)
class Holdings:
    """The inventory of some accounts, as the console shows it."""

    accounts: list[Row] = field(default_factory=list)
    lines: list[Row] = field(default_factory=list)  # at most LINES_SHOWN
    line_counts: dict[str, int] = field(default_factory=dict)  # by status, every line
    features: dict[str, list[Row]] = field(default_factory=dict)  # active, by CTN
    services: list[Row] = field(default_factory=list)
    groups: dict[str, list[Row]] = field(default_factory=dict)  # by account number
    partners: dict[str, list[Row]] = field(default_factory=dict)  # by account number

    @property
    def line_total(self) -> int:
        return sum(self.line_counts.values())


def account(session: Session, *, number: str) -> Row | None:
    return session.execute(_ACCOUNT, {"b_number": number}).first()


def accounts_of(session: Session, *, customer_id: str) -> list[Row]:
    """The inventory accounts behind a customer (a business's FANs, a consumer's wireless
    account, an onboarding account's)."""
    return list(session.execute(_ACCOUNTS_OF, {"b_customer": customer_id}))


def holdings(session: Session, *, accounts: list[Row]) -> Holdings:
    """These accounts' lines (with features), services, groups and partners: one query
    each, whatever the number of accounts or lines."""
    if not accounts:
        return Holdings()
    numbers = [a.number for a in accounts]
    bound = {"b_accounts": numbers}
    lines = list(session.execute(_LINES, bound))
    counts = {status: n for status, n in session.execute(_LINE_COUNTS, bound)}
    features: dict[str, list[Row]] = defaultdict(list)
    if lines:
        for f in session.execute(_FEATURES, {"b_ctns": [line.ctn for line in lines]}):
            features[f.ctn].append(f)
    groups: dict[str, list[Row]] = defaultdict(list)
    for g in session.execute(_GROUPS, bound):
        groups[g.account_number].append(g)
    partners: dict[str, list[Row]] = defaultdict(list)
    for p in session.execute(_PARTNERS_OF, bound):
        partners[p.account_number].append(p)
    return Holdings(
        accounts=list(accounts),
        lines=lines,
        line_counts=counts,
        features=dict(features),
        services=list(session.execute(_SERVICES, bound)),
        groups=dict(groups),
        partners=dict(partners),
    )
