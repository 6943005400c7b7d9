"""Validating a quote: what keeps it from being complete, and site qualification: can
each product be served at its site's address at its access speed (seed 002: partners
"qualify, price, contract and order")."""

from __future__ import annotations

from sqlalchemy.orm import Session

from orderhub.adapters.postal import PostalAddress
from orderhub.adapters.site_qualification import EVERYWHERE, SiteQualifier
from orderhub.business_catalog import rules as pricing
from orderhub.business_catalog import service as catalog
from orderhub.ids import utcnow
from orderhub.quotes import rules
from orderhub.quotes.models import Quote, QuoteItem, QuoteSite
from orderhub.quotes.service import detail, require_unlocked
from orderhub.quotes.states import QuoteStatus, transition


def validate(
    session: Session, *, quote: Quote, qualifier: SiteQualifier
) -> list[rules.QuoteProblem]:
    """Every problem keeping the quote from being complete or servable; none: it becomes
    `validated`. Each product at each postal-valid site is qualified at its address."""
    found = detail(session, quote=quote)
    specs = catalog.specs(
        session, product_ids={i.product_id for items in found.items.values() for i in items}
    )
    problems = rules.problems(
        sites=[
            rules.SiteFacts(
                site.name,
                site.address_valid,
                [i.missing for i in found.items[site.id]],
                _service(qualifier, site, found.items[site.id], specs),
            )
            for site in found.sites
        ],
        billing=quote.billing,
    )
    valid = not problems
    if valid != (quote.status == QuoteStatus.VALIDATED):
        # Validating a locked quote answers; only a validation that would change it is refused.
        require_unlocked(quote.id, quote.locked_by_contract_id)
        quote.status = transition(
            quote.status, QuoteStatus.VALIDATED if valid else QuoteStatus.DRAFT
        )
        quote.validated_at = utcnow() if valid else None
    return problems


def _service(
    qualifier: SiteQualifier,
    site: QuoteSite,
    items: list[QuoteItem],
    specs: dict[str, pricing.ProductSpec],
) -> list[rules.ServiceFacts]:
    """What qualification answers for each product at the site's standardized address;
    nothing for an address that failed the postal check (already a problem of its own)."""
    if not site.address_valid or not site.standardized_address:
        return []
    a = site.standardized_address
    address = PostalAddress(
        address_line1=a["addressLine1"],
        address_line2=a.get("addressLine2"),
        city=a["city"],
        state=a["state"],
        zip_code=a["zipCode"],
    )
    facts = []
    for item in items:
        spec = specs.get(item.product_id)
        # A product withdrawn from the catalog since the quote priced it has no family to
        # ask about: qualification has nothing to say (EVERYWHERE), the price stands.
        answer = qualifier.qualify(address, family=spec.family) if spec else EVERYWHERE
        facts.append(
            rules.ServiceFacts(
                product_name=item.product_name,
                access_speed=item.access_speed,
                speeds={s.id: s.mbps for s in spec.access_speeds.values()} if spec else {},
                serviceable=answer.serviceable,
                max_mbps=answer.max_mbps,
                reason=answer.reason,
            )
        )
    return facts
