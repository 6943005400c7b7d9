"""TMF622 product ordering over the ledger: orders placed through the consumer engine,
every channel's orders readable, PATCH, DELETE and cancelProductOrder."""

from __future__ import annotations

import pytest

from orderhub.demo import onboarding as demo_onboarding
from tests.api.b2b_helpers import SANDBOX_CLIENT, partner_headers, submitted_order
from tests.api.care_helpers import CARE, care_body, change
from tests.api.tmf_helpers import CATALOG, OPERATOR, ORDERING, tmf_error
from tests.helpers import create_order, sign_in

ALEX = "cus_alex_bell"
SAM = "cus_sam_rivera"  # no credit on file in the sandbox


def order_body(customer: str | None = ALEX, **overrides) -> dict:
    body = {
        "productOrderItem": [
            {"id": "1", "action": "add", "productOffering": {"id": "plan-unlimited-extra"}},
            {"id": "2", "action": "add", "productOffering": {"id": "dev-pixel-10"}},
        ],
        "externalId": "CRM-1001",
        "description": "Unlimited with a phone",
        "note": [{"text": "Call before delivery"}],
    }
    if customer:
        body["relatedParty"] = [{"id": customer, "role": "customer", "@referredType": "Individual"}]
    return body | overrides


def place(client, headers=OPERATOR, **overrides) -> dict:
    response = client.post(
        f"{ORDERING}/productOrder", json=order_body(**overrides), headers=headers
    )
    assert response.status_code == 201, response.text
    return response.json()


def test_an_operator_places_a_consumer_order_through_the_engine(client):
    order = place(client)
    assert order["state"] == "acknowledged"
    assert order["@type"] == "ProductOrder" and order["href"].endswith(
        f"/productOrder/{order['id']}"
    )
    assert order["href"].startswith("http")
    assert order["externalId"] == "CRM-1001" and order["note"][0]["text"] == "Call before delivery"
    assert order["relatedParty"][0] == {
        "id": ALEX,
        "role": "customer",
        "@referredType": "Individual",
    }
    plan, device = order["productOrderItem"]
    assert plan["productOffering"]["id"] == "plan-unlimited-extra"
    numbers = [c["value"] for c in plan["product"]["productCharacteristic"]]
    assert len(numbers) == 1 and numbers[0][:3] in ("214", "469", "972")
    assert device["product"]["productCharacteristic"] == []
    # The same order in the consumer's own channel, submitted with a confirmation.
    alex = sign_in(client)
    direct = client.get(f"/msapi/order/v1/order/{order['id']}", headers=alex).json()
    assert direct["status"] == "submitted" and direct["confirmationNumber"]
    # And in the operator's ledger.
    ledger = client.get(f"/operator/v1/orders/{order['id']}", headers=OPERATOR).json()
    assert ledger["state"] == "acknowledged" and ledger["channel"] == "direct"


def test_a_customer_places_their_own_order_and_nobody_elses(client):
    alex = sign_in(client)
    order = place(client, headers=alex, customer=None)
    assert order["relatedParty"][0]["id"] == ALEX
    tmf_error(
        client.post(f"{ORDERING}/productOrder", json=order_body(customer=SAM), headers=alex), 400
    )
    tmf_error(
        client.post(f"{ORDERING}/productOrder", json=order_body(), headers=partner_headers(client)),
        403,
        "partner_orders_through_b2b",
    )


