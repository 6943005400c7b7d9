"""B2B orders: create from a signed quote, enrichment, handoff, listing, tenant isolation."""

from __future__ import annotations

import uuid

from tests.api.b2b_helpers import (
    B2B,
    SANDBOX_CLIENT_B,
    approved_quote,
    draft_order,
    enrichment,
    future,
    partner_headers,
    signed_quote,
    submitted_order,
)
from tests.helpers import is_problem

ORDERS = f"{B2B}/orders"


def test_an_order_needs_a_signed_contract(client):
    headers = partner_headers(client)
    quote = approved_quote(client, headers)

    refused = client.post(ORDERS, json={"quoteId": quote["id"]}, headers=headers)
    unknown = client.post(ORDERS, json={"quoteId": "quo_nope"}, headers=headers)

    assert is_problem(refused, 409, "contract_not_signed")
    assert is_problem(unknown, 404, "quote_not_found")


def test_an_order_has_one_sub_order_per_site_and_product_and_one_per_quote(client):
    headers = partner_headers(client)
    contract = signed_quote(client, headers)
    key = {"Idempotency-Key": str(uuid.uuid4())}

    created = client.post(ORDERS, json={"quoteId": contract["quoteId"]}, headers=headers | key)
    replay = client.post(ORDERS, json={"quoteId": contract["quoteId"]}, headers=headers | key)
    second = client.post(ORDERS, json={"quoteId": contract["quoteId"]}, headers=headers)

    order = created.json()
    assert created.status_code == 201 and order["status"] == "draft"
    assert order["contractId"] == contract["id"]
    assert [(s["siteName"], s["productId"]) for s in order["subOrders"]] == [
        ("HQ", "dia"),
        ("HQ", "voice-sip"),
        ("Branch", "ethernet"),
    ]
    assert order["subOrders"][0]["siteAddress"]["addressLine1"] == "1900 N AKARD ST"
    assert order["totals"] == {"monthly": "1626.00", "oneTime": "2100.00", "currency": "USD"}
    assert replay.json() == order and replay.headers["idempotent-replayed"] == "true"
    assert is_problem(second, 409, "order_exists") and second.json()["orderId"] == order["id"]


def test_enrichment_of_the_order_and_a_sub_order(client):
    headers = partner_headers(client)
    order = draft_order(client, headers)
    url = f"{ORDERS}/{order['id']}"
    sub = order["subOrders"][2]["id"]

    enriched = client.patch(url, json=enrichment(), headers=headers)
    own = client.patch(
        f"{url}/sub-orders/{sub}",
        json={
            "installation": {"contacts": [{"name": "Lee Branch", "phone": "(972) 555-0101"}]},
            "billingConfiguration": {"orderedItems": ["ETH-1G"], "subOrders": ["SO-7"]},
        },
        headers=headers,
    )
    cleared = client.patch(url, json={"shipping": None}, headers=headers)

    body = enriched.json()
    assert enriched.status_code == 200, enriched.text
    assert body["customerDefinedGroup"] == "rollout-q1"
    assert body["installation"]["contacts"][0]["name"] == "Sam Ortiz"
    assert body["installation"]["requestedDueDate"] == future(30)
    assert body["billingConfiguration"] == {
        "processId": "P-100",
        "orderedItems": [],
        "subOrders": [],
        "invoiceNumber": "INV-1",
    }
    branch = own.json()["subOrders"][2]
    assert branch["installation"]["contacts"][0]["phone"] == "9725550101"
    assert branch["billingConfiguration"]["orderedItems"] == ["ETH-1G"]
    assert own.json()["subOrders"][0]["installation"] is None  # the order's applies
    assert cleared.json()["shipping"] is None
    assert cleared.json()["installation"] == body["installation"]  # not sent: unchanged
    history = client.get(f"{url}/history", headers=headers).json()["events"]
    assert [e["type"] for e in history] == ["order.created"] + ["order.enriched"] * 3
    assert history[2]["subOrderId"] == sub


