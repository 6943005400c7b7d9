"""TMF620 Product Catalog over the engine's catalogs: reading every resource, and
operations managing consumer offerings through their lifecycle, sold only when launched."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from alembic import command
from sqlalchemy import MetaData, insert, inspect, select

from orderhub import migrate
from orderhub.catalog import offerings
from orderhub.db import Database
from orderhub.webhooks import tmf_events
from orderhub.webhooks.models import OutboxEvent, WebhookDelivery
from tests.api.b2b_helpers import partner_headers
from tests.api.tmf_helpers import CATALOG, OPERATOR, tmf_error
from tests.helpers import BASE, ready_order, sign_in
from tests.outbox import dispatched

RESOURCES = (
    ("catalog", "consumer"),
    ("category", "consumer.plan"),
    ("productOffering", "plan-unlimited-extra"),
    ("productOfferingPrice", "plan-unlimited-extra:monthly"),
    ("productSpecification", "consumer.plan"),
)


def new_offering(**overrides: Any) -> dict[str, Any]:
    return {
        "name": "Unlimited Student",
        "description": "Unlimited talk, text and data for students.",
        "category": [{"id": "consumer.plan"}],
        "productOfferingPrice": [
            {
                "priceType": "recurring",
                "recurringChargePeriodType": "month",
                "price": {"unit": "USD", "value": 39.99},
            }
        ],
        "@type": "ProductOffering",
    } | overrides


def create(client: Any, **overrides: Any) -> dict[str, Any]:
    response = client.post(
        f"{CATALOG}/productOffering", json=new_offering(**overrides), headers=OPERATOR
    )
    assert response.status_code == 201, response.text
    return response.json()


def patch(client: Any, id: str, body: dict[str, Any], headers: dict[str, str] = OPERATOR) -> Any:
    return client.patch(
        f"{CATALOG}/productOffering/{id}",
        json=body,
        headers=headers | {"Content-Type": "application/merge-patch+json"},
    )


def order(client: Any, headers: dict[str, str], offer_id: str) -> Any:
    return client.post(
        f"{BASE}/v1/order/create",
        json={"items": [{"offerId": offer_id, "quantity": 1}]},
        headers=headers,
    )


@pytest.mark.parametrize(("resource", "id"), RESOURCES)
def test_each_resource_is_listed_paged_projected_and_retrieved(client, resource, id):
    listed = client.get(f"{CATALOG}/{resource}", params={"limit": 100}, headers=OPERATOR)
    assert listed.status_code == 200, listed.text
    everything = listed.json()
    total = int(listed.headers["X-Total-Count"])
    assert total == len(everything) == int(listed.headers["X-Result-Count"]) >= 2
    assert id in {r["id"] for r in everything}

    page = client.get(
        f"{CATALOG}/{resource}",
        params={"offset": 1, "limit": 1, "fields": "name"},
        headers=OPERATOR,
    )
    assert page.headers["X-Total-Count"] == str(total) and page.headers["X-Result-Count"] == "1"
    assert page.json() == [{k: everything[1][k] for k in ("id", "href", "@type", "name")}]

    one = client.get(f"{CATALOG}/{resource}/{id}", headers=OPERATOR)
    assert one.status_code == 200, one.text
    assert one.json()["href"].endswith(f"{CATALOG}/{resource}/{id}")
    assert one.json() == next(r for r in everything if r["id"] == id)
    projected = client.get(
        f"{CATALOG}/{resource}/{id}", params={"fields": "name"}, headers=OPERATOR
    )
    assert set(projected.json()) == {"id", "href", "@type", "name"}
    tmf_error(client.get(f"{CATALOG}/{resource}/nothing", headers=OPERATOR), 404)


def test_the_three_catalogs_and_what_an_offering_shows(client):
    catalogs = {c["id"]: c for c in client.get(f"{CATALOG}/catalog", headers=OPERATOR).json()}
    assert set(catalogs) == {"consumer", "business", "onboarding"}
    assert {c["id"] for c in catalogs["business"]["category"]} == {
        "business.dedicatedInternet",
        "business.ethernet",
        "business.voice",
    }
    plan = client.get(f"{CATALOG}/productOffering/plan-unlimited-extra", headers=OPERATOR).json()
    assert plan["lifecycleStatus"] == "Launched" and plan["isSellable"] is True
    assert plan["category"][0]["id"] == "consumer.plan"
    assert plan["productSpecification"]["id"] == "consumer.plan"
    assert [p["id"] for p in plan["productOfferingPrice"]] == ["plan-unlimited-extra:monthly"]
    price = client.get(plan["productOfferingPrice"][0]["href"], headers=OPERATOR).json()
    assert price["priceType"] == "recurring" and price["recurringChargePeriodType"] == "month"
    assert price["price"] == {"unit": "USD", "value": 65.0}
    dia = client.get(f"{CATALOG}/productOffering/dia", headers=OPERATOR).json()
    assert dia["category"][0]["id"] == "business.dedicatedInternet"
    assert "dia:accessSpeed:100M" in {p["id"] for p in dia["productOfferingPrice"]}
    package = client.get(f"{CATALOG}/productOffering/home-essentials", headers=OPERATOR).json()
    assert package["category"][0]["id"] == "onboarding.package"
    spec = client.get(f"{CATALOG}/productSpecification/onboarding.voip-line", headers=OPERATOR)
    assert "callerIdName" in {c["name"] for c in spec.json()["productSpecCharacteristic"]}


def test_lists_filter_by_attribute(client):
    plans = client.get(
        f"{CATALOG}/productOffering", params={"category.id": "consumer.plan"}, headers=OPERATOR
    ).json()
    assert plans and {p["category"][0]["id"] for p in plans} == {"consumer.plan"}
    named = client.get(
        f"{CATALOG}/productOffering", params={"name": plans[0]["name"]}, headers=OPERATOR
    ).json()
    assert [p["id"] for p in named] == [plans[0]["id"]]
    none = client.get(
        f"{CATALOG}/productOffering", params={"lifecycleStatus": "In design"}, headers=OPERATOR
    )
    assert none.json() == [] and none.headers["X-Total-Count"] == "0"
    one_time = client.get(
        f"{CATALOG}/productOfferingPrice", params={"priceType": "oneTime"}, headers=OPERATOR
    ).json()
    assert one_time and {p["priceType"] for p in one_time} == {"oneTime"}


def test_an_offering_is_designed_launched_sold_retired_and_no_longer_sold(client):
    customer = sign_in(client)
    offering = create(client)
    id = offering["id"]
    assert offering["lifecycleStatus"] == "In design" and offering["isSellable"] is False
    assert offering["productOfferingPrice"][0]["id"] == f"{id}:monthly"
    price = client.get(f"{CATALOG}/productOfferingPrice/{id}:monthly", headers=OPERATOR).json()
    assert price["price"] == {"unit": "USD", "value": 39.99}
    # In design: nobody else sees it, and it is not sold.
    tmf_error(client.get(f"{CATALOG}/productOffering/{id}", headers=customer), 404)
    assert order(client, customer, id).json()["errors"][0]["rule"] == "unknown_offer"

    launched = patch(client, id, {"lifecycleStatus": "Launched"})
    assert launched.status_code == 200, launched.text
    assert launched.json()["lifecycleStatus"] == "Launched" and launched.json()["isSellable"]
    seen = client.get(f"{CATALOG}/productOffering/{id}", headers=customer)
    assert seen.status_code == 200 and seen.json()["name"] == "Unlimited Student"
    ordered = order(client, customer, id)
    assert ordered.status_code == 200, ordered.text
    item = ordered.json()["items"][0]
    assert item["offerId"] == id and item["lines"] == 1

    retired = patch(client, id, {"lifecycleStatus": "Retired"})
    assert retired.status_code == 200 and retired.json()["lifecycleStatus"] == "Retired"
    refused = order(client, customer, id)
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["rule"] == "unknown_offer"
    # Ordered once: it stays, retired; it cannot be deleted.
    tmf_error(
        client.delete(f"{CATALOG}/productOffering/{id}", headers=OPERATOR), 409, "offering_in_use"
    )


def test_a_cart_made_while_an_offering_was_launched_is_not_submitted_once_it_is_retired(
    client,
):
    id = create(client, lifecycleStatus="Launched")["id"]
    customer = sign_in(client)
    cart = ready_order(
        client, customer, items=[{"offerId": "dev-pixel-10", "quantity": 1}, {"offerId": id}]
    )
    assert patch(client, id, {"lifecycleStatus": "Retired"}).status_code == 200

    problem = {
        "field": "items.1.offerId",
        "rule": "offer_not_sold",
        "code": "offer_not_sold",
        "message": f"Offer {id} is no longer sold.",
        "itemId": cart["items"][1]["id"],
        "offerId": id,
    }
    checked = client.get(f"{BASE}/v1/order/{cart['id']}/validate", headers=customer).json()
    assert checked["valid"] is False
    assert [p for p in checked["problems"] if p["code"] == "offer_not_sold"] == [problem]
    submitted = client.post(
        f"{BASE}/v1/order/submit", json={"orderId": cart["id"]}, headers=customer
    )
    assert submitted.status_code == 409, submitted.text
    assert problem in submitted.json()["errors"]


def test_only_operations_write(client):
    partner = partner_headers(client)
    customer = sign_in(client)
    for headers in (partner, customer):
        tmf_error(
            client.post(f"{CATALOG}/productOffering", json=new_offering(), headers=headers),
            403,
            "operator_only",
        )
        tmf_error(patch(client, "plan-unlimited-extra", {"name": "x"}, headers), 403)
        tmf_error(
            client.delete(f"{CATALOG}/productOffering/plan-unlimited-extra", headers=headers), 403
        )
    tmf_error(client.post(f"{CATALOG}/productOffering", json=new_offering()), 401)
    # Partners and customers read.
    assert client.get(f"{CATALOG}/productOffering", headers=partner).status_code == 200


def test_bodies_are_checked(client):
    def refused(body: dict[str, Any], status: int = 400) -> dict[str, Any]:
        return tmf_error(
            client.post(f"{CATALOG}/productOffering", json=body, headers=OPERATOR), status
        )

    unknown = refused(new_offering(channel=[{"id": "web"}]))
    assert unknown["errors"][0]["field"] == "channel"
    assert unknown["errors"][0]["rule"] == "extra_forbidden"
    bad_price = refused(
        new_offering(
            productOfferingPrice=[{"priceType": "recurring", "price": {"unit": "USD", "value": -1}}]
        )
    )
    assert bad_price["errors"][0]["field"].startswith("productOfferingPrice.0.price.value")
    cents = refused(
        new_offering(productOfferingPrice=[{"priceType": "oneTime", "price": {"value": 1.005}}])
    )
    assert cents["errors"][0]["field"].startswith("productOfferingPrice.0.price.value")
    assert (
        refused(new_offering(productOfferingPrice=[{"priceType": "usage", "price": {"value": 1}}]))[
            "errors"
        ][0]["rule"]
        == "price_type"
    )
    assert (
        refused(
            new_offering(
                productOfferingPrice=[
                    {"priceType": "oneTime", "price": {"unit": "EUR", "value": 1}}
                ]
            )
        )["errors"][0]["rule"]
        == "currency"
    )
    assert (
        refused(new_offering(productOfferingPrice=[{"id": "nope:monthly"}]))["errors"][0]["rule"]
        == "unknown_price"
    )
    assert (
        refused(new_offering(category=[{"id": "business.voice"}]))["errors"][0]["rule"]
        == "unknown_category"
    )
    assert refused(new_offering(category=None))["code"] == "validation_failed"
    assert refused({"name": "No category"})["errors"][0]["rule"] == "category_required"
    assert refused(new_offering(name="   "))["errors"][0]["rule"] == "blank"
    blank = tmf_error(patch(client, create(client)["id"], {"name": " \t "}), 400)
    assert blank["errors"][0]["rule"] == "blank"
    assert refused(new_offering(eligibility={"customerTypes": ["alien"]}))["errors"][0][
        "field"
    ].startswith("eligibility.customerTypes")
    assert refused(new_offering(lifecycleStatus="Launchd"))["errors"][0]["rule"] == (
        "lifecycle_status"
    )
    assert refused(new_offering(lifecycleStatus="Retired"))["errors"][0]["rule"] == (
        "initial_status"
    )


def test_attributes_not_kept_are_refused_by_name_and_references_are_their_id(client):
    def refused(body: dict[str, Any]) -> tuple[str, str]:
        error = tmf_error(
            client.post(f"{CATALOG}/productOffering", json=body, headers=OPERATOR), 400
        )["errors"][0]
        return error["field"], error["rule"]

    value = {"priceType": "recurring", "price": {"unit": "USD", "value": 20}}
    assert refused(new_offering(productOfferingPrice=[value | {"description": "Monthly"}])) == (
        "productOfferingPrice.0.description",
        "not_supported",
    )
    assert refused(new_offering(productOfferingPrice=[value | {"name": "Monthly fee"}])) == (
        "productOfferingPrice.0.name",
        "not_supported",
    )
    assert refused(
        new_offering(productOfferingPrice=[{"id": "dev-pixel-10:oneTime", "description": "x"}])
    ) == ("productOfferingPrice.0.description", "not_supported")
    # A reference's name, href, @referredType and version are ignored: it is its id.
    offering = create(
        client,
        category=[{"id": "consumer.device", "name": "Whatever", "version": "9"}],
        productOfferingPrice=[
            {"id": "dev-pixel-10:oneTime", "name": "Anything", "@referredType": "X"}
        ],
    )
    assert offering["category"][0]["name"] != "Whatever"
    assert offering["productOfferingPrice"][0]["name"] != "Anything"


def test_a_price_reference_copies_that_price_and_patch_replaces_prices(client):
    offering = create(
        client,
        name="Pixel bundle",
        category=[{"id": "consumer.device"}],
        productOfferingPrice=[{"id": "dev-pixel-10:oneTime"}],
    )
    assert [p["id"] for p in offering["productOfferingPrice"]] == [f"{offering['id']}:oneTime"]
    price = client.get(offering["productOfferingPrice"][0]["href"], headers=OPERATOR).json()
    assert price["price"]["value"] == 649.99 and price["priceType"] == "oneTime"
    changed = patch(
        client,
        offering["id"],
        {"productOfferingPrice": [{"priceType": "recurring", "price": {"value": 10}}]},
    ).json()
    assert [p["id"] for p in changed["productOfferingPrice"]] == [f"{offering['id']}:monthly"]


def test_a_consumer_offerings_price_is_changed(client):
    id = create(client)["id"]
    changed = client.patch(
        f"{CATALOG}/productOfferingPrice/{id}:monthly",
        json={"price": {"unit": "USD", "value": 42.5}},
        headers=OPERATOR,
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["price"] == {"unit": "USD", "value": 42.5}
    tmf_error(
        client.patch(
            f"{CATALOG}/productOfferingPrice/{id}:monthly",
            json={"price": {"value": 1}, "priceType": "oneTime"},
            headers=OPERATOR,
        ),
        400,
    )
    tmf_error(
        client.patch(
            f"{CATALOG}/productOfferingPrice/{id}:monthly",
            json={"price": {"value": 0}},
            headers=OPERATOR,
        ),
        400,
    )
    tmf_error(
        client.patch(
            f"{CATALOG}/productOfferingPrice/dia:accessSpeed:100M",
            json={"price": {"value": 1}},
            headers=OPERATOR,
        ),
        405,
    )
    tmf_error(
        client.patch(
            f"{CATALOG}/productOfferingPrice/{id}:monthly",
            json={"price": {"value": 1}},
            headers=sign_in(client),
        ),
        403,
    )


def test_others_see_the_sold_offerings_only(client):
    id = create(client)["id"]
    customer = sign_in(client)
    mine = client.get(f"{CATALOG}/productOffering", params={"limit": 100}, headers=OPERATOR)
    theirs = client.get(f"{CATALOG}/productOffering", params={"limit": 100}, headers=customer)
    assert int(mine.headers["X-Total-Count"]) == int(theirs.headers["X-Total-Count"]) + 1
    assert id in {o["id"] for o in mine.json()} - {o["id"] for o in theirs.json()}
    assert {o["lifecycleStatus"] for o in theirs.json()} == {"Launched"}
    tmf_error(client.get(f"{CATALOG}/productOfferingPrice/{id}:monthly", headers=customer), 404)


def test_transitions_follow_the_table(client):
    id = create(client)["id"]
    bad = tmf_error(patch(client, id, {"lifecycleStatus": "Retired"}), 409, "invalid_transition")
    assert bad["currentStatus"] == "In design" and bad["requestedStatus"] == "Retired"
    tmf_error(patch(client, id, {"lifecycleStatus": "Sold"}), 400, "validation_failed")
    assert patch(client, id, {"lifecycleStatus": "Launched"}).status_code == 200
    tmf_error(patch(client, id, {"lifecycleStatus": "In design"}), 409, "invalid_transition")
    # Launched: it cannot be deleted until retired.
    tmf_error(
        client.delete(f"{CATALOG}/productOffering/{id}", headers=OPERATOR), 409, "offering_in_use"
    )
    assert patch(client, id, {"lifecycleStatus": "Retired"}).status_code == 200
    assert patch(client, id, {"lifecycleStatus": "Obsolete"}).status_code == 200
    tmf_error(patch(client, id, {"lifecycleStatus": "Launched"}), 409, "invalid_transition")
    # Never ordered and no longer launched: deleted.
    assert client.delete(f"{CATALOG}/productOffering/{id}", headers=OPERATOR).status_code == 204
    tmf_error(client.get(f"{CATALOG}/productOffering/{id}", headers=OPERATOR), 404)


def test_other_catalogs_and_resources_are_read_only(client):
    tmf_error(patch(client, "dia", {"name": "x"}), 405, "method_not_allowed")
    tmf_error(client.delete(f"{CATALOG}/productOffering/home-essentials", headers=OPERATOR), 405)
    tmf_error(patch(client, "nothing", {"name": "x"}), 404)
    for resource in ("catalog", "category", "productSpecification", "productOfferingPrice"):
        refused = client.post(f"{CATALOG}/{resource}", json={"name": "x"}, headers=OPERATOR)
        tmf_error(refused, 405, "method_not_allowed")
        assert refused.headers["Allow"] == "GET"
        tmf_error(client.delete(f"{CATALOG}/{resource}/consumer", headers=OPERATOR), 405)
    for job in ("importJob", "exportJob"):
        tmf_error(client.get(f"{CATALOG}/{job}", headers=OPERATOR), 405)
        refused = client.post(f"{CATALOG}/{job}", json={}, headers=OPERATOR)
        tmf_error(refused, 405)
        assert refused.headers["Allow"] == ""  # no method: jobs are not implemented


def test_changes_are_published_as_catalog_events(client, database):
    id = create(client)["id"]
    assert (
        patch(client, id, {"name": "Unlimited Campus", "lifecycleStatus": "Launched"}).status_code
        == 200
    )
    assert patch(client, id, {"lifecycleStatus": "Retired"}).status_code == 200
    assert patch(client, id, {"description": "Gone."}).status_code == 200
    assert patch(client, id, {"description": "Gone."}).status_code == 200  # no change
    second = create(client)["id"]
    assert client.delete(f"{CATALOG}/productOffering/{second}", headers=OPERATOR).status_code == 204
    with database.transaction(write=False) as session:
        events = session.execute(
            select(OutboxEvent.type, OutboxEvent.subject, OutboxEvent.data, OutboxEvent.owner)
            .where(OutboxEvent.type.like("catalog.%"))
            .order_by(OutboxEvent.seq)
        ).all()
    assert {e.owner for e in events} == {"operations"}
    assert [(e.type, e.subject, e.data.get("lifecycleStatus")) for e in events] == [
        ("catalog.offering_created", id, "In design"),
        ("catalog.offering_changed", id, "Launched"),
        ("catalog.offering_state_changed", id, "Launched"),
        ("catalog.offering_state_changed", id, "Retired"),
        ("catalog.offering_changed", id, "Retired"),
        ("catalog.offering_created", second, "In design"),
        ("catalog.offering_deleted", second, None),
    ]
    assert events[2].data["name"] == "Unlimited Campus"


def test_a_catalog_listener_is_sent_the_offerings_state_changes(client, database):
    listener = client.post(
        f"{CATALOG}/hub",
        json={
            "callback": "http://127.0.0.1:9/listener",
            "query": "eventType=ProductOfferingStateChangeEvent",
        },
        headers=OPERATOR,
    ).json()
    id = create(client)["id"]
    assert patch(client, id, {"lifecycleStatus": "Launched"}).status_code == 200
    dispatched(database)
    with database.transaction(write=False) as session:
        queued = session.execute(
            select(OutboxEvent.type, OutboxEvent.subject, OutboxEvent.data, OutboxEvent.id)
            .join(WebhookDelivery, WebhookDelivery.event_seq == OutboxEvent.seq)
            .where(WebhookDelivery.subscription_id == listener["id"])
        ).all()
    assert [(e.type, e.subject) for e in queued] == [("catalog.offering_state_changed", id)]
    event = tmf_events.render(
        api=tmf_events.PRODUCT_CATALOG,
        base_url="http://testserver",
        event_id=queued[0].id,
        engine_type=queued[0].type,
        subject=id,
        data=queued[0].data,
        created_at=datetime.now(UTC),
    )
    assert event["eventType"] == "ProductOfferingStateChangeEvent"
    offering = event["event"]["productOffering"]
    assert offering["lifecycleStatus"] == "Launched" and offering["name"] == "Unlimited Student"


def test_the_lifecycle_table():
    life = offerings.LIFECYCLE
    assert life.allows("In design", "Launched") and life.allows("Retired", "Launched")
    assert not life.allows("Launched", "In design") and not life.allows("In design", "Retired")
    assert life.final == {offerings.S.OBSOLETE, offerings.S.REJECTED}
    assert offerings.SOLD not in life.final and offerings.S.RETIRED not in offerings.INITIAL


def test_migration_0022_gives_existing_offers_a_status_from_active(empty_database_url):
    database = Database(empty_database_url)
    try:
        migrate.upgrade(database, revision="0021")
        meta = MetaData()
        meta.reflect(database.engine, only=["offers"])
        offers = meta.tables["offers"]
        with database.engine.begin() as conn:
            for id, active in (("sold", True), ("gone", False)):
                conn.execute(
                    insert(offers),
                    {
                        "id": id,
                        "name": id,
                        "category": "plan",
                        "description": "",
                        "currency": "USD",
                        "monthly_cents": 100,
                        "one_time_cents": 0,
                        "lines": 1,
                        "eligibility": {},
                        "promotions": [],
                        "attributes": {},
                        "active": active,
                        "sort_order": 0,
                        "updated_at": datetime(2026, 12, 1, 9, tzinfo=UTC),
                    },
                )
        migrate.upgrade(database, revision="0022")
        with database.engine.connect() as conn:
            rows = conn.exec_driver_sql("SELECT id, lifecycle_status FROM offers ORDER BY id")
            assert dict(rows.all()) == {"gone": "Retired", "sold": "Launched"}
        command.downgrade(migrate.alembic_config(empty_database_url), "0021")
        meta = MetaData()
        meta.reflect(database.engine, only=["offers"])
        assert "lifecycle_status" not in meta.tables["offers"].c
    finally:
        database.dispose()


def test_migration_0023_indexes_the_offer_of_order_items(empty_database_url):
    database = Database(empty_database_url)

    def indexes() -> set[str]:
        return {i["name"] for i in inspect(database.engine).get_indexes("order_items")}

    try:
        migrate.upgrade(database, revision="0023")
        assert "ix_order_items_offer_id" in indexes()
        command.downgrade(migrate.alembic_config(empty_database_url), "0022")
        assert "ix_order_items_offer_id" not in indexes()
    finally:
        database.dispose()
