"""Seed 002, Quote: the business catalog, and quotes created, read, listed, changed and
validated."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from orderhub import contacts
from orderhub.business_catalog import rules as pricing
from orderhub.business_catalog import service as catalog
from orderhub.errors import ValidationFailed
from orderhub.quotes import service as quotes
from orderhub.quotes import validation
from orderhub.quotes.states import QuoteStatus
from orderhub.surfaces import idempotent
from orderhub.surfaces.b2b import quote_schemas as q
from orderhub.surfaces.b2b import quote_views as views
from orderhub.surfaces.b2b.views import postal_address
from orderhub.surfaces.callers import PartnerDep, idempotency_scope
from orderhub.surfaces.deps import IdempotencyKey, PageDep, RuntimeDep, SessionDep
from orderhub.surfaces.schemas import ID_PATTERN, problem_responses

router = APIRouter(tags=["quotes"])


def _sites(sites: list[q.SiteIn]) -> list[quotes.SiteRequest]:
    return [
        quotes.SiteRequest(
            name=site.name,
            sub_account_id=site.sub_account_id,
            address=postal_address(site.address),
            items=[
                pricing.ItemChoice(
                    product_id=p.product_id,
                    access_speed=p.access_speed,
                    port_speed=p.port_speed,
                    installation_option=p.installation_option,
                    discount_percent=p.discount_percent,
                    promotion_ids=tuple(p.promotion_ids),
                )
                for p in site.products
            ],
        )
        for site in sites
    ]


def _billing(billing: q.BillingPreferencesIn) -> dict[str, Any]:
    """Stored by wire name, the e-mail normalized (422 if it is not one)."""
    data = billing.model_dump(by_alias=True)
    if billing.billing_email is not None:
        data["billingEmail"] = contacts.require_email(
            billing.billing_email, field="billingPreferences.billingEmail"
        )
    return data


@router.get("/products", response_model=q.ProductsOut, responses=problem_responses(401, 422, 500))
async def list_products(
    partner: PartnerDep,
    session: SessionDep,
    family: Literal["dedicatedInternet", "ethernet", "voice"] | None = None,
) -> q.ProductsOut:
    """The business catalog: access and port speeds, installation options, the allowed
    discount range and the promotions of each product, with their prices."""
    return q.ProductsOut(
        products=[views.product(p) for p in catalog.list_products(session, family=family)]
    )


@router.post(
    "/quotes",
    status_code=201,
    response_model=q.QuoteOut,
    responses=problem_responses(400, 401, 404, 409, 422, 500),
)
async def create_quote(
    request: Request,
    body: q.QuoteCreateIn,
    partner: PartnerDep,
    session: SessionDep,
    runtime: RuntimeDep,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Create a quote under an open opportunity (`opportunityId`), or for a customer
    (`customerId`) under a new opportunity opened for it: sites with configured products,
    priced from the catalog. A choice the product does not offer is a 422 naming it; an
    alliance-only customer without an approved exception, or a closed opportunity, is a
    409."""

    def produce() -> dict:
        found = quotes.create(
            session,
            partner_id=partner.partner_id,
            customer_id=body.customer_id,
            opportunity_id=body.opportunity_id,
            name=body.name,
            billing=_billing(body.billing_preferences),
            sites=_sites(body.sites),
            postal=runtime.adapters.postal,
        )
        return views.quote(found).model_dump(mode="json", by_alias=True)

    return idempotent.respond(
        request,
        session,
        scope=idempotency_scope(partner),
        key=idempotency_key,
        body=body.model_dump(mode="json"),
        status_code=201,
        produce=produce,
    )


@router.get("/quotes", response_model=q.QuotesOut, responses=problem_responses(401, 422, 500))
async def list_quotes(
    partner: PartnerDep,
    session: SessionDep,
    page: PageDep,
    customer_id: Annotated[
        str | None, Query(alias="customerId", max_length=64, pattern=ID_PATTERN)
    ] = None,
    status: QuoteStatus | None = None,
    opportunity_id: Annotated[
        str | None, Query(alias="opportunityId", max_length=64, pattern=ID_PATTERN)
    ] = None,
) -> q.QuotesOut:
    """Your quotes, newest first."""
    found = quotes.list_for_partner(
        session,
        partner_id=partner.partner_id,
        customer_id=customer_id,
        opportunity_id=opportunity_id,
        status=status,
        limit=page.limit,
        offset=page.offset,
    )
    return q.QuotesOut(
        quotes=[views.summary(x) for x in found], limit=page.limit, offset=page.offset
    )


@router.get(
    "/quotes/{id}", response_model=q.QuoteOut, responses=problem_responses(401, 404, 422, 500)
)
async def get_quote(id: q.QuoteId, partner: PartnerDep, session: SessionDep) -> q.QuoteOut:
    """The quote with its sites, configurations, prices and status."""
    found = quotes.get_for_partner(session, partner_id=partner.partner_id, quote_id=id)
    return views.quote(quotes.detail(session, quote=found))


@router.patch(
    "/quotes/{id}",
    response_model=q.QuoteOut,
    responses=problem_responses(400, 401, 404, 409, 422, 500),
)
async def update_quote(
    id: q.QuoteId,
    body: q.QuoteUpdateIn,
    partner: PartnerDep,
    session: SessionDep,
    runtime: RuntimeDep,
) -> q.QuoteOut:
    """Change the name, billing preferences or sites (`sites` replaces them all). Prices
    are taken from the catalog again; a validated quote becomes a draft."""
    sent = body.model_fields_set
    for required in ("sites", "billing_preferences"):
        if required in sent and getattr(body, required) is None:
            field = "billingPreferences" if required == "billing_preferences" else required
            raise ValidationFailed.one(field, "not_null", f"'{field}' cannot be null.")
    found = quotes.get_for_partner(
        session, partner_id=partner.partner_id, quote_id=id, for_update=True
    )
    changes: dict[str, Any] = {}
    if "name" in sent:
        changes["name"] = body.name
    if body.billing_preferences is not None:
        changes["billing"] = _billing(body.billing_preferences)
    if body.sites is not None:
        changes["sites"] = _sites(body.sites)
    updated = quotes.update(session, quote=found, changes=changes, postal=runtime.adapters.postal)
    return views.quote(updated)


@router.post(
    "/quotes/{id}/validate",
    response_model=q.QuoteValidationOut,
    # A problem carries maxAccessSpeed/maxMbps only when it is about speed.
    response_model_exclude_none=True,
    responses=problem_responses(401, 404, 422, 500),
)
async def validate_quote(
    id: q.QuoteId, partner: PartnerDep, session: SessionDep, runtime: RuntimeDep
) -> q.QuoteValidationOut:
    """Check that every site address passed postal validation, every configuration and
    the billing preferences are complete, and every product can be served at its site's
    address at its access speed (site qualification). Valid: the quote becomes
    `validated`."""
    found = quotes.get_for_partner(
        session, partner_id=partner.partner_id, quote_id=id, for_update=True
    )
    problems = validation.validate(session, quote=found, qualifier=runtime.adapters.site_qualifier)
    return q.QuoteValidationOut(
        quote_id=found.id,
        valid=not problems,
        status=found.status,
        problems=[q.QuoteProblemOut(**p.to_dict()) for p in problems],
    )
