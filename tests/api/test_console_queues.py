"""The console's work queues over HTTP: deciding exception requests filed through the B2B
API (the partner's lookup follows), the second decision refused with who decided, viewers
and forged forms refused, and a failed webhook delivery redelivered once."""

from __future__ import annotations

import asyncio
import re
import socket

from sqlalchemy import select

from orderhub.business.models import ExceptionRequest
from orderhub.webhooks import egress, worker
from orderhub.webhooks.models import WebhookDelivery
from tests.api.b2b_helpers import (
    B2B,
    draft_order,
    enrichment,
    file_exception,
    partner_headers,
)
from tests.api.care_helpers import POOLED, VOICE_PACK, Partner, add, change, moment
from tests.api.console import csrf_of, sign_in
from tests.outbox import dispatched

QUEUES = "/console/queues"


def can_quote(client, headers) -> bool:
    """What the lookup says of the alliance-only sandbox customer (phone 2145550340)."""
    found = client.post(f"{B2B}/customers/lookup", json={"phone": "2145550340"}, headers=headers)
    assert found.status_code == 200, found.text
    return found.json()["customers"][0]["canQuote"]


def _request_row(client, request_id: str):
    with client.app.state.runtime.database.transaction(write=False) as session:
        return session.get(ExceptionRequest, request_id)


