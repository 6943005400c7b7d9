"""The admin pages for partners and webhooks, in Chromium: what an admin sees and does,
checked for accessibility, and refused to an agent."""

from __future__ import annotations

from tests.browser.conftest import assert_accessible, shoot, sign_in


def test_an_admin_creates_a_partner_and_registers_a_webhook(page, console) -> None:
    sign_in(page, console, "ops-admin", next_path="/partners")
    page.get_by_label("Name").fill(f"Console Partner {console.backend}")
    page.get_by_role("button", name="Create with one API client").click()
    credentials = page.get_by_role("region", name="New API credentials")
    assert credentials.locator("#issued-client-secret").inner_text().strip()
    assert_accessible(page)
    shoot(page, "partners")

    page.get_by_role("link", name="Webhooks").click()
    page.get_by_label("URL").fill("http://127.0.0.1:9/console-hook")
    page.get_by_label("Event types (comma-separated)").fill("ledger.*")
    page.get_by_role("button", name="Register").click()
    assert page.locator("#new-webhook-secret").inner_text().strip()
    row = page.get_by_role("row").filter(has_text="http://127.0.0.1:9/console-hook")
    assert "operations" in row.inner_text()
    assert_accessible(page)
    shoot(page, "webhooks")


def test_an_agent_sees_no_admin_links_and_is_refused_the_pages(page, console) -> None:
    sign_in(page, console, "ops-agent")
    for name in ("Operators", "Partners", "Webhooks"):
        assert page.get_by_role("link", name=name).count() == 0
    answer = page.goto(console.page_url("/partners"))
    assert answer.status == 403
    assert page.get_by_role("heading", name="Not allowed for your role").is_visible()
    assert_accessible(page)
