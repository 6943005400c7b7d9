"""Business product configuration and pricing, and quote problems, without a database."""

from __future__ import annotations

from types import SimpleNamespace

from orderhub.business_catalog.rules import ItemChoice, ProductSpec, missing, price, problems
from orderhub.quotes.rules import SiteFacts
from orderhub.quotes.rules import problems as quote_problems


def product(**overrides: object) -> ProductSpec:
    row = {
        "id": "dia",
        "name": "Dedicated Internet",
        "family": "dedicatedInternet",
        "currency": "USD",
        "options": {
            "accessSpeeds": [
                {"id": "100M", "mbps": 100, "monthlyCents": 30000},
                {"id": "1G", "mbps": 1000, "monthlyCents": 90000},
            ],
            "portSpeeds": [
                {"id": "100M", "mbps": 100, "monthlyCents": 5000},
                {"id": "1G", "mbps": 1000, "monthlyCents": 15000},
            ],
            "installationOptions": [
                {"id": "standard", "name": "Standard", "oneTimeCents": 50000},
            ],
        },
        "discount_min_percent": 0,
        "discount_max_percent": 20,
        "promotions": [
            {"id": "waiver", "name": "Install waived", "oneTimeDiscountCents": 50000},
            {"id": "gig", "name": "Gig", "monthlyDiscountCents": 10000, "minAccessMbps": 1000},
            {"id": "huge", "name": "Huge", "monthlyDiscountCents": 10_000_000},
        ],
    } | overrides
    return ProductSpec.from_data(SimpleNamespace(**row))


def choice(**overrides: object) -> ItemChoice:
    values: dict[str, object] = {
        "product_id": "dia",
        "access_speed": "1G",
        "port_speed": "1G",
        "installation_option": "standard",
        "discount_percent": 10,
        "promotion_ids": ("waiver",),
    }
    values.update(overrides)
    return ItemChoice(**values)  # type: ignore[arg-type]


def rules_broken(c: ItemChoice) -> list[tuple[str, str]]:
    return [(p.field, p.rule) for p in problems(product(), c, at="sites.0.products.1")]


def test_price_is_access_plus_port_less_discount_and_promotions():
    got = price(product(), choice(promotion_ids=("waiver", "gig")))

    assert got.list_monthly_cents == 105_000
    assert got.discount_monthly_cents == 10_500
    assert got.promotion_monthly_cents == 10_000
    assert got.monthly_cents == 84_500
    assert got.installation_one_time_cents == 50_000
    assert got.one_time_cents == 0


def test_discount_rounds_half_up_to_the_cent():
    spec = product(
        options={"accessSpeeds": [{"id": "x", "mbps": 1, "monthlyCents": 64_995}]},
    )
    assert price(spec, ItemChoice("dia", access_speed="x", discount_percent=10)).monthly_cents == (
        64_995 - 6_500
    )


def test_promotions_never_take_a_price_below_zero():
    got = price(product(), choice(discount_percent=20, promotion_ids=("huge",)))
    assert got.monthly_cents == 0


def test_options_not_chosen_yet_count_zero_and_are_listed_as_missing():
    partial = ItemChoice("dia", access_speed="100M")
    assert price(product(), partial).monthly_cents == 30_000
    assert missing(product(), partial) == ["portSpeed", "installationOption"]
    assert missing(product(), choice()) == []


def test_a_valid_choice_has_no_problems():
    assert rules_broken(choice()) == []


def test_each_option_the_product_does_not_offer_is_named():
    assert rules_broken(
        choice(access_speed="2G", port_speed="40G", installation_option="drone")
    ) == [
        ("sites.0.products.1.accessSpeed", "not_offered"),
        ("sites.0.products.1.portSpeed", "not_offered"),
        ("sites.0.products.1.installationOption", "not_offered"),
    ]


def test_a_port_faster_than_the_access_is_refused():
    assert rules_broken(choice(access_speed="100M", port_speed="1G")) == [
        ("sites.0.products.1.portSpeed", "port_exceeds_access")
    ]


def test_a_discount_outside_the_range_is_refused():
    assert rules_broken(choice(discount_percent=21)) == [
        ("sites.0.products.1.discountPercent", "discount_out_of_range")
    ]
    assert rules_broken(choice(discount_percent=20)) == []


def test_unknown_ineligible_and_repeated_promotions_are_refused():
    assert rules_broken(choice(access_speed="100M", port_speed="100M", promotion_ids=("gig",))) == [
        ("sites.0.products.1.promotionIds.0", "promotion_unavailable")
    ]
    assert rules_broken(choice(promotion_ids=("waiver", "nope", "waiver"))) == [
        ("sites.0.products.1.promotionIds.1", "promotion_unavailable"),
        ("sites.0.products.1.promotionIds.2", "duplicate"),
    ]


def test_a_complete_quote_has_no_problems():
    site = SiteFacts("HQ", True, [[]])
    assert quote_problems(sites=[site], billing={"billingEmail": "ap@example.com"}) == []
    assert quote_problems(sites=[site], billing={"invoiceDelivery": "paper"}) == []


def test_quote_problems_name_each_field():
    found = quote_problems(
        sites=[SiteFacts("HQ", False, [["portSpeed"], []]), SiteFacts(None, True, [])],
        billing={"invoiceDelivery": "email"},
    )
    assert [(p.code, p.field) for p in found] == [
        ("address_not_validated", "sites.0.address"),
        ("configuration_incomplete", "sites.0.products.0.portSpeed"),
        ("products_missing", "sites.1.products"),
        ("billing_incomplete", "billingPreferences.billingEmail"),
    ]
    assert quote_problems(sites=[], billing={"invoiceDelivery": "paper"})[0].code == "sites_missing"