def test_shipping_takes_several_e_mail_ids_and_the_older_single_one(client):
    """Seed 002: shipping enrichment carries "e-mail IDs". `email` (one) still works and
    joins the list; each is checked by the contact rule and stored lower-cased, once."""
    headers = partner_headers(client)
    order = draft_order(client, headers)
    url = f"{ORDERS}/{order['id']}"

    several = client.patch(
        url,
        json={
            "shipping": {
                "emails": ["Receiving@Bluebonnet.example.com", "it@bluebonnet.example.com"],
                "email": "receiving@bluebonnet.example.com",
            }
        },
        headers=headers,
    )
    assert several.status_code == 200, several.text
    shipping = several.json()["shipping"]
    assert shipping["emails"] == [
        "receiving@bluebonnet.example.com",
        "it@bluebonnet.example.com",
    ]
    assert shipping["email"] == "receiving@bluebonnet.example.com"  # deprecated: the first
    assert client.get(url, headers=headers).json()["shipping"] == shipping

    one = client.patch(url, json={"shipping": {"email": "dock@example.com"}}, headers=headers)
    assert one.json()["shipping"]["emails"] == ["dock@example.com"]

    bad = client.patch(
        url,
        json={"shipping": {"emails": ["ok@example.com", "not an e-mail"], "email": "x@y"}},
        headers=headers,
    )
    assert is_problem(bad, 422, "validation_failed")
    assert {(e["field"], e["rule"]) for e in bad.json()["errors"]} == {
        ("shipping.emails.1", "email_format"),
        ("shipping.email", "email_format"),
    }
    too_many = client.patch(
        url,
        json={"shipping": {"emails": [f"e{n}@example.com" for n in range(11)]}},
        headers=headers,
    )
    assert is_problem(too_many, 422, "validation_failed")
    assert client.get(url, headers=headers).json()["shipping"]["emails"] == ["dock@example.com"]


def test_a_shipping_section_stored_before_several_e_mails_reads_as_a_list():
    from orderhub.surfaces.b2b.order_views import _shipping

    old = _shipping({"email": "dock@example.com", "address": None, "notes": "Ring."})
    assert (old.emails, old.email, old.notes) == (["dock@example.com"], "dock@example.com", "Ring.")
    assert _shipping({"email": None, "address": None, "notes": None}).emails == []


def test_enrichment_rules_are_422s_naming_the_field(client):
    headers = partner_headers(client)
    order = draft_order(client, headers)
    url = f"{ORDERS}/{order['id']}"
    installation = enrichment()["installation"]

    due_first = client.patch(
        url,
        json={"installation": installation | {"requestedDueDate": future(10)}},
        headers=headers,
    )
    past = client.patch(
        url,
        json={"installation": installation | {"requestedStartDate": "2020-01-01"}},
        headers=headers,
    )
    phone = client.patch(
        url,
        json={"installation": installation | {"contacts": [{"name": "X", "phone": "555-0100"}]}},
        headers=headers,
    )
    address = client.patch(
        url,
        json={
            "shipping": {
                "address": {
                    "addressLine1": "Elm",
                    "city": "Dallas",
                    "state": "TX",
                    "zipCode": "75201",
                }
            }
        },
        headers=headers,
    )
    unknown = client.patch(url, json={"status": "completed"}, headers=headers)
    no_cdg_on_sub = client.patch(
        f"{url}/sub-orders/{order['subOrders'][0]['id']}",
        json={"customerDefinedGroup": "x"},
        headers=headers,
    )
    no_sub = client.patch(f"{url}/sub-orders/bso_nope", json={}, headers=headers)

    def rules(response):
        assert is_problem(response, 422), response.text
        return {(e["field"], e["rule"]) for e in response.json()["errors"]}

    assert rules(due_first) == {("installation.requestedDueDate", "due_before_start")}
    assert rules(past) == {("installation.requestedStartDate", "date_in_past")}
    assert rules(phone) == {("installation.contacts.0.phone", "phone_format")}
    assert ("shipping.address.addressLine1", "house_number_required") in rules(address)
    assert is_problem(unknown, 422) and is_problem(no_cdg_on_sub, 422)
    assert is_problem(no_sub, 404, "sub_order_not_found")


def test_handoff_of_an_incomplete_order_is_a_409_with_the_problems(client):
    headers = partner_headers(client)
    order = draft_order(client, headers)
    url = f"{ORDERS}/{order['id']}"
    client.patch(
        url,
        json={"installation": {"requestedStartDate": future(3), "requestedDueDate": future(9)}},
        headers=headers,
    )

    refused = client.post(f"{url}/submit", headers=headers)

    assert is_problem(refused, 409, "order_incomplete")
    assert refused.json()["errors"] == [
        {
            "field": f"subOrders.{n}.installation.contacts",
            "rule": "installation_contact_required",
            "message": "An installation contact is required, on the order or the sub-order.",
        }
        for n in range(3)
    ]
    assert client.get(url, headers=headers).json()["status"] == "draft"


def test_handoff_acknowledges_once_and_replays_a_keyed_submit(client):
    headers = partner_headers(client)
    order = draft_order(client, headers)
    url = f"{ORDERS}/{order['id']}"
    client.patch(url, json=enrichment(), headers=headers)
    key = {"Idempotency-Key": str(uuid.uuid4())}

    ack = client.post(f"{url}/submit", headers=headers | key)
    replay = client.post(f"{url}/submit", headers=headers | key)
    twice = client.post(f"{url}/submit", headers=headers)
    change = client.patch(url, json={"customerDefinedGroup": "late"}, headers=headers)

    assert ack.status_code == 200, ack.text
    body = ack.json()
    assert body["status"] == "submitted" and body["acknowledgementId"].startswith("ack_")
    assert body["receivedAt"] and body["subOrderCount"] == 3
    assert replay.json() == body and replay.headers["idempotent-replayed"] == "true"
    assert is_problem(twice, 409, "order_not_draft")
    assert is_problem(change, 409, "order_not_draft")
    read = client.get(url, headers=headers).json()
    assert read["status"] == "submitted" and read["acknowledgementId"] == body["acknowledgementId"]
    assert {s["status"] for s in read["subOrders"]} == {"submitted"}