def test_every_problem_refuses_the_order_and_nothing_is_left(client):
    before = client.get(f"{ORDERING}/productOrder", headers=OPERATOR).headers["X-Total-Count"]
    body = order_body(
        productOrderItem=[
            {"id": "1", "action": "modify", "productOffering": {"id": "plan-unlimited-extra"}},
            {"id": "2", "action": "add", "productOffering": {"id": "no-such-offer"}},
        ]
    )
    refused = tmf_error(client.post(f"{ORDERING}/productOrder", json=body, headers=OPERATOR), 400)
    assert refused["errors"][0]["field"] == "productOrderItem.0.action"
    unknown = tmf_error(
        client.post(
            f"{ORDERING}/productOrder",
            json=order_body(
                productOrderItem=[
                    {"id": "1", "action": "add", "productOffering": {"id": "no-such-offer"}}
                ]
            ),
            headers=OPERATOR,
        ),
        400,
    )
    assert unknown["errors"][0]["rule"] == "unknown_offer"
    no_credit = tmf_error(
        client.post(f"{ORDERING}/productOrder", json=order_body(customer=SAM), headers=OPERATOR),
        400,
    )
    assert no_credit["errors"][0]["rule"] == "credit_on_file"
    both = tmf_error(
        client.post(
            f"{ORDERING}/productOrder",
            json=order_body(
                customer=SAM,
                productOrderItem=[
                    {"id": "1", "action": "add", "productOffering": {"id": "no-such-offer"}}
                ],
            ),
            headers=OPERATOR,
        ),
        400,
    )
    assert [(e["field"], e["rule"]) for e in both["errors"]] == [
        ("productOrderItem.0.productOffering.id", "unknown_offer"),
        ("relatedParty", "credit_on_file"),
    ]
    extra = tmf_error(
        client.post(
            f"{ORDERING}/productOrder", json=order_body(payment=[{"id": "x"}]), headers=OPERATOR
        ),
        400,
    )
    assert extra["errors"][0] == {
        "field": "payment",
        "rule": "extra_forbidden",
        "message": "Extra inputs are not permitted",
    }
    after = client.get(f"{ORDERING}/productOrder", headers=OPERATOR).headers["X-Total-Count"]
    assert after == before


def test_orders_of_every_channel_are_listed_with_filters_and_fields(client):
    placed = place(client)
    alex = sign_in(client)
    draft = create_order(client, alex)  # a direct cart: pending
    page = client.get(
        f"{ORDERING}/productOrder",
        params={"fields": "state,externalId", "externalId": "CRM-1001", "limit": 5},
        headers=OPERATOR,
    )
    assert page.status_code == 200
    assert page.headers["X-Result-Count"] == str(len(page.json()))
    found = {o["id"]: o for o in page.json()}
    assert placed["id"] in found
    assert set(found[placed["id"]]) == {
        "id",
        "href",
        "@type",
        "state",
        "externalId",
        "productOrderItem",
    }
    pending = client.get(
        f"{ORDERING}/productOrder",
        params={"state": "pending", "relatedParty.id": ALEX},
        headers=alex,
    ).json()
    assert [o["id"] for o in pending] == [draft["orderId"] if "orderId" in draft else draft["id"]]
    later = client.get(
        f"{ORDERING}/productOrder",
        params={"orderDate.gt": "2999-01-01T00:00:00Z"},
        headers=OPERATOR,
    )
    assert later.json() == [] and later.headers["X-Total-Count"] == "0"
    tmf_error(
        client.get(f"{ORDERING}/productOrder", params={"orderDate.gt": "soon"}, headers=OPERATOR),
        400,
    )


def test_another_callers_order_does_not_exist(client):
    order = place(client)
    partner = partner_headers(client)
    tmf_error(client.get(f"{ORDERING}/productOrder/{order['id']}", headers=partner), 404)
    assert client.get(f"{ORDERING}/productOrder", headers=partner).json() == []
    sam = sign_in(client, "9725550122")
    tmf_error(client.get(f"{ORDERING}/productOrder/{order['id']}", headers=sam), 404)


def test_patch_changes_attributes_and_adds_notes(client):
    order = place(client)
    patched = client.patch(
        f"{ORDERING}/productOrder/{order['id']}",
        json={
            "description": "Rush",
            "priority": "1",
            "note": [{"text": "Second note"}],
            "externalId": "CRM-2002",
        },
        headers=OPERATOR | {"Content-Type": "application/merge-patch+json"},
    )
    assert patched.status_code == 200, patched.text
    shown = patched.json()
    assert shown["description"] == "Rush" and shown["priority"] == "1"
    assert [n["text"] for n in shown["note"]] == ["Call before delivery", "Second note"]
    assert shown["externalId"] == "CRM-2002"
    tmf_error(
        client.patch(
            f"{ORDERING}/productOrder/{order['id']}",
            json={"state": "completed"},
            headers=OPERATOR,
        ),
        400,
    )
    # The published update schema requires productOrderItem: the order's own items may
    # be sent back as they are; other ones are refused.
    as_is = client.patch(
        f"{ORDERING}/productOrder/{order['id']}",
        json={"productOrderItem": shown["productOrderItem"], "priority": "2"},
        headers=OPERATOR,
    )
    assert as_is.status_code == 200 and as_is.json()["priority"] == "2"
    other = tmf_error(
        client.patch(
            f"{ORDERING}/productOrder/{order['id']}",
            json={"productOrderItem": [{"id": "new", "action": "add"}]},
            headers=OPERATOR,
        ),
        400,
    )
    assert other["errors"][0]["rule"] == "items_unchangeable"


