"""Business end customers: lookup by a partner, visibility, and creation (sandbox, imports)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, exists, select
from sqlalchemy.orm import Session

from orderhub.adapters.postal import PostalAddress, PostalValidator
from orderhub.business import rules
from orderhub.business.models import BusinessCustomer, ExceptionRequest, PartnerAlliance, SubAccount
from orderhub.business.states import ExceptionStatus
from orderhub.customers.service import CustomerNotFound
from orderhub.errors import FieldProblem, ValidationFailed
from orderhub.ids import utcnow

# A lookup is a search for one customer; a name shared by more is rare, and a partner
# that gets this many should narrow it with a tax id or an address.
LOOKUP_LIMIT = 20


@dataclass(frozen=True)
class CustomerMatch:
    """A customer as one partner sees it."""

    customer: BusinessCustomer
    alliance_status: str
    exception_approved: bool
    sub_accounts: list[SubAccount] = field(default_factory=list)

    @property
    def can_quote(self) -> bool:
        return rules.can_quote(self.alliance_status, exception_approved=self.exception_approved)


def address_key_for(postal: PostalValidator, address: PostalAddress, *, prefix: str) -> str:
    """The lookup key of an address, or a 422 naming what the postal check refused."""
    result = postal.validate(address)
    if not result.valid or result.standardized is None:
        raise ValidationFailed(
            "The address is not a valid postal address.",
            errors=[
                FieldProblem(f"{prefix}.{p.field}", p.rule, p.message) for p in result.problems
            ],
        )
    return rules.address_key(result.standardized.address_line1, result.standardized.zip_code)


def _visible_to(partner_id: str) -> Any:
    """Customers with their alliance status for a partner, and whether it holds an approved
    exception for them: one statement, no lazy loads."""
    approved = (
        exists()
        .where(
            ExceptionRequest.partner_id == partner_id,
            ExceptionRequest.customer_id == BusinessCustomer.id,
            ExceptionRequest.status == ExceptionStatus.APPROVED,
        )
        .correlate(BusinessCustomer)
    )
    return select(BusinessCustomer, PartnerAlliance.status, approved.label("approved")).join(
        PartnerAlliance,
        and_(
            PartnerAlliance.customer_id == BusinessCustomer.id,
            PartnerAlliance.partner_id == partner_id,
        ),
    )


def lookup(
    session: Session,
    *,
    partner_id: str,
    name_key: str | None = None,
    phone: str | None = None,
    tax_id: str | None = None,
    address_key: str | None = None,
) -> list[CustomerMatch]:
    """Customers the partner may sell to matching every given key, with sub-accounts."""
    stmt = _visible_to(partner_id)
    criteria = {
        BusinessCustomer.name_key: name_key,
        BusinessCustomer.phone: phone,
        BusinessCustomer.tax_id: tax_id,
        BusinessCustomer.address_key: address_key,
    }
    given = [column == value for column, value in criteria.items() if value is not None]
    if not given:
        raise ValidationFailed.one(
            "name", "one_of_required", "Give one of name, phone, taxId or address."
        )
    rows = session.execute(
        stmt.where(*given).order_by(BusinessCustomer.name, BusinessCustomer.id).limit(LOOKUP_LIMIT)
    ).all()
    if not rows:
        raise CustomerNotFound("No customer you may sell to matches those details.")
    subs: dict[str, list[SubAccount]] = defaultdict(list)
    for sub in session.scalars(
        select(SubAccount)
        .where(SubAccount.customer_id.in_([row[0].id for row in rows]))
        .order_by(SubAccount.number)
    ):
        subs[sub.customer_id].append(sub)
    return [
        CustomerMatch(customer, status, bool(approved), subs[customer.id])
        for customer, status, approved in rows
    ]


def get_visible(session: Session, *, partner_id: str, customer_id: str) -> CustomerMatch:
    """One customer as the partner sees it (no sub-accounts), or 404 if it may not sell to it."""
    row = session.execute(_visible_to(partner_id).where(BusinessCustomer.id == customer_id)).first()
    if row is None:
        raise CustomerNotFound(f"No customer '{customer_id}' you may sell to.")
    customer, status, approved = row
    return CustomerMatch(customer, status, bool(approved))


def create_customer(
    session: Session,
    *,
    customer_id: str,
    name: str,
    tax_id: str,
    phone: str | None,
    address: PostalAddress,
    sub_accounts: list[tuple[str, str, str]],
) -> BusinessCustomer:
    """A business customer at a standardized address, with (id, number, name) sub-accounts."""
    normalized = rules.normalize_tax_id(tax_id)
    if normalized is None:
        raise ValueError(f"tax id of {customer_id} is not 9 digits")
    customer = BusinessCustomer(
        id=customer_id,
        name=name,
        name_key=rules.name_key(name),
        tax_id=normalized,
        phone=phone,
        address_key=rules.address_key(address.address_line1, address.zip_code),
        address_line1=address.address_line1,
        address_line2=address.address_line2,
        city=address.city,
        state=address.state,
        zip_code=address.zip_code,
        created_at=utcnow(),
    )
    session.add(customer)
    session.flush()  # the sub-accounts refer to it
    session.add_all(
        SubAccount(id=sid, customer_id=customer_id, number=number, name=label, status="active")
        for sid, number, label in sub_accounts
    )
    return customer


def set_alliance(
    session: Session, *, partner_id: str, customer_id: str, status: rules.AllianceStatus
) -> None:
    """Record (or change) what a partner may do with a customer."""
    alliance = session.get(PartnerAlliance, (partner_id, customer_id))
    if alliance is None:
        session.add(
            PartnerAlliance(
                partner_id=partner_id,
                customer_id=customer_id,
                status=str(status),
                created_at=utcnow(),
            )
        )
    else:
        alliance.status = str(status)