def test_orders_are_listed_by_status_and_customer_defined_group(client):
    headers = partner_headers(client)
    first = submitted_order(client, headers)
    second = draft_order(client, headers)
    client.patch(
        f"{ORDERS}/{second['id']}", json={"customerDefinedGroup": "other"}, headers=headers
    )

    def ids(**params):
        response = client.get(ORDERS, params=params, headers=headers)
        assert response.status_code == 200, response.text
        return [o["id"] for o in response.json()["orders"]]

    assert ids() == [second["id"], first["id"]]
    assert ids(cdg="rollout-q1") == [first["id"]]
    assert ids(status="draft") == [second["id"]]
    assert ids(status="submitted", cdg="rollout-q1", customerId="bcu_bluebonnet_bank") == [
        first["id"]
    ]
    assert ids(limit=1, offset=1) == [first["id"]]
    for bad in (
        {"limit": 0},
        {"limit": 101},
        {"offset": -1},
        {"status": "shipped"},
        {"cdg": "a\x00b"},
        {"cdg": "x" * 101},
    ):
        assert is_problem(client.get(ORDERS, params=bad, headers=headers), 422)


def test_another_partners_order_is_404_everywhere(client):
    headers = partner_headers(client)
    order = submitted_order(client, headers)
    other = partner_headers(client, SANDBOX_CLIENT_B)
    url = f"{ORDERS}/{order['id']}"

    for response in (
        client.get(url, headers=other),
        client.patch(url, json={"customerDefinedGroup": "x"}, headers=other),
        client.patch(f"{url}/sub-orders/{order['subOrders'][0]['id']}", json={}, headers=other),
        client.post(f"{url}/submit", headers=other),
        client.get(f"{url}/history", headers=other),
        client.post(f"/sandbox/v1/b2b/orders/{order['id']}/advance", headers=other),
    ):
        assert is_problem(response, 404, "order_not_found"), response.text
    assert client.get(ORDERS, headers=other).json()["orders"] == []
    assert is_problem(client.get(f"{ORDERS}/bad%20id", headers=headers), 422)


def test_sandbox_advance_walks_the_milestones_with_history_and_events(client):
    headers = partner_headers(client)
    order = draft_order(client, headers)
    url = f"{ORDERS}/{order['id']}"
    jeopardy, reject = order["subOrders"][1]["id"], order["subOrders"][2]["id"]
    client.patch(url, json=enrichment(), headers=headers)
    for sub, notes in ((jeopardy, "SANDBOX-JEOPARDY"), (reject, "SANDBOX-REJECT")):
        installation = enrichment()["installation"] | {"premiseNotes": notes}
        client.patch(
            f"{url}/sub-orders/{sub}", json={"installation": installation}, headers=headers
        )
    advance = f"/sandbox/v1/b2b/orders/{order['id']}/advance"
    assert is_problem(client.post(advance, headers=headers), 409, "order_not_in_provisioning")
    client.post(f"{url}/submit", headers=headers)

    seen = []
    for _ in range(6):
        response = client.post(advance, headers=headers)
        assert response.status_code == 200, response.text
        seen.append(
            (response.json()["status"], [s["status"] for s in response.json()["subOrders"]])
        )

    assert seen == [
        ("accepted", ["accepted", "accepted", "rejected"]),
        ("design", ["design", "design", "rejected"]),
        ("jeopardy", ["installationScheduled", "jeopardy", "rejected"]),
        ("installationScheduled", ["installed", "installationScheduled", "rejected"]),
        ("installed", ["completed", "installed", "rejected"]),
        ("completed", ["completed", "completed", "rejected"]),
    ]
    assert is_problem(client.post(advance, headers=headers), 409, "order_not_in_provisioning")
    history = client.get(f"{url}/history", headers=headers).json()
    changes = [
        (e["fromStatus"], e["toStatus"])
        for e in history["events"]
        if e["type"] == "order.status_changed"
    ]
    assert changes[0] == ("draft", "submitted") and changes[-1] == ("installed", "completed")
    assert history["status"] == "completed"
    events = client.get(f"{B2B}/events", headers=headers).json()["events"]
    statuses = [e["data"]["status"] for e in events if e["type"] == "order.status_changed"]
    assert statuses == [
        "submitted",
        "accepted",
        "design",
        "jeopardy",
        "installationScheduled",
        "installed",
        "completed",
    ]
    assert all(e["subject"] == order["id"] for e in events)