def test_delete_withdraws_a_pending_order_only(client):
    alex = sign_in(client)
    draft = create_order(client, alex)
    draft_id = draft.get("orderId") or draft["id"]
    assert client.delete(f"{ORDERING}/productOrder/{draft_id}", headers=alex).status_code == 204
    gone = client.get(f"{ORDERING}/productOrder/{draft_id}", headers=alex).json()
    assert gone["state"] == "cancelled"
    placed = place(client)
    tmf_error(
        client.delete(f"{ORDERING}/productOrder/{placed['id']}", headers=OPERATOR),
        409,
        "order_not_deletable",
    )


@pytest.mark.parametrize("who", ["customer", "operator"])
def test_cancel_product_order(client, who):
    headers = sign_in(client) if who == "customer" else OPERATOR
    order = place(client)
    created = client.post(
        f"{ORDERING}/cancelProductOrder",
        json={"productOrder": {"id": order["id"]}, "cancellationReason": "Changed my mind"},
        headers=headers,
    )
    assert created.status_code == 201, created.text
    request = created.json()
    assert request["state"] == "done" and request["effectiveCancellationDate"]
    assert (
        client.get(f"{ORDERING}/productOrder/{order['id']}", headers=headers).json()["state"]
        == "cancelled"
    )
    again = client.post(
        f"{ORDERING}/cancelProductOrder",
        json={"productOrder": {"id": order["id"]}},
        headers=headers,
    ).json()
    assert again["state"] == "terminatedWithError" and "cancelled" in again["rejectionReason"]
    unknown = tmf_error(
        client.post(
            f"{ORDERING}/cancelProductOrder",
            json={"productOrder": {"id": "ord_nothing"}},
            headers=headers,
        ),
        400,
    )
    assert unknown["errors"][0]["field"] == "productOrder.id"
    listed = client.get(f"{ORDERING}/cancelProductOrder", headers=headers)
    assert {r["id"] for r in listed.json()} >= {request["id"], again["id"]}
    one = client.get(f"{ORDERING}/cancelProductOrder/{request['id']}", headers=headers).json()
    assert one["productOrder"]["id"] == order["id"]
    tmf_error(
        client.get(
            f"{ORDERING}/cancelProductOrder/{request['id']}", headers=partner_headers(client)
        ),
        404,
    )


def test_an_idempotency_key_places_one_order(client):
    key = {"Idempotency-Key": "tmf-once-1"}
    first = client.post(f"{ORDERING}/productOrder", json=order_body(), headers=OPERATOR | key)
    second = client.post(f"{ORDERING}/productOrder", json=order_body(), headers=OPERATOR | key)
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] == second.json()["id"]
    assert second.headers["Idempotent-Replayed"] == "true"


