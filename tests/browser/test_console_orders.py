"""Finding orders in Chromium: an order of each channel found by a reference typed into
the header's search box, its timeline read on its page; customers found by name; the
ledger list narrowed by a filter. Each page passes the accessibility checker."""

from __future__ import annotations

import re

from orderhub.demo import care, consumer, onboarding, partner
from tests.browser.conftest import OPERATOR_TOKEN, assert_accessible, shoot, sign_in


def _references(api, order_id: str) -> dict[str, str]:
    answer = api.get(f"/operator/v1/orders/{order_id}", headers=OPERATOR_TOKEN)
    assert answer.status_code == 200, answer.text
    return answer.json()["references"]


def _search(page, text: str) -> None:
    box = page.get_by_role("searchbox", name="Find an order or customer")
    box.fill(text)
    box.press("Enter")


def test_an_order_of_each_channel_is_found_by_a_reference(page, console) -> None:
    with console.api() as api:
        direct = consumer.run(api)
        b2b = partner.run(api)
        onboarded = onboarding.run(api)
        changed = care.run(api)["careOrder"]
        found_by = [
            (direct["confirmationNumber"], direct["id"], "order.submitted"),
            (b2b["quoteId"], b2b["id"], "order.status_changed"),
            (
                _references(api, onboarded["orderId"])["accountNumber"],
                onboarded["orderId"],
                "order.submitted",
            ),
            (
                _references(api, changed["id"])["messageId"],
                changed["id"],
                "care_change.status_changed",
            ),
        ]
    sign_in(page, console)
    for reference, order_id, event in found_by:
        _search(page, reference)
        page.wait_for_url(f"**/console/orders/{order_id}")
        assert page.get_by_role("heading", level=1).inner_text() == f"Order {order_id}"
        timeline = page.get_by_role("region", name=re.compile("Timeline"))
        assert event in timeline.inner_text()
        # Times are shown in the agent's zone (Chicago), UTC on hover.
        moment = timeline.locator("time").first
        assert "UTC" in moment.get_attribute("title")
    # The last one is the care order: its change's events are among the published ones.
    events = page.get_by_role("region", name=re.compile("Published events"))
    assert "care_change.status_changed" in events.inner_text()
    page.goto(console.page_url(f"/orders/{b2b['id']}"))
    assert_accessible(page)
    shoot(page, "order")


def test_customers_by_name_and_the_list_by_channel(page, console) -> None:
    with console.api() as api:
        b2b = partner.run(api)
    sign_in(page, console)
    _search(page, "Alex Bell")
    page.wait_for_url(re.compile(r"/console/search\?q=Alex"))
    people = page.get_by_role("table", name=re.compile("Customers and accounts"))
    assert "Alex Bell" in people.inner_text()
    assert_accessible(page)
    shoot(page, "search")

    page.get_by_role("link", name="Orders", exact=True).click()
    page.wait_for_url("**/console/orders")
    page.get_by_label("Channel").select_option("partner")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url(re.compile(r"/console/orders\?channel=partner"))
    listed = page.get_by_role("table", name=re.compile("Orders"))
    assert b2b["id"] in listed.inner_text()
    assert set(re.findall(r"\b(direct|onboarding|care)\b", listed.inner_text())) == set()
    counts = page.get_by_role("navigation", name="Orders per state")
    assert "completed" in counts.inner_text()
    assert_accessible(page)
    shoot(page, "orders")
