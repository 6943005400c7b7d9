"""Shaping business products and quotes into the B2B API's answers."""

from __future__ import annotations

from typing import Any

from orderhub.business_catalog import rules as pricing
from orderhub.quotes.models import Quote, QuoteItem, QuoteSite
from orderhub.quotes.service import QuoteDetail
from orderhub.surfaces.b2b import quote_schemas as q
from orderhub.surfaces.b2b import schemas as s
from orderhub.surfaces.schemas import money


def product(row: Any) -> q.ProductOut:
    spec = pricing.ProductSpec.from_data(row)

    def speeds(found: dict[str, pricing.Speed]) -> list[q.SpeedOut]:
        return [
            q.SpeedOut(id=x.id, mbps=x.mbps, monthly=money(x.monthly_cents)) for x in found.values()
        ]

    return q.ProductOut(
        id=spec.id,
        name=spec.name,
        family=spec.family,
        description=row.description,
        currency=spec.currency,
        access_speeds=speeds(spec.access_speeds),
        port_speeds=speeds(spec.port_speeds),
        installation_options=[
            q.InstallationOut(id=i.id, name=i.name, one_time=money(i.one_time_cents))
            for i in spec.installations.values()
        ],
        discount_range=q.DiscountRangeOut(
            min_percent=spec.discount_min_percent, max_percent=spec.discount_max_percent
        ),
        promotions=[
            q.ProductPromotionOut(
                id=p.id,
                name=p.name,
                monthly_discount=money(p.monthly_discount_cents),
                one_time_discount=money(p.one_time_discount_cents),
                months=p.months,
                min_access_mbps=p.min_access_mbps,
            )
            for p in spec.promotions.values()
        ],
    )


def totals(monthly: int, one_time: int, currency: str) -> q.TotalsOut:
    return q.TotalsOut(monthly=money(monthly), one_time=money(one_time), currency=currency)


def _address(data: dict[str, Any] | None) -> s.AddressOut | None:
    return None if data is None else s.AddressOut.model_validate(data)


def _item(item: QuoteItem) -> q.QuoteProductOut:
    return q.QuoteProductOut(
        id=item.id,
        product_id=item.product_id,
        product_name=item.product_name,
        access_speed=item.access_speed,
        port_speed=item.port_speed,
        installation_option=item.installation_option,
        discount_percent=item.discount_percent,
        promotion_ids=item.promotion_ids,
        missing=item.missing,
        prices=q.PricesOut(
            access_monthly=money(item.access_monthly_cents),
            port_monthly=money(item.port_monthly_cents),
            list_monthly=money(item.access_monthly_cents + item.port_monthly_cents),
            discount_monthly=money(item.discount_monthly_cents),
            promotion_monthly=money(item.promotion_monthly_cents),
            monthly=money(item.monthly_cents),
            installation_one_time=money(item.installation_one_time_cents),
            promotion_one_time=money(item.promotion_one_time_cents),
            one_time=money(item.one_time_cents),
        ),
    )


def _site(site: QuoteSite, items: list[QuoteItem], currency: str) -> q.QuoteSiteOut:
    return q.QuoteSiteOut(
        id=site.id,
        name=site.name,
        sub_account_id=site.sub_account_id,
        address=_address(site.address),
        address_validation=s.AddressValidationOut(
            valid=site.address_valid,
            standardized_address=_address(site.standardized_address),
            problems=[s.AddressProblemOut(**p) for p in site.address_problems],
        ),
        products=[_item(i) for i in items],
        totals=totals(site.monthly_cents, site.one_time_cents, currency),
    )


def quote(found: QuoteDetail) -> q.QuoteOut:
    x = found.quote
    return q.QuoteOut(
        id=x.id,
        opportunity_id=x.opportunity_id,
        status=x.status,
        customer_id=x.customer_id,
        name=x.name,
        billing_preferences=q.BillingPreferencesOut.model_validate(x.billing),
        sites=[_site(site, found.items[site.id], x.currency) for site in found.sites],
        totals=totals(x.monthly_cents, x.one_time_cents, x.currency),
        validated_at=x.validated_at,
        credit_check_id=x.credit_decision_id,
        locked_by_contract_id=x.locked_by_contract_id,
        created_at=x.created_at,
        updated_at=x.updated_at,
    )


def summary(x: Quote) -> q.QuoteSummaryOut:
    return q.QuoteSummaryOut(
        id=x.id,
        opportunity_id=x.opportunity_id,
        status=x.status,
        customer_id=x.customer_id,
        name=x.name,
        totals=totals(x.monthly_cents, x.one_time_cents, x.currency),
        created_at=x.created_at,
        updated_at=x.updated_at,
    )
