"""Customers read as one list (TMF629): consumer customers, business end customers and
onboarding accounts, per caller (the changes: customers/management.py).

Who sees what is the engine's rule everywhere: operations every customer; a partner the
business customers it has an alliance row with (business/service.py) and its own
onboarding accounts; a consumer their own record. Anything else does not exist (404)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Row, func, literal, select, union_all
from sqlalchemy.orm import Session

from orderhub.business.models import BusinessCustomer, PartnerAlliance, SubAccount
from orderhub.credit import profiles
from orderhub.customers.service import ACCOUNTS, ADDRESSES, CUSTOMERS, CustomerNotFound
from orderhub.onboarding.models import OnboardingAccount
from orderhub.visibility import Scope

CONSUMER, BUSINESS, ONBOARDING = "consumer", "business", "onboarding"

BUSINESS_CUSTOMERS = BusinessCustomer.__table__
SUB_ACCOUNTS = SubAccount.__table__
ALLIANCES = PartnerAlliance.__table__
ONBOARDING_ACCOUNTS = OnboardingAccount.__table__

_CONSUMER_KEYS = select(literal(CONSUMER).label("kind"), CUSTOMERS.c.id, CUSTOMERS.c.created_at)
_BUSINESS_KEYS = select(
    literal(BUSINESS).label("kind"), BUSINESS_CUSTOMERS.c.id, BUSINESS_CUSTOMERS.c.created_at
)
_ONBOARDING_KEYS = select(
    literal(ONBOARDING).label("kind"), ONBOARDING_ACCOUNTS.c.id, ONBOARDING_ACCOUNTS.c.created_at
)


@dataclass(frozen=True)
class ManagedCustomer:
    kind: str  # consumer | business | onboarding
    row: Row
    accounts: list[Row] = field(default_factory=list)  # wireless accounts; sub-accounts
    addresses: list[Row] = field(default_factory=list)
    credit: Row | None = None  # a consumer's credit on file
    alliance_status: str | None = None  # a business customer, as a partner sees it

    @property
    def id(self) -> str:
        return self.row.id

    @property
    def name(self) -> str:
        if self.kind == CONSUMER:
            return f"{self.row.first_name} {self.row.last_name}"
        if self.kind == BUSINESS:
            return self.row.name
        named = self.row.customer
        person = " ".join(n for n in (named.get("firstName"), named.get("lastName")) if n)
        return named.get("companyName") or person or f"Onboarding account {self.row.number}"

    @property
    def status(self) -> str:
        if self.kind == CONSUMER:
            return self.accounts[0].status if self.accounts else "active"
        if self.kind == BUSINESS and self.accounts:
            return "active" if any(a.status == "active" for a in self.accounts) else "inactive"
        return "active"


@dataclass(frozen=True)
class CustomerPage:
    customers: list[ManagedCustomer]
    total: int


def _keys(scope: Scope, customer_id: str | None = None) -> Any:
    """The kinds, ids and creation times of the customers the scope sees (one of them
    when `customer_id` is given), or None when it sees none. The scope is applied inside
    each branch of the union, where an index serves it: a partner's alliance rows and
    onboarding accounts, a consumer's own row. (Outside the union every customer would be
    read to find a caller's few; operations' list still sorts every customer.)"""
    branches = []
    if scope.everything:
        branches = [_CONSUMER_KEYS, _BUSINESS_KEYS, _ONBOARDING_KEYS]
    elif scope.partner_id is not None:
        allied = select(ALLIANCES.c.customer_id).where(ALLIANCES.c.partner_id == scope.partner_id)
        branches = [
            _BUSINESS_KEYS.where(BUSINESS_CUSTOMERS.c.id.in_(allied)),
            _ONBOARDING_KEYS.where(ONBOARDING_ACCOUNTS.c.partner_id == scope.partner_id),
        ]
    elif scope.consumer_id is not None:
        branches = [_CONSUMER_KEYS.where(CUSTOMERS.c.id == scope.consumer_id)]
    if customer_id is not None:
        branches = [b.where(b.selected_columns.id == customer_id) for b in branches]
    if not branches:
        return None
    if len(branches) == 1:
        return branches[0].subquery("customer_keys")
    return union_all(*branches).subquery("customer_keys")


def list_customers(session: Session, *, scope: Scope, limit: int, offset: int) -> CustomerPage:
    """A page of the customers the scope sees, oldest first, and how many it sees."""
    keys = _keys(scope)
    if keys is None:
        return CustomerPage([], 0)
    total = session.execute(select(func.count()).select_from(keys)).scalar_one()
    page = session.execute(
        select(keys.c.kind, keys.c.id)
        .order_by(keys.c.created_at, keys.c.id)
        .limit(limit)
        .offset(offset)
    ).all()
    return CustomerPage(_details(session, [(k.kind, k.id) for k in page], scope), total)


def get_customer(session: Session, *, scope: Scope, customer_id: str) -> ManagedCustomer:
    """One customer the scope sees; any other does not exist (404)."""
    keys = _keys(scope, customer_id)
    key = None if keys is None else session.execute(select(keys.c.kind, keys.c.id)).first()
    if key is None:
        raise CustomerNotFound(f"No customer '{customer_id[:64]}' was found.")
    return _details(session, [(key.kind, key.id)], scope)[0]


def _details(session: Session, keys: list[tuple[str, str]], scope: Scope) -> list[ManagedCustomer]:
    wanted: dict[str, list[str]] = defaultdict(list)
    for kind, id in keys:
        wanted[kind].append(id)
    found: dict[str, ManagedCustomer] = {}
    if ids := wanted[CONSUMER]:
        accounts, addresses = defaultdict(list), defaultdict(list)
        for a in session.execute(
            select(ACCOUNTS)
            .where(ACCOUNTS.c.customer_id.in_(ids))
            .order_by(ACCOUNTS.c.created_at, ACCOUNTS.c.id)
        ):
            accounts[a.customer_id].append(a)
        for a in session.execute(
            select(ADDRESSES).where(ADDRESSES.c.customer_id.in_(ids)).order_by(ADDRESSES.c.kind)
        ):
            addresses[a.customer_id].append(a)
        credit = profiles.of_customers(session, customer_ids=ids)
        for row in session.execute(select(CUSTOMERS).where(CUSTOMERS.c.id.in_(ids))):
            found[row.id] = ManagedCustomer(
                CONSUMER, row, accounts[row.id], addresses[row.id], credit.get(row.id)
            )
    if ids := wanted[BUSINESS]:
        subs = defaultdict(list)
        for sub in session.execute(
            select(SUB_ACCOUNTS)
            .where(SUB_ACCOUNTS.c.customer_id.in_(ids))
            .order_by(SUB_ACCOUNTS.c.number)
        ):
            subs[sub.customer_id].append(sub)
        alliance: dict[str, str] = {}
        if scope.partner_id is not None:
            alliance = dict(
                session.execute(
                    select(ALLIANCES.c.customer_id, ALLIANCES.c.status).where(
                        ALLIANCES.c.partner_id == scope.partner_id,
                        ALLIANCES.c.customer_id.in_(ids),
                    )
                ).all()
            )
        for row in session.execute(
            select(BUSINESS_CUSTOMERS).where(BUSINESS_CUSTOMERS.c.id.in_(ids))
        ):
            found[row.id] = ManagedCustomer(
                BUSINESS, row, subs[row.id], alliance_status=alliance.get(row.id)
            )
    if ids := wanted[ONBOARDING]:
        for row in session.execute(
            select(ONBOARDING_ACCOUNTS).where(ONBOARDING_ACCOUNTS.c.id.in_(ids))
        ):
            found[row.id] = ManagedCustomer(ONBOARDING, row)
    return [found[id] for _, id in keys if id in found]
