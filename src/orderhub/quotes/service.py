"""Quote use cases: create, read, list, update while unlocked (validate: validation.py)."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from orderhub.adapters.postal import PostalAddress, PostalValidator
from orderhub.business.models import SubAccount
from orderhub.business_catalog import rules as pricing
from orderhub.business_catalog import service as catalog
from orderhub.errors import Conflict, FieldProblem, NotFound, ValidationFailed
from orderhub.ids import new_id, utcnow
from orderhub.opportunities import service as opportunities
from orderhub.opportunities.service import CustomerNotQuotable  # noqa: F401 (its old home)
from orderhub.quotes.models import Quote, QuoteItem, QuoteSite
from orderhub.quotes.states import QuoteStatus, transition


class QuoteNotFound(NotFound):
    code = "quote_not_found"
    title = "No such quote"


class QuoteLocked(Conflict):
    code = "quote_locked"
    title = "Quote is locked by a signed contract"


def require_unlocked(quote_id: str, locked_by_contract_id: str | None) -> None:
    """Once its contract is signed a quote is what was agreed: no change of any kind."""
    if locked_by_contract_id:
        raise QuoteLocked(
            f"Quote '{quote_id}' is locked by the signed contract "
            f"'{locked_by_contract_id}'; it can no longer be changed.",
            extra={"contractId": locked_by_contract_id},
        )


@dataclass(frozen=True)
class SiteRequest:
    name: str | None
    sub_account_id: str | None
    address: PostalAddress
    items: list[pricing.ItemChoice]


@dataclass(frozen=True)
class QuoteDetail:
    quote: Quote
    sites: list[QuoteSite]
    items: dict[str, list[QuoteItem]]  # by site id


def create(
    session: Session,
    *,
    partner_id: str,
    customer_id: str | None,
    opportunity_id: str | None,
    name: str | None,
    billing: dict[str, Any],
    sites: list[SiteRequest],
    postal: PostalValidator,
) -> QuoteDetail:
    """A draft quote priced from the catalog, under the partner's open opportunity, or
    (for clients written before opportunities) under a new one opened for it."""
    if opportunity_id is None:
        if customer_id is None:
            raise ValidationFailed.one(
                "customerId", "required", "Send the customerId, or the opportunityId."
            )
        opportunity = opportunities.create(
            session, partner_id=partner_id, customer_id=customer_id, name=name
        )
    else:
        opportunity = opportunities.claim_for_quote(
            session, partner_id=partner_id, opportunity_id=opportunity_id
        )
        if customer_id not in (None, opportunity.customer_id):
            raise ValidationFailed.one(
                "customerId",
                "customer_mismatch",
                f"Opportunity '{opportunity.id}' is for customer '{opportunity.customer_id}'.",
            )
        # The customer's alliance may have changed since the opportunity was opened.
        opportunities.require_quotable(
            session, partner_id=partner_id, customer_id=opportunity.customer_id
        )
    now = utcnow()
    quote = Quote(
        id=new_id("quo"),
        opportunity_id=opportunity.id,
        partner_id=partner_id,
        customer_id=opportunity.customer_id,
        name=name,
        status=QuoteStatus.DRAFT,
        billing=billing,
        currency="USD",
        created_at=now,
        updated_at=now,
    )
    session.add(quote)
    session.flush()
    return _build(session, quote=quote, billing=billing, sites=sites, postal=postal)


def get_for_partner(
    session: Session, *, partner_id: str, quote_id: str, for_update: bool = False
) -> Quote:
    """The partner's own quote; another partner's is 404 like one never issued."""
    stmt = select(Quote).where(Quote.id == quote_id, Quote.partner_id == partner_id)
    quote = session.scalar(stmt.with_for_update() if for_update else stmt)
    if quote is None:
        raise QuoteNotFound(f"No quote '{quote_id}'.")
    return quote


def detail(session: Session, *, quote: Quote) -> QuoteDetail:
    """The quote with its sites and items: two statements."""
    sites = list(
        session.scalars(
            select(QuoteSite).where(QuoteSite.quote_id == quote.id).order_by(QuoteSite.position)
        )
    )
    items: dict[str, list[QuoteItem]] = defaultdict(list)
    for item in session.scalars(
        select(QuoteItem).where(QuoteItem.quote_id == quote.id).order_by(QuoteItem.position)
    ):
        items[item.site_id].append(item)
    return QuoteDetail(quote, sites, items)


def list_for_partner(
    session: Session,
    *,
    partner_id: str,
    customer_id: str | None,
    status: QuoteStatus | None,
    limit: int,
    offset: int,
    opportunity_id: str | None = None,
) -> list[Quote]:
    """The partner's quotes, newest first."""
    stmt = select(Quote).where(Quote.partner_id == partner_id)
    if customer_id:
        stmt = stmt.where(Quote.customer_id == customer_id)
    if opportunity_id:
        stmt = stmt.where(Quote.opportunity_id == opportunity_id)
    if status:
        stmt = stmt.where(Quote.status == status)
    stmt = stmt.order_by(Quote.created_at.desc(), Quote.id.desc())
    return list(session.scalars(stmt.limit(limit).offset(offset)))