def _closed_port() -> int:
    """A local port nothing listens on (connections are refused at once)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _failed_delivery(client) -> str:
    """A partner webhook to a closed port, an event for it, and every attempt made at
    once (retry delay 0) until the delivery has failed for good."""
    headers = partner_headers(client)
    hook = client.post(
        f"{B2B}/webhooks",
        json={
            "url": f"http://127.0.0.1:{_closed_port()}/hook",
            "eventTypes": ["exception_request.*"],
        },
        headers=headers | {"Idempotency-Key": "console-queue-hook"},
    )
    assert hook.status_code == 201, hook.text
    filed = file_exception(client, headers)
    csrf = sign_in(client)
    client.post(f"{QUEUES}/exceptions/{filed['id']}/approve", data={"csrf_token": csrf})
    runtime = client.app.state.runtime
    dispatched(runtime.database)

    async def attempt() -> None:
        async with egress.client(allow_private=True, timeout=2) as http:
            await worker.deliver_due(runtime.database, runtime.key, http, retry_base_seconds=0)

    for _ in range(worker.rules.MAX_ATTEMPTS):
        asyncio.run(attempt())
    with runtime.database.transaction(write=False) as session:
        [delivery] = session.scalars(
            select(WebhookDelivery).where(WebhookDelivery.subscription_id == hook.json()["id"])
        ).all()
    assert delivery.status == "failed" and delivery.attempts == worker.rules.MAX_ATTEMPTS
    return delivery.id


def test_the_page_lists_each_queue_with_its_count(client):
    sign_in(client, "ops-viewer")
    page = client.get(QUEUES)
    assert page.status_code == 200
    for anchor in ("exceptions", "jeopardy", "care", "webhooks"):
        assert f'id="{anchor}"' in page.text
    assert page.headers["content-security-policy"].startswith("default-src 'self'")


def test_an_agent_approves_and_the_partner_s_lookup_lets_it_quote(client):
    headers = partner_headers(client)
    assert can_quote(client, headers) is False
    filed = file_exception(client, headers, reason="Existing relationship since 2019.")
    csrf = sign_in(client)
    listed = client.get(QUEUES).text
    assert filed["id"] in listed and "Existing relationship since 2019." in listed

    answer = client.post(
        f"{QUEUES}/exceptions/{filed['id']}/approve",
        data={"csrf_token": csrf, "note": "Known customer."},
        follow_redirects=False,
    )

    assert answer.status_code == 303 and answer.headers["location"].startswith(
        f"{QUEUES}?done=approved"
    )
    row = _request_row(client, filed["id"])
    assert (row.status, row.decided_by, row.decision_note) == (
        "approved",
        "operator:ops-agent",
        "Known customer.",
    )
    assert can_quote(client, headers) is True
    after = client.get(answer.headers["location"]).text
    assert "Exception request approved" in after and f"{filed['id']}/approve" not in after


def test_a_rejection_needs_a_reason_and_keeps_the_customer_blocked(client):
    headers = partner_headers(client)
    filed = file_exception(client, headers)
    csrf = sign_in(client)

    bare = client.post(f"{QUEUES}/exceptions/{filed['id']}/reject", data={"csrf_token": csrf})
    assert bare.status_code == 422 and "Give a reason" in bare.text
    assert _request_row(client, filed["id"]).status == "pending"

    answer = client.post(
        f"{QUEUES}/exceptions/{filed['id']}/reject",
        data={"csrf_token": csrf, "reason": "No relationship on file."},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    row = _request_row(client, filed["id"])
    assert (row.status, row.decision_note) == ("rejected", "No relationship on file.")
    assert can_quote(client, headers) is False


def test_the_second_decision_is_a_409_saying_who_decided(client):
    filed = file_exception(client, partner_headers(client))
    csrf = sign_in(client)
    first = client.post(
        f"{QUEUES}/exceptions/{filed['id']}/approve",
        data={"csrf_token": csrf},
        follow_redirects=False,
    )
    assert first.status_code == 303

    second = client.post(
        f"{QUEUES}/exceptions/{filed['id']}/reject",
        data={"csrf_token": csrf, "reason": "Too late."},
    )

    assert second.status_code == 409
    assert "text/html" in second.headers["content-type"]
    flash = re.search(r'<p class="flash flash-error" role="status">([^<]+)</p>', second.text)
    assert flash, second.text[:2000]
    assert "already approved by operator:ops-agent" in flash.group(1)
    assert _request_row(client, filed["id"]).status == "approved"


def test_a_viewer_is_refused_and_nothing_changes(client):
    filed = file_exception(client, partner_headers(client))
    csrf = sign_in(client, "ops-viewer")
    page = client.get(QUEUES).text
    assert f"{filed['id']}/approve" not in page  # no buttons for a viewer

    answer = client.post(f"{QUEUES}/exceptions/{filed['id']}/approve", data={"csrf_token": csrf})

    assert answer.status_code == 403 and "Not allowed for your role" in answer.text
    assert _request_row(client, filed["id"]).status == "pending"


def test_a_form_without_the_csrf_token_is_refused(client):
    filed = file_exception(client, partner_headers(client))
    sign_in(client)
    for data in ({}, {"csrf_token": "0" * 64}):
        answer = client.post(f"{QUEUES}/exceptions/{filed['id']}/approve", data=data)
        assert answer.status_code == 403 and "Form expired" in answer.text
    assert _request_row(client, filed["id"]).status == "pending"


def test_a_failed_delivery_is_listed_and_redelivered_once(client, caplog):
    delivery_id = _failed_delivery(client)
    csrf = csrf_of(client.get("/console/").text)
    section = client.get(QUEUES).text.split('id="webhooks"', 1)[1]
    assert delivery_id in section and "exception_request.approved" in section
    assert "ConnectError" in section

    with caplog.at_level("INFO", logger="orderhub.webhooks.service"):
        answer = client.post(
            f"{QUEUES}/webhooks/{delivery_id}/redeliver",
            data={"csrf_token": csrf},
            follow_redirects=False,
        )
    assert answer.status_code == 303 and "done=redelivered" in answer.headers["location"]
    with client.app.state.runtime.database.transaction(write=False) as session:
        row = session.get(WebhookDelivery, delivery_id)
        assert (row.status, row.attempts, row.last_error) == ("pending", 0, None)
        assert row.redelivered_by == "operator:ops-agent" and row.redelivered_at is not None
    assert any(
        delivery_id in r.getMessage() and "operator:ops-agent" in r.getMessage()
        for r in caplog.records
    )

    # A second agent a moment later: no longer failed, so nothing is queued twice.
    again = client.post(f"{QUEUES}/webhooks/{delivery_id}/redeliver", data={"csrf_token": csrf})
    assert again.status_code == 409 and "is pending now, not failed" in again.text


def test_a_viewer_may_not_redeliver(client):
    delivery_id = _failed_delivery(client)
    client.cookies.clear()
    csrf = sign_in(client, "ops-viewer")
    assert f"{delivery_id}/redeliver" not in client.get(QUEUES).text

    answer = client.post(f"{QUEUES}/webhooks/{delivery_id}/redeliver", data={"csrf_token": csrf})

    assert answer.status_code == 403
    with client.app.state.runtime.database.transaction(write=False) as session:
        assert session.get(WebhookDelivery, delivery_id).status == "failed"


def test_an_unknown_delivery_is_a_404_page(client):
    csrf = sign_in(client)
    answer = client.post(f"{QUEUES}/webhooks/dlv_nothing/redeliver", data={"csrf_token": csrf})
    assert answer.status_code == 404 and "text/html" in answer.headers["content-type"]


def test_a_long_queue_pages_on_with_show_more(client):
    """Twenty-two failed deliveries (made in the store: the worker's retries are tested
    above): the first page shows twenty, oldest first, and links to the rest."""
    from sqlalchemy import update

    from orderhub.webhooks import service as webhooks

    database = client.app.state.runtime.database
    with database.transaction() as session:
        hook = webhooks.subscribe(
            session,
            owner="operations",
            url="https://hooks.example.com/ops",
            event_types=["console.test"],
            key=client.app.state.runtime.key,
            allow_http=False,
        )
        for n in range(22):
            webhooks.publish(
                session, owner="operations", type="console.test", subject=f"s{n:02}", data={}
            )
    dispatched(database)
    with database.transaction() as session:
        session.execute(
            update(WebhookDelivery)
            .where(WebhookDelivery.subscription_id == hook.subscription.id)
            .values(status="failed", attempts=8, last_error="ConnectError")
        )
    sign_in(client, "ops-viewer")

    first = client.get(QUEUES).text.split('id="webhooks"', 1)[1]
    shown = set(re.findall(r"<code>(s\d\d)</code>", first))
    assert len(shown) == 20 and "1\u201320 of 22" in first
    more = re.search(r'href="(\?webhooks_offset=20)#webhooks" rel="next"', first)
    assert more, first[-1500:]

    second = client.get(QUEUES + more.group(1)).text.split('id="webhooks"', 1)[1]
    rest = set(re.findall(r"<code>(s\d\d)</code>", second))
    assert "21\u201322 of 22" in second and len(rest) == 2 and not rest & shown


def _submitted_with_a_troubled_sub_order(client, headers, premise_notes: str) -> dict:
    """A B2B order handed off whose second sub-order carries a sandbox provisioning test
    value (SANDBOX-JEOPARDY, SANDBOX-REJECT: docs/sandbox.md)."""
    order = draft_order(client, headers)
    url = f"{B2B}/orders/{order['id']}"
    client.patch(url, json=enrichment(), headers=headers)
    installation = enrichment()["installation"] | {"premiseNotes": premise_notes}
    client.patch(
        f"{url}/sub-orders/{order['subOrders'][1]['id']}",
        json={"installation": installation},
        headers=headers,
    )
    assert client.post(f"{url}/submit", headers=headers).status_code == 200
    return order


def test_a_b2b_order_in_jeopardy_is_listed_with_a_link_to_its_page(client):
    headers = partner_headers(client)
    order = _submitted_with_a_troubled_sub_order(client, headers, "SANDBOX-JEOPARDY")
    for _ in range(3):  # accepted, design, then the troubled sub-order's jeopardy
        advanced = client.post(f"/sandbox/v1/b2b/orders/{order['id']}/advance", headers=headers)
    assert advanced.json()["status"] == "jeopardy"
    sign_in(client, "ops-viewer")

    section = client.get(QUEUES).text.split('id="jeopardy"', 1)[1].split("</section>", 1)[0]

    assert f'href="/console/orders/{order["id"]}"' in section
    assert "badge-jeopardy" in section and "Sandbox Solutions" in section


def test_a_b2b_order_going_on_with_a_rejected_sub_order_is_listed_too(client):
    headers = partner_headers(client)
    order = _submitted_with_a_troubled_sub_order(client, headers, "SANDBOX-REJECT")
    advanced = client.post(f"/sandbox/v1/b2b/orders/{order['id']}/advance", headers=headers)
    # The other sub-order goes on, so the order's own status is its progress.
    assert advanced.json()["status"] == "accepted"
    statuses = [s["status"] for s in advanced.json()["subOrders"]]
    assert statuses[1] == "rejected" and statuses.count("rejected") == 1
    of = f"1 of {len(statuses)} sub-orders rejected"
    sign_in(client, "ops-viewer")

    section = client.get(QUEUES).text.split('id="jeopardy"', 1)[1].split("</section>", 1)[0]
    assert f'href="/console/orders/{order["id"]}"' in section
    assert of in section
    assert f"{order['id']} ({of})" in client.get("/console/").text

    # Once the rest is provisioned the order is finished: it waits for no one.
    for _ in range(10):
        advanced = client.post(f"/sandbox/v1/b2b/orders/{order['id']}/advance", headers=headers)
        if advanced.json()["status"] == "completed":
            break
    assert advanced.json()["status"] == "completed"
    section = client.get(QUEUES).text.split('id="jeopardy"', 1)[1].split("</section>", 1)[0]
    assert order["id"] not in section


def test_a_care_change_that_failed_is_listed_with_its_line_and_reason(client):
    care = Partner(client)
    order = care.place(change(items=[add(VOICE_PACK)], effectiveDate="nextBillingCycle"))
    care.place(change("suspendSubscriber", suspendServiceReason="Stolen"))
    care.process()
    care.run_until(max(moment(c["dueAt"]) for c in order["changeRequests"]))
    assert care.order(order["id"])["changeRequests"][0]["status"] == "failed"
    sign_in(client, "ops-viewer")

    section = client.get(QUEUES).text.split('id="care"', 1)[1].split("</section>", 1)[0]

    assert f"<code>{POOLED}</code>" in section and "updateSubscriber" in section
    assert "subscriber_status" in section
    assert f'href="/console/orders/{order["id"]}"' in section


def test_the_dashboard_names_the_oldest_items_of_each_queue(client):
    headers = partner_headers(client)
    file_exception(client, headers)
    sign_in(client)
    live = client.get("/console/dashboard/live").text
    row = live.split("Exception requests pending", 1)[1].split("</tr>", 1)[0]
    assert "Sandbox Solutions for " in row and 'href="/console/queues#exceptions"' in row
