"""The customer pages and the operators page in Chromium: an agent browses to a consumer
customer (their order and line) and to a business customer (lines with features); an
admin creates an operator who then signs in."""

from __future__ import annotations

import re
import uuid

from orderhub.demo import consumer
from tests.browser.conftest import assert_accessible, shoot, sign_in


def test_an_agent_finds_a_consumer_and_a_business_customer(page, console) -> None:
    with console.api() as api:
        order = consumer.run(api)
    sign_in(page, console, "ops-agent", next_path="/customers")
    page.get_by_label("Name, id or account number").fill("alex")
    page.get_by_label("Kind").select_option("customer")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url(re.compile(r"/console/customers\?q=alex"))
    page.get_by_role("link", name="Alex Bell").click()
    page.wait_for_url("**/console/customers/customer/cus_alex_bell")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Alex Bell")
    orders = page.get_by_role("table", name=re.compile("Orders for Alex Bell"))
    assert orders.get_by_role("link", name=order["id"]).count() == 1
    lines = page.get_by_role("table", name=re.compile("Lines with their status"))
    assert "900000000101" in lines.inner_text()
    assert "alex.bell@example.com" in page.locator("dl.facts").first.inner_text()
    assert_accessible(page)
    shoot(page, "customer")

    page.goto(console.page_url("/customers?q=bluebonnet"))
    assert_accessible(page)
    shoot(page, "customers")
    page.get_by_role("link", name="Bluebonnet Bank, Inc.").click()
    page.wait_for_url("**/console/customers/business_customer/bcu_bluebonnet_bank")
    lines = page.get_by_role("table", name=re.compile("Lines with their status")).inner_text()
    assert "1234567891" in lines and "International Calling Unlimited" in lines
    assert "Mobile Hotspot 30 GB" in lines and "suspended" in lines
    assert (
        "Sandbox Solutions"
        in page.get_by_role("table", name="Alliance status per partner").inner_text()
    )
    assert_accessible(page)
    # Its FAN has a page of its own.
    page.get_by_role("link", name="81730304").first.click()
    page.wait_for_url("**/console/customers/fan/81730304")
    assert "Bluebonnet Bank mobility" in page.get_by_role("heading", level=1).inner_text()


def test_an_admin_creates_an_operator_who_then_signs_in(page, console) -> None:
    username = f"dana.{uuid.uuid4().hex[:6]}"
    sign_in(page, console, "ops-admin", next_path="/operators")
    # A short password is refused on the form itself, and never shown back.
    page.get_by_label("Username").fill(username)
    page.get_by_label("Display name").fill("Dana Desk")
    page.get_by_label("Role", exact=True).select_option("agent")
    page.get_by_label(re.compile("^Password")).fill("too-short")
    page.get_by_role("button", name="Create operator").click()
    assert "at least 12 characters" in page.locator(".field-error").inner_text()
    assert page.get_by_label("Username").input_value() == username
    assert page.get_by_label(re.compile("^Password")).input_value() == ""
    page.get_by_label(re.compile("^Password")).fill("a-long-enough-password")
    page.get_by_role("button", name="Create operator").click()
    page.wait_for_url("**/console/operators?done=created")
    assert "The operator was created" in page.get_by_role("status").inner_text()
    row = page.get_by_role("row").filter(has_text=username)
    assert "Dana Desk" in row.inner_text() and "agent" in row.inner_text()
    assert_accessible(page)
    shoot(page, "operators")

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/console/sign-in")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("a-long-enough-password")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/console/")
    assert "agent" in page.locator(".who").inner_text()
    assert page.get_by_role("link", name="Operators").count() == 0