def test_orders_of_each_seed_channel_appear_with_their_state(client):
    """Direct, partner, care and onboarding orders, each placed through its own API,
    listed by TMF622 with the ledger's common state as `state`."""
    alex = sign_in(client)
    direct = create_order(client, alex)
    partner = partner_headers(client)
    b2b = submitted_order(client, partner)
    care = client.post(
        f"{CARE}/careOrder",
        json=care_body(change(effectiveDate="nextBillingCycle")),
        headers=partner | {"X-ATT-ClientId": SANDBOX_CLIENT[0], "X-ATT-MessageId": "tmf-care-1"},
    )
    assert care.status_code == 202, care.text
    onboarded = demo_onboarding.run(client)
    expected = {
        (direct.get("orderId") or direct["id"]): ("direct", "pending"),
        b2b["id"]: ("partner", "acknowledged"),
        care.json()["id"]: ("care", "acknowledged"),
        onboarded["orderId"]: ("onboarding", "completed"),
    }
    listed = client.get(f"{ORDERING}/productOrder", params={"limit": 100}, headers=OPERATOR)
    shown = {o["id"]: o for o in listed.json()}
    for order_id, (channel, state) in expected.items():
        order = shown[order_id]
        assert (order["channel"][0]["id"], order["state"]) == (channel, state), order
        assert order["productOrderItem"], order
    # A partner sees its own orders of every channel, and nobody else's.
    own = client.get(f"{ORDERING}/productOrder", params={"limit": 100}, headers=partner).json()
    assert {b2b["id"], care.json()["id"], onboarded["orderId"]} <= {o["id"] for o in own}
    assert direct.get("orderId", direct.get("id")) not in {o["id"] for o in own}
    # Filter by channel and state together.
    care_only = client.get(
        f"{ORDERING}/productOrder",
        params={"channel.id": "care", "state": "acknowledged"},
        headers=OPERATOR,
    ).json()
    assert {o["id"] for o in care_only} == {care.json()["id"]}


def test_an_order_keeps_a_bounded_number_of_notes(client):
    order = place(client)
    url = f"{ORDERING}/productOrder/{order['id']}"
    notes = [{"text": f"note {n}"} for n in range(20)]
    for _ in range(2):
        assert client.patch(url, json={"note": notes}, headers=OPERATOR).status_code == 200
    full = tmf_error(client.patch(url, json={"note": notes}, headers=OPERATOR), 409)
    assert full["code"] == "too_many_notes" and full["maxNotes"] == 50
    assert len(client.get(url, headers=OPERATOR).json()["note"]) == 41


def test_an_offering_made_through_tmf620_is_ordered_through_tmf622_until_retired(client):
    created = client.post(
        f"{CATALOG}/productOffering",
        json={
            "name": "Unlimited Student",
            "category": [{"id": "consumer.plan"}],
            "productOfferingPrice": [
                {"priceType": "recurring", "price": {"unit": "USD", "value": 39.99}}
            ],
        },
        headers=OPERATOR,
    )
    assert created.status_code == 201, created.text
    offering = created.json()
    assert offering["lifecycleStatus"] == "In design"
    item = [{"id": "1", "action": "add", "productOffering": {"id": offering["id"]}}]
    not_yet = tmf_error(
        client.post(
            f"{ORDERING}/productOrder", json=order_body(productOrderItem=item), headers=OPERATOR
        ),
        400,
    )
    assert not_yet["errors"][0]["rule"] == "unknown_offer"
    url = f"{CATALOG}/productOffering/{offering['id']}"
    launched = client.patch(url, json={"lifecycleStatus": "Launched"}, headers=OPERATOR)
    assert launched.status_code == 200, launched.text
    order = place(client, productOrderItem=item)
    assert order["state"] == "acknowledged"
    (line,) = order["productOrderItem"]
    assert line["productOffering"]["id"] == offering["id"]
    assert line["itemTotalPrice"][0]["price"]["dutyFreeAmount"] == {"unit": "USD", "value": 39.99}
    assert len(line["product"]["productCharacteristic"]) == 1  # a plan: one line, numbered
    retired = client.patch(url, json={"lifecycleStatus": "Retired"}, headers=OPERATOR)
    assert retired.status_code == 200, retired.text
    refused = tmf_error(
        client.post(
            f"{ORDERING}/productOrder", json=order_body(productOrderItem=item), headers=OPERATOR
        ),
        400,
    )
    assert refused["errors"][0]["rule"] == "unknown_offer"


@pytest.mark.parametrize(
    "call",
    [
        ("get", f"{ORDERING}/productOrder?orderDate.gte=0001-01-01T00:00:00%2B01:00", None),
        ("get", f"{ORDERING}/productOrder?orderDate.lt=9999-12-31T23:59:59-01:00", None),
        ("post", f"{ORDERING}/productOrder", {"requestedStartDate": "0001-01-01T00:00:00+01:00"}),
        ("post", f"{ORDERING}/productOrder", {"requestedCompletionDate": "2027-01-01T10:00:00"}),
    ],
)
def test_dates_out_of_range_or_without_a_zone_are_400(client, call):
    method, url, body = call
    if body is not None:
        body = order_body(**body)
    tmf_error(client.request(method, url, json=body, headers=OPERATOR), 400)


