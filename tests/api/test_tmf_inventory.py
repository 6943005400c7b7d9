"""TMF637 Product Inventory: lines and onboarded services as products, per caller."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

from orderhub.inventory import provisioned
from orderhub.inventory import service as inventory
from tests.api.b2b_helpers import SANDBOX_CLIENT_B, partner_headers
from tests.api.test_onboarding import new_account
from tests.api.tmf_helpers import INVENTORY, OPERATOR, tmf_error
from tests.helpers import BASE, random_phone, ready_order, sign_in

PRODUCTS = f"{INVENTORY}/product"
BLUEBONNET_LINES = ["1234567890", "1234567891", "1234567892", "1234567893", "1234567894"]
GULF_LINE = "2815550190"


@contextmanager
def union_plans(database, marker: str = "UNION ALL") -> Iterator[list[str]]:
    """SQLite's plan of each statement holding `marker` run inside the block (filled at
    its end)."""
    if not database.is_sqlite:
        pytest.skip("plans are read on SQLite (EXPLAIN QUERY PLAN names each table it scans)")
    ran: list[tuple[str, object]] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:
        if marker in statement:
            ran.append((statement, parameters))

    event.listen(Engine, "before_cursor_execute", record)
    plans: list[str] = []
    try:
        yield plans
    finally:
        event.remove(Engine, "before_cursor_execute", record)
    with database.engine.connect() as connection:
        for statement, parameters in ran:
            rows = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
            plans.append(" / ".join(str(r[-1]) for r in rows))


def ids(response) -> list[str]:
    assert response.status_code == 200, response.text
    return [p["id"] for p in response.json()]


def test_the_operator_lists_every_sandbox_line_with_paging_headers(client):
    listed = client.get(PRODUCTS, headers=OPERATOR, params={"limit": 100})
    assert {*BLUEBONNET_LINES, GULF_LINE} <= set(ids(listed))
    assert listed.headers["X-Total-Count"] == str(len(listed.json()))
    page = client.get(PRODUCTS, headers=OPERATOR, params={"limit": 2, "offset": 1})
    assert page.headers["X-Result-Count"] == "2"
    assert page.headers["X-Total-Count"] == listed.headers["X-Total-Count"]
    assert ids(page) == ids(listed)[1:3]


def test_a_line_is_a_product_with_its_status_offering_account_and_features(client):
    line = client.get(f"{PRODUCTS}/1234567891", headers=OPERATOR)
    assert line.status_code == 200, line.text
    body = line.json()
    assert body["href"].endswith(f"{PRODUCTS}/1234567891")
    assert body["@type"] == "Product" and body["status"] == "active"
    assert body["productOffering"]["id"] == "business-unlimited-elite"
    assert body["billingAccount"]["id"] == "81730304"
    assert body["relatedParty"][0]["id"] == "bcu_bluebonnet_bank"
    features = {c["name"]: c["value"] for c in body["productCharacteristic"]}["features"]
    assert {f["sku"] for f in features} == {"sku12037300025", "sku12037300033"}
    statuses = {
        p["id"]: p["status"]
        for p in client.get(PRODUCTS, headers=OPERATOR, params={"limit": 100}).json()
    }
    assert statuses["1234567892"] == "suspended"
    assert statuses["1234567893"] == "terminated"


def test_filters_and_fields(client):
    suspended = client.get(PRODUCTS, headers=OPERATOR, params={"status": "suspended"})
    assert ids(suspended) == ["1234567892"]
    both = client.get(PRODUCTS, headers=OPERATOR, params={"status": "suspended,terminated"})
    assert ids(both) == ["1234567892", "1234567893"]
    assert ids(client.get(PRODUCTS, headers=OPERATOR, params={"status": "aborted"})) == []
    of_gulf = client.get(
        PRODUCTS, headers=OPERATOR, params={"relatedParty.id": "bcu_gulf_coast_shipping"}
    )
    assert ids(of_gulf) == [GULF_LINE]
    data_only = client.get(
        PRODUCTS, headers=OPERATOR, params={"productOffering.id": "business-data-only"}
    )
    assert ids(data_only) == ["1234567893", "1234567894"]
    assert ids(
        client.get(PRODUCTS, headers=OPERATOR, params={"billingAccount.id": "81730312"})
    ) == [GULF_LINE]
    slim = client.get(
        PRODUCTS, headers=OPERATOR, params={"fields": "status", "unknown": "ignored"}
    ).json()
    assert set(slim[0]) == {"id", "href", "@type", "status"}
    one = client.get(f"{PRODUCTS}/{GULF_LINE}", headers=OPERATOR, params={"fields": "name"})
    assert set(one.json()) == {"id", "href", "@type", "name"}


def test_a_partner_sees_the_lines_of_its_accounts_only(client):
    partner = partner_headers(client)
    assert set(ids(client.get(PRODUCTS, headers=partner, params={"limit": 100}))) == set(
        BLUEBONNET_LINES
    )
    tmf_error(client.get(f"{PRODUCTS}/{GULF_LINE}", headers=partner), 404, "product_not_found")
    other = partner_headers(client, SANDBOX_CLIENT_B)
    assert ids(client.get(PRODUCTS, headers=other)) == [GULF_LINE]
    tmf_error(client.get(f"{PRODUCTS}/1234567890", headers=other), 404)


def test_a_consumer_sees_the_line_their_direct_order_added(client):
    alex = sign_in(client)
    assert ids(client.get(PRODUCTS, headers=alex)) == []
    order = ready_order(client, alex)
    submitted = client.post(f"{BASE}/v1/order/submit", json={"orderId": order["id"]}, headers=alex)
    assert submitted.status_code == 200, submitted.text
    mine = client.get(PRODUCTS, headers=alex).json()
    assert len(mine) == 1
    line = mine[0]
    assert line["status"] == "pendingActive"
    assert line["relatedParty"][0]["id"] == "cus_alex_bell"
    assert line["productOrderItem"][0]["productOrderId"] == order["id"]
    assert line["productOffering"]["id"] == "plan-unlimited-extra"
    assert client.get(f"{PRODUCTS}/{line['id']}", headers=alex).json()["id"] == line["id"]
    # Operations see it too; another consumer and the partners do not.
    assert line["id"] in ids(client.get(PRODUCTS, headers=OPERATOR, params={"limit": 100}))
    tmf_error(client.get(f"{PRODUCTS}/{line['id']}", headers=sign_in(client, "4695550111")), 404)
    tmf_error(client.get(f"{PRODUCTS}/{line['id']}", headers=partner_headers(client)), 404)
    tmf_error(client.get(f"{PRODUCTS}/1234567890", headers=alex), 404)


def test_products_change_through_orders(client):
    for response in (
        client.post(PRODUCTS, json={"name": "x"}, headers=OPERATOR),
        client.patch(f"{PRODUCTS}/1234567890", json={"status": "suspended"}, headers=OPERATOR),
        client.delete(f"{PRODUCTS}/1234567890", headers=OPERATOR),
    ):
        body = tmf_error(response, 405, "products_change_through_orders")
        assert "TMF622" in body["message"]
        assert response.headers["allow"] == "GET"
    tmf_error(client.get(PRODUCTS), 401)


def test_an_onboarded_service_is_a_product_of_its_provider(client, database):
    partner = partner_headers(client)
    account = new_account(client, partner)
    with database.transaction() as session:
        inventory.ensure_account(
            session,
            number=account["number"],
            kind="serviceProvider",
            name="Casey Jones",
            customer_id=account["id"],
        )
        inventory.grant_access(session, account_number=account["number"], partner_id="prt_sandbox")
        created = provisioned.add_package(
            session,
            account_number=account["number"],
            package_id="home-essentials",
            package_plan_id="home-essentials-12",
            term_months=12,
            services=[provisioned.NewService("internet", {"speed": "1G"}, ["static-ip"], [], [])],
            source_order_id="ord_onboarding",
        )
    service_id = created.service_ids[0]
    service = client.get(f"{PRODUCTS}/{service_id}", headers=partner)
    assert service.status_code == 200, service.text
    body = service.json()
    assert body["status"] == "pendingActive"
    assert body["productOffering"]["id"] == "home-essentials"
    assert body["productSpecification"]["id"] == "internet"
    assert body["relatedParty"][0]["id"] == account["id"]
    assert body["productOrderItem"][0]["productOrderId"] == "ord_onboarding"
    assert ids(
        client.get(PRODUCTS, headers=partner, params={"relatedParty.id": account["id"]})
    ) == [service_id]
    tmf_error(
        client.get(f"{PRODUCTS}/{service_id}", headers=partner_headers(client, SANDBOX_CLIENT_B)),
        404,
    )
    with database.transaction() as session:
        provisioned.activate_service(session, service_id=service_id)
    assert client.get(f"{PRODUCTS}/{service_id}", headers=OPERATOR).json()["status"] == "active"


def test_a_prospect_has_no_products(client):
    prospect = sign_in(client, random_phone())
    assert ids(client.get(PRODUCTS, headers=prospect)) == []
    tmf_error(client.get(f"{PRODUCTS}/1234567890", headers=prospect), 404)


def test_a_consumers_and_a_partners_lists_read_their_own_accounts_only(client, database):
    alex, partner = sign_in(client), partner_headers(client)
    order = ready_order(client, alex)
    submitted = client.post(f"{BASE}/v1/order/submit", json={"orderId": order["id"]}, headers=alex)
    assert submitted.status_code == 200, submitted.text
    with union_plans(database) as plans:
        for headers in (alex, partner):
            assert len(ids(client.get(PRODUCTS, headers=headers))) >= 1
        assert client.get(f"{PRODUCTS}/{BLUEBONNET_LINES[0]}", headers=partner).status_code == 200
    assert len(plans) == 5  # a count and a page per list, one retrieve
    for plan in plans:
        # Every line and service is found by its account (or its id), none scanned.
        assert "SCAN subscribers" not in plan and "SCAN inventory_services" not in plan, plan
