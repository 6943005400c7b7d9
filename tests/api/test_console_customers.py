"""The console's customer pages over HTTP: the list across every kind, and each kind's
page with its orders and its lines or services (states and features), contacts masked
for viewers, and 404s for what does not exist."""

from __future__ import annotations

import re

from orderhub.demo import consumer, onboarding, partner
from tests.api.care_helpers import FAN, SEED
from tests.api.care_helpers import Partner as CarePartner
from tests.api.console import sign_in


def _page(client, path: str, status: int = 200) -> str:
    answer = client.get(path)
    assert answer.status_code == status, answer.text[:800]
    assert answer.headers["content-type"].startswith("text/html")
    return answer.text


def _text(html: str) -> str:
    """The page's words, without tags, on one line."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_list_has_every_kind_filtered_by_name_and_kind(client) -> None:
    sign_in(client, "ops-viewer")
    every = _text(_page(client, "/console/customers"))
    for name in ("Alex Bell", "Bluebonnet Bank, Inc.", "Bluebonnet Bank mobility"):
        assert name in every
    assert "Consumer customer" in every and "Business customer" in every and "FAN" in every

    found = _text(_page(client, "/console/customers?q=bluebonnet"))
    assert "Bluebonnet Bank, Inc." in found and "Bluebonnet Bank mobility" in found
    assert "Alex Bell" not in found

    fans = _text(_page(client, "/console/customers?q=bluebonnet&kind=fan"))
    assert "Bluebonnet Bank mobility" in fans and "Bluebonnet Bank, Inc." not in fans

    by_number = _text(_page(client, "/console/customers?q=81730304"))
    assert "Bluebonnet Bank mobility" in by_number

    # LIKE's wildcards are only characters: nothing is named with a percent sign.
    assert "No customer or account matches." in _text(_page(client, "/console/customers?q=%25"))
    # An unknown kind is "every kind", never an error.
    assert "Alex Bell" in _text(_page(client, "/console/customers?kind=nonsense"))


def test_the_list_pages(client) -> None:
    sign_in(client, "ops-viewer")
    first = _page(client, "/console/customers?limit=10")
    total = int(re.search(r"of (\d+)</span>", first).group(1))
    assert total > 10 and first.count("<tr>") == 11  # the header's row and ten
    assert 'href="?limit=10&amp;offset=10" rel="next"' in first
    second = _page(client, "/console/customers?limit=10&offset=10")
    assert 'rel="prev"' in second
    assert set(re.findall(r'href="(/console/customers/[^"]+)"', first)).isdisjoint(
        re.findall(r'href="(/console/customers/[^"]+)"', second)
    )
    assert _page(client, "/console/customers?limit=5000", 422)


def test_a_consumer_customers_page_lists_their_order_and_line(client) -> None:
    order = consumer.run(client)
    sign_in(client, "ops-agent")
    html = _page(client, "/console/customers/customer/cus_alex_bell")
    text = _text(html)
    assert "<h1>Alex Bell" in html
    assert "alex.bell@example.com" in text and "2145550100" in text  # an agent sees them
    assert f'href="/console/orders/{order["id"]}"' in html
    state = _ledger(client, order["id"])["state"]
    orders = html.split('id="orders-title"', 1)[1].split("</section>", 1)[0]
    assert f'class="badge badge-{state}"' in orders
    # Credit on file: the decision and its date, never the score.
    credit = _text(html.split('id="credit-title"', 1)[1].split("</section>", 1)[0])
    assert "approved" in credit and "760" not in credit
    # The number the order was given is a PreActive line of Alex's wireless account,
    # linked to the order that sold it.
    lines = html.split('id="lines-title"', 1)[1]
    assert "preActive" in lines and "900000000101" in lines
    [plan] = [i for i in order["items"] if i["lines"] > 0]
    assert plan["name"] in lines  # the plan the line was sold on, by name
    assert f'href="/console/orders/{order["id"]}"' in lines
    for secret in ("123-45-6789", "1985-04-12"):
        assert secret not in text


def test_a_viewer_sees_contacts_masked(client) -> None:
    sign_in(client, "ops-viewer")
    text = _text(_page(client, "/console/customers/customer/cus_alex_bell"))
    assert "alex.bell@example.com" not in text and "2145550100" not in text
    assert "a•••@example.com" in text and "•••-•••-0100" in text
    listed = _text(_page(client, "/console/customers?q=alex"))
    assert "alex.bell@example.com" not in listed and "a•••@example.com" in listed


def test_a_business_customers_page_has_alliances_fans_orders_lines_and_features(client) -> None:
    care_order = CarePartner(client).send(SEED).json()
    sign_in(client, "ops-agent")
    html = _page(client, "/console/customers/business_customer/bcu_bluebonnet_bank")
    text = _text(html)
    assert "<h1>Bluebonnet Bank, Inc." in html
    assert "Sandbox Solutions" in text and "alliance" in text  # alliance per partner
    assert "75-2466789" not in text and "2466789" not in text  # the tax id's end only
    assert f'href="/console/customers/fan/{FAN}"' in html  # its FAN
    # The care order placed on its FAN is one of its orders.
    assert f'href="/console/orders/{care_order["id"]}"' in html
    lines = html.split('id="lines-title"', 1)[1]
    for ctn, status in (("1234567890", "active"), ("1234567892", "suspended")):
        assert ctn in lines and status in lines
    assert "Visual Voicemail" in lines and "International Calling Unlimited" in lines
    assert "Mobile Select Pooled" in lines  # the rate plan by name
    assert "359194077165199" in lines  # the device
    assert "2815550190" not in lines  # another customer's FAN's line


def test_a_partner_order_is_on_its_business_customers_page(client) -> None:
    order = partner.run(client)
    sign_in(client, "ops-viewer")
    html = _page(client, "/console/customers/business_customer/bcu_red_river_health")
    assert f'href="/console/orders/{order["id"]}"' in html
    assert "completed" in _text(html.split('id="orders-title"', 1)[1])


def test_a_fans_page_lists_its_lines_its_customer_and_its_care_orders(client) -> None:
    care_order = CarePartner(client).send(SEED).json()
    sign_in(client, "ops-viewer")
    html = _page(client, f"/console/customers/fan/{FAN}")
    text = _text(html)
    assert "<h1>Bluebonnet Bank mobility" in html
    assert 'href="/console/customers/business_customer/bcu_bluebonnet_bank"' in html
    assert f'href="/console/orders/{care_order["id"]}"' in html
    assert "Dallas staff" in text  # the line's group
    assert "Mobile Hotspot 30 GB" in text


def test_an_onboarding_accounts_page_lists_its_order_and_preactive_services(client) -> None:
    submitted = onboarding.run(client)
    order_id = submitted["orderId"]
    account_id = _party_of(client, order_id)
    sign_in(client, "ops-agent")
    html = _page(client, f"/console/customers/onboarding_account/{account_id}")
    text = _text(html)
    assert "<h1>Casey Jones" in html
    assert "casey@example.com" in text  # an agent sees the contact
    assert "Sandbox Solutions" in text
    assert f'href="/console/orders/{order_id}"' in html
    services = html.split('id="services-title"', 1)[1]
    for service_id in submitted["serviceIds"]:
        assert service_id in services
    assert "preActive" in services
    assert "modem-rental" in services and "voicemail" in services  # features
    assert "pppoeUsername" in services  # identifiers
    assert "correct horse battery" not in text and "4242424242424242" not in text

    sign_in(client, "ops-viewer")
    masked = _text(_page(client, f"/console/customers/onboarding_account/{account_id}"))
    assert "casey@example.com" not in masked and "c•••@example.com" in masked


def _ledger(client, order_id: str) -> dict:
    answer = client.get(
        f"/operator/v1/orders/{order_id}",
        headers={"Authorization": "Bearer sandbox-operator-token"},
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


def _party_of(client, order_id: str) -> str:
    return _ledger(client, order_id)["party"]["id"]


def test_unknown_kinds_and_ids_are_the_not_found_page(client) -> None:
    sign_in(client, "ops-viewer")
    for path in (
        "/console/customers/customer/cus_nobody",
        "/console/customers/business_customer/cus_alex_bell",
        "/console/customers/planet/cus_alex_bell",
        "/console/customers/fan/00000000",
        "/console/customers/onboarding_account/" + "x" * 300,
    ):
        html = _page(client, path, 404)
        assert "Customer not found" in html


def test_the_pages_need_a_sign_in(client) -> None:
    answer = client.get("/console/customers", follow_redirects=False)
    assert answer.status_code == 303 and "/console/sign-in" in answer.headers["location"]