def test_out_of_range_dates_in_patch_and_cancel_are_400(client):
    order = place(client)
    url = f"{ORDERING}/productOrder/{order['id']}"
    tmf_error(
        client.patch(
            url, json={"requestedStartDate": "0001-01-01T00:00:00+01:00"}, headers=OPERATOR
        ),
        400,
    )
    tmf_error(
        client.post(
            f"{ORDERING}/cancelProductOrder",
            json={
                "productOrder": {"id": order["id"]},
                "requestedCancellationDate": "0001-01-01T00:00:00+01:00",
            },
            headers=OPERATOR,
        ),
        400,
    )


def test_orders_of_a_day_and_up_to_a_date(client):
    order = place(client)
    today = order["orderDate"][:10]
    for params in ({"orderDate": today}, {"orderDate.lte": today}, {"orderDate.gte": today}):
        found = client.get(f"{ORDERING}/productOrder", params=params, headers=OPERATOR).json()
        assert order["id"] in {o["id"] for o in found}, params
    before = client.get(
        f"{ORDERING}/productOrder", params={"orderDate.lt": today}, headers=OPERATOR
    ).json()
    assert order["id"] not in {o["id"] for o in before}


def test_problems_found_at_submit_are_400_in_the_orders_terms(client):
    too_many = tmf_error(
        client.post(
            f"{ORDERING}/productOrder",
            json=order_body(
                productOrderItem=[
                    {
                        "id": "1",
                        "action": "add",
                        "quantity": 10,
                        "productOffering": {"id": "plan-unlimited-extra"},
                    }
                ]
            ),
            headers=OPERATOR,
        ),
        400,
    )
    assert ("productOrderItem", "too_many_lines") in {
        (e["field"], e["rule"]) for e in too_many["errors"]
    }
    assert all(
        e["field"].startswith(("productOrderItem", "relatedParty")) for e in too_many["errors"]
    )
    far = tmf_error(
        client.post(
            f"{ORDERING}/productOrder",
            json=order_body(requestedCompletionDate="2030-01-01T00:00:00Z"),
            headers=OPERATOR,
        ),
        400,
    )
    assert far["errors"][0]["field"] == "requestedCompletionDate"


def test_a_number_asked_for_that_is_not_local_is_refused_at_its_characteristic(client):
    item = {
        "id": "1",
        "action": "add",
        "productOffering": {"id": "plan-unlimited-extra"},
        "product": {"productCharacteristic": [{"name": "phoneNumber", "value": "7135551085"}]},
    }
    refused = tmf_error(
        client.post(
            f"{ORDERING}/productOrder", json=order_body(productOrderItem=[item]), headers=OPERATOR
        ),
        400,
    )
    assert refused["errors"][0]["field"] == "productOrderItem.0.product.productCharacteristic.0"
    assert refused["errors"][0]["rule"] == "number_unavailable"


def test_a_patch_keeps_the_requested_date_moves_the_order_and_clears_the_external_id(client):
    order = place(client, requestedCompletionDate="2027-01-05T00:00:00Z")
    url = f"{ORDERING}/productOrder/{order['id']}"
    before = client.get(f"/operator/v1/orders/{order['id']}", headers=OPERATOR).json()
    patched = client.patch(url, json={"note": [{"text": "hello"}]}, headers=OPERATOR).json()
    assert patched["requestedCompletionDate"] == "2027-01-05T00:00:00Z"
    after = client.get(f"/operator/v1/orders/{order['id']}", headers=OPERATOR).json()
    assert after["updatedAt"] > before["updatedAt"]
    assert patched["note"][-1]["date"] >= after["updatedAt"][:19]
    cleared = client.patch(url, json={"externalId": None}, headers=OPERATOR).json()
    assert "externalId" not in cleared
    history = client.get(f"/operator/v1/orders/{order['id']}", headers=OPERATOR).json()["history"]
    assert history[0]["type"] == "order.created" and history[0]["actor"] == "operator:api"