def update(
    session: Session,
    *,
    quote: Quote,
    changes: dict[str, Any],
    postal: PostalValidator,
) -> QuoteDetail:
    """Change the name, billing preferences or sites (replaced as a whole) of a quote;
    a change makes a validated quote a draft again."""
    require_unlocked(quote.id, quote.locked_by_contract_id)
    if "name" in changes:
        quote.name = changes["name"]
    if "billing" in changes:
        quote.billing = changes["billing"]
    if quote.status != QuoteStatus.DRAFT:
        quote.status = transition(quote.status, QuoteStatus.DRAFT)
    quote.validated_at = None
    quote.updated_at = utcnow()
    if "sites" not in changes:
        problems = _check_sub_accounts(session, quote=quote, billing=quote.billing, sites=[])
        if problems:
            raise ValidationFailed("The billing preferences are not valid.", errors=problems)
        session.flush()
        return detail(session, quote=quote)
    session.execute(delete(QuoteItem).where(QuoteItem.quote_id == quote.id))
    session.execute(delete(QuoteSite).where(QuoteSite.quote_id == quote.id))
    return _build(
        session, quote=quote, billing=quote.billing, sites=changes["sites"], postal=postal
    )


def _check_sub_accounts(
    session: Session, *, quote: Quote, billing: dict[str, Any], sites: list[SiteRequest]
) -> list[FieldProblem]:
    """A problem for each sub-account named that is not the customer's (one query)."""
    named = {billing.get("subAccountId")} | {s.sub_account_id for s in sites}
    named.discard(None)
    known = set(
        session.scalars(
            select(SubAccount.id).where(
                SubAccount.customer_id == quote.customer_id, SubAccount.id.in_(sorted(named))
            )
        )
        if named
        else []
    )
    problems = []
    if billing.get("subAccountId") not in (None, *known):
        problems.append(_unknown_sub_account("billingPreferences.subAccountId"))
    for n, site in enumerate(sites):
        if site.sub_account_id not in (None, *known):
            problems.append(_unknown_sub_account(f"sites.{n}.subAccountId"))
    return problems


def _unknown_sub_account(field: str) -> FieldProblem:
    return FieldProblem(field, "unknown_sub_account", "Not a sub-account of this customer.")


def _build(
    session: Session,
    *,
    quote: Quote,
    billing: dict[str, Any],
    sites: list[SiteRequest],
    postal: PostalValidator,
) -> QuoteDetail:
    """Check every choice (one 422 listing all problems), then price and store the sites."""
    problems = _check_sub_accounts(session, quote=quote, billing=billing, sites=sites)
    specs = catalog.specs(session, product_ids=[c.product_id for s in sites for c in s.items])
    for n, site in enumerate(sites):
        for m, choice in enumerate(site.items):
            at = f"sites.{n}.products.{m}"
            spec = specs.get(choice.product_id)
            if spec is None:
                problems.append(
                    FieldProblem(
                        f"{at}.productId",
                        "unknown_product",
                        f"No business product '{choice.product_id}'.",
                    )
                )
            else:
                problems.extend(pricing.problems(spec, choice, at=at))
    if problems:
        raise ValidationFailed("Some choices of the quote are not valid.", errors=problems)
    quote.monthly_cents = quote.one_time_cents = 0
    position = 0
    stored_sites: list[QuoteSite] = []
    items: dict[str, list[QuoteItem]] = defaultdict(list)
    for n, request in enumerate(sites):
        checked = postal.validate(request.address)
        site = QuoteSite(
            id=new_id("qst"),
            quote_id=quote.id,
            position=n,
            name=request.name,
            sub_account_id=request.sub_account_id,
            address=_wire_address(request.address),
            standardized_address=_wire_address(checked.standardized)
            if checked.standardized
            else None,
            address_valid=checked.valid,
            address_problems=[dataclasses.asdict(p) for p in checked.problems],
            monthly_cents=0,
            one_time_cents=0,
        )
        stored_sites.append(site)
        for choice in request.items:
            item = _item(quote.id, site.id, position, specs[choice.product_id], choice)
            position += 1
            site.monthly_cents += item.monthly_cents
            site.one_time_cents += item.one_time_cents
            items[site.id].append(item)
        quote.monthly_cents += site.monthly_cents
        quote.one_time_cents += site.one_time_cents
    # Sites before items: without ORM relationships the flush does not order the inserts
    # by foreign key (and relationships, with their lazy loads, are what these tables avoid).
    session.add_all(stored_sites)
    session.flush()
    session.add_all(item for site_items in items.values() for item in site_items)
    session.flush()
    # The answer is what was just written: no need to read it back.
    return QuoteDetail(quote, stored_sites, items)


def _item(
    quote_id: str,
    site_id: str,
    position: int,
    spec: pricing.ProductSpec,
    choice: pricing.ItemChoice,
) -> QuoteItem:
    price = pricing.price(spec, choice)
    return QuoteItem(
        id=new_id("qit"),
        quote_id=quote_id,
        site_id=site_id,
        position=position,
        product_id=spec.id,
        product_name=spec.name,
        access_speed=choice.access_speed,
        port_speed=choice.port_speed,
        installation_option=choice.installation_option,
        discount_percent=choice.discount_percent,
        promotion_ids=list(choice.promotion_ids),
        missing=pricing.missing(spec, choice),
        access_monthly_cents=price.access_monthly_cents,
        port_monthly_cents=price.port_monthly_cents,
        discount_monthly_cents=price.discount_monthly_cents,
        promotion_monthly_cents=price.promotion_monthly_cents,
        installation_one_time_cents=price.installation_one_time_cents,
        promotion_one_time_cents=price.promotion_one_time_cents,
        monthly_cents=price.monthly_cents,
        one_time_cents=price.one_time_cents,
    )


def _wire_address(address: PostalAddress) -> dict[str, Any]:
    return {
        "addressLine1": address.address_line1,
        "addressLine2": address.address_line2,
        "city": address.city,
        "state": address.state,
        "zipCode": address.zip_code,
    }
