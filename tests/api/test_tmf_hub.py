"""Hub listeners on each TM Forum API, and the TMF conventions every API shares."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from orderhub.webhooks import tmf_events
from orderhub.webhooks.models import OutboxEvent, WebhookDelivery
from tests.api.b2b_helpers import partner_headers
from tests.api.tmf_helpers import CATALOG, CUSTOMERS, INVENTORY, OPERATOR, ORDERING, tmf_error
from tests.helpers import sign_in
from tests.outbox import dispatched

APIS = (ORDERING, CATALOG, CUSTOMERS, INVENTORY)


@pytest.mark.parametrize("api", APIS)
def test_a_listener_is_registered_and_removed(client, api):
    created = client.post(
        f"{api}/hub", json={"callback": "http://127.0.0.1:9/listener"}, headers=OPERATOR
    )
    assert created.status_code == 201, created.text
    listener = created.json()
    assert listener["callback"] == "http://127.0.0.1:9/listener"
    assert listener["id"].startswith("hub_") and listener["secret"].startswith("whsec_")
    assert "query" not in listener  # absent, not null: the published schema says string
    assert client.delete(f"{api}/hub/{listener['id']}", headers=OPERATOR).status_code == 204
    tmf_error(client.delete(f"{api}/hub/{listener['id']}", headers=OPERATOR), 404)


def test_a_query_names_event_types_of_its_api(client):
    ok = client.post(
        f"{ORDERING}/hub",
        json={
            "callback": "http://127.0.0.1:9/l",
            "query": "eventType=ProductOrderStateChangeEvent,ProductOrderCreateEvent",
        },
        headers=OPERATOR,
    )
    assert ok.status_code == 201, ok.text
    bad = tmf_error(
        client.post(
            f"{ORDERING}/hub",
            json={"callback": "http://127.0.0.1:9/l", "query": "eventType=CustomerCreateEvent"},
            headers=OPERATOR,
        ),
        400,
        "validation_failed",
    )
    assert bad["errors"][0]["field"] == "query"
    tmf_error(
        client.post(
            f"{ORDERING}/hub",
            json={"callback": "http://127.0.0.1:9/l", "query": "state=completed"},
            headers=OPERATOR,
        ),
        400,
    )


def test_a_listener_is_its_owners_only(client):
    partner = partner_headers(client)
    listener = client.post(
        f"{ORDERING}/hub", json={"callback": "http://127.0.0.1:9/l"}, headers=partner
    ).json()
    customer = sign_in(client)
    tmf_error(client.delete(f"{ORDERING}/hub/{listener['id']}", headers=customer), 404)
    # Registered on one API, it is not another API's listener.
    tmf_error(client.delete(f"{CUSTOMERS}/hub/{listener['id']}", headers=partner), 404)
    # Nor a webhook of the partner's B2B API.
    assert client.get("/b2b/v1/webhooks", headers=partner).json()["webhooks"] == []
    assert client.delete(f"{ORDERING}/hub/{listener['id']}", headers=partner).status_code == 204
    # Operations may remove anybody's.
    other = client.post(
        f"{ORDERING}/hub", json={"callback": "http://127.0.0.1:9/l"}, headers=customer
    ).json()
    assert client.delete(f"{ORDERING}/hub/{other['id']}", headers=OPERATOR).status_code == 204


def test_an_owner_keeps_a_bounded_number_of_listeners(client):
    customer = sign_in(client)
    for _ in range(20):
        made = client.post(
            f"{ORDERING}/hub", json={"callback": "http://127.0.0.1:9/l"}, headers=customer
        )
        assert made.status_code == 201, made.text
    full = tmf_error(
        client.post(f"{ORDERING}/hub", json={"callback": "http://127.0.0.1:9/l"}, headers=customer),
        409,
        "too_many_listeners",
    )
    assert full["maxListeners"] == 20
    # Per API: another API's listeners are counted apart.
    assert (
        client.post(
            f"{CUSTOMERS}/hub", json={"callback": "http://127.0.0.1:9/l"}, headers=customer
        ).status_code
        == 201
    )


def test_errors_are_tmf_errors(client):
    tmf_error(client.post(f"{ORDERING}/hub", json={"callback": "x"}), 401, "unauthorized")
    tmf_error(
        client.post(
            f"{ORDERING}/hub", json={"callback": "x"}, headers={"Authorization": "Bearer nope"}
        ),
        401,
        "invalid_token",
    )
    unknown = tmf_error(
        client.post(
            f"{ORDERING}/hub",
            json={"callback": "https://a.example/l", "extra": 1},
            headers=OPERATOR,
        ),
        400,
        "validation_failed",
    )
    assert unknown["errors"][0]["field"] == "extra"
    assert unknown["errors"][0]["rule"] == "extra_forbidden"
    tmf_error(
        client.post(
            f"{ORDERING}/hub",
            content=b"{",
            headers=OPERATOR | {"Content-Type": "application/json"},
        ),
        400,
        "malformed_json",
    )
    tmf_error(client.get(f"{ORDERING}/nothingHere", headers=OPERATOR), 404, "not_found")


def test_each_api_serves_its_published_document(client):
    for api, title in (
        (ORDERING, "Product Ordering"),
        (CATALOG, "Product Catalog"),
        (CUSTOMERS, "Customer"),
        (INVENTORY, "Product Inventory"),
    ):
        document = client.get(f"{api}/api-docs").json()
        assert document["swagger"] == "2.0" and title in document["info"]["title"], api


def test_a_product_listener_hears_a_line_created_activated_and_removed(client, database):
    """TMF637: the lines an order sells are products whose events a listener hears:
    created (pendingActive) at submit, active when fulfilment completes; a cancelled
    order's PreActive line is deleted."""
    listener = client.post(
        f"{INVENTORY}/hub", json={"callback": "http://127.0.0.1:9/l"}, headers=OPERATOR
    ).json()
    body = {
        "relatedParty": [
            {"id": "cus_alex_bell", "role": "customer", "@referredType": "Individual"}
        ],
        "productOrderItem": [
            {"id": "1", "action": "add", "productOffering": {"id": "plan-unlimited-extra"}}
        ],
    }
    sold = client.post(f"{ORDERING}/productOrder", json=body, headers=OPERATOR).json()
    ctn = sold["productOrderItem"][0]["product"]["productCharacteristic"][0]["value"]
    alex = sign_in(client)
    for _ in range(3):  # shipped, line activated, completed
        client.post(f"/sandbox/v1/orders/{sold['id']}/advance", headers=alex)
    cancelled = client.post(f"{ORDERING}/productOrder", json=body, headers=OPERATOR).json()
    gone = cancelled["productOrderItem"][0]["product"]["productCharacteristic"][0]["value"]
    client.post(
        f"{ORDERING}/cancelProductOrder",
        json={"productOrder": {"id": cancelled["id"]}},
        headers=OPERATOR,
    )
    dispatched(database)
    with database.transaction(write=False) as session:
        queued = (
            session.execute(
                select(OutboxEvent)
                .join(WebhookDelivery, WebhookDelivery.event_seq == OutboxEvent.seq)
                .where(WebhookDelivery.subscription_id == listener["id"])
                .order_by(OutboxEvent.seq)
            )
            .scalars()
            .all()
        )
        events = [
            tmf_events.render(
                api=tmf_events.PRODUCT_INVENTORY,
                base_url="http://testserver",
                event_id=e.id,
                engine_type=e.type,
                subject=e.subject,
                data=e.data,
                created_at=e.created_at,
            )
            for e in queued
        ]
    seen = [
        (e["eventType"], e["event"]["product"]["id"], e["event"]["product"].get("status"))
        for e in events
    ]
    assert seen == [
        ("ProductCreateEvent", ctn, "pendingActive"),
        ("ProductStateChangeEvent", ctn, "active"),
        ("ProductCreateEvent", gone, "pendingActive"),
        ("ProductDeleteEvent", gone, None),
    ]
    assert events[0]["event"]["product"]["href"].endswith(f"/productInventory/v4/product/{ctn}")
