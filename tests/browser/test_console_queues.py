"""The work queues and the dashboard in Chromium: a viewer sees no decision to make and
is refused one posted anyway; an agent approves an exception request (the partner's
lookup then lets it quote) and redelivers the decision's failed webhook once the
receiver is fixed; a consumer order reaches completed on the dashboard by its live
refresh alone."""

from __future__ import annotations

import re
import time

from playwright.sync_api import expect

from orderhub.demo import consumer
from orderhub.webhooks import rules
from tests.api.b2b_helpers import B2B, OPERATOR, file_exception, partner_headers
from tests.browser.conftest import assert_accessible, shoot, sign_in
from tests.receiver import Receiver

# Retries a few milliseconds apart: a delivery fails for good in about two seconds.
CONSOLE_ENV = {"ORDERHUB_WEBHOOK_RETRY_BASE_SECONDS": "0.02"}
LOOKUP = {"phone": "2145550340"}  # the sandbox's customer alliance-only for sandbox-partner


def _can_quote(api, headers) -> bool:
    answer = api.post(f"{B2B}/customers/lookup", json=LOOKUP, headers=headers)
    assert answer.status_code == 200, answer.text
    return answer.json()["customers"][0]["canQuote"]


def _row(page, text: str):
    return page.locator("tr", has_text=text)


def test_a_viewer_sees_no_decision_and_one_posted_anyway_is_refused(page, console) -> None:
    with console.api() as api:
        filed = file_exception(api, partner_headers(api))
    try:
        sign_in(page, console, "ops-viewer", "/queues")
        row = _row(page.locator("#exceptions"), filed["id"])
        expect(row).to_be_visible()
        expect(row.get_by_role("button")).to_have_count(0)
        # The form posted by hand, with the viewer's own valid CSRF token: the role refuses.
        token = page.locator('input[name="csrf_token"]').first.get_attribute("value")
        answer = page.request.post(
            console.page_url(f"/queues/exceptions/{filed['id']}/approve"),
            form={"csrf_token": token},
        )
        assert answer.status == 403 and "Not allowed for your role" in answer.text()
        with console.api() as api:
            still = api.get(f"/operator/v1/exception-requests/{filed['id']}", headers=OPERATOR)
        assert still.json()["status"] == "pending"
    finally:  # leave the customer free for another request
        with console.api() as api:
            api.post(f"/operator/v1/exception-requests/{filed['id']}/reject", headers=OPERATOR)


def test_an_agent_approves_and_redelivers_the_decision_s_failed_webhook(page, console) -> None:
    # The partner's receiver fails the first delivery and every retry, then is fixed.
    receiver = Receiver(statuses=[500] * rules.MAX_ATTEMPTS + [204])
    try:
        with console.api() as api:
            headers = partner_headers(api)
            hook = api.post(
                f"{B2B}/webhooks",
                json={"url": receiver.url, "eventTypes": ["exception_request.*"]},
                headers=headers | {"Idempotency-Key": f"console-queues-{time.time_ns()}"},
            )
            assert hook.status_code == 201, hook.text
            assert _can_quote(api, headers) is False
            filed = file_exception(api, headers, reason="A customer of ours since 2019.")

        sign_in(page, console, "ops-agent", "/queues")
        row = _row(page.locator("#exceptions"), filed["id"])
        expect(row).to_contain_text("A customer of ours since 2019.")
        row.get_by_label(re.compile("Note with the approval")).fill("Known customer.")
        row.get_by_role("button", name="Approve").click()
        expect(page.get_by_role("status")).to_contain_text("Exception request approved")
        with console.api() as api:
            assert _can_quote(api, headers) is True

        # The decision's event reached the receiver eight times, answered 500 each time.
        deadline = time.monotonic() + 30
        failed = _row(page.locator("#webhooks"), "exception_request.approved")
        while failed.count() == 0 and time.monotonic() < deadline:
            time.sleep(0.5)
            page.reload()
        expect(failed).to_contain_text("HTTP 500")
        assert len(receiver.received) == rules.MAX_ATTEMPTS
        assert_accessible(page)
        shoot(page, "queues")

        failed.get_by_role("button", name="Redeliver").click()
        expect(page.get_by_role("status")).to_contain_text("Delivery queued again")
        deadline = time.monotonic() + 15
        while len(receiver.received) <= rules.MAX_ATTEMPTS and time.monotonic() < deadline:
            time.sleep(0.1)
        delivered = receiver.received[-1]
        assert (
            delivered.headers["OrderHub-Event-Id"]
            == receiver.received[0].headers["OrderHub-Event-Id"]
        )
        page.reload()
        expect(_row(page.locator("#webhooks"), "exception_request.approved")).to_have_count(0)
    finally:
        receiver.close()


def test_a_consumer_order_reaches_completed_on_the_dashboard(page, console) -> None:
    sign_in(page, console, "ops-agent", "/")
    assert_accessible(page)
    with console.api() as api:
        order = consumer.run(api)
    # Made after the page was loaded: only the live refresh can bring its row, then
    # its state as fulfillment moves it (one step a second on the test server).
    row = page.locator(f'tr[data-order="{order["id"]}"]')
    expect(row).to_be_visible(timeout=15_000)
    expect(row.locator(".badge")).to_have_text("completed", timeout=45_000)
    assert_accessible(page)
    shoot(page, "dashboard")
