"""The seed-001 sequence through HTTP, step by step, and the order it leaves behind."""

from __future__ import annotations

from tests.helpers import (
    ALEX_PHONE,
    BASE,
    create_order,
    credit_body,
    fulfillment_body,
    reserve_any,
    sign_in,
)


def test_whole_sequence_submits_an_order_with_its_history(client):
    headers = sign_in(client)
    customer = client.get(
        f"{BASE}/v1/customers", params={"phone": ALEX_PHONE}, headers=headers
    ).json()["customers"][0]
    assert customer["id"] == "cus_alex_bell"

    order = create_order(client, headers, customerId=customer["id"])
    assert order["status"] == "draft"
    assert order["totals"] == {"monthly": "60.00", "oneTime": "649.99", "currency": "USD"}
    oid = order["id"]

    decision = client.post(
        f"{BASE}/v1/order/{oid}/credit.submit", json=credit_body(), headers=headers
    )
    assert decision.status_code == 200
    assert decision.json()["decision"] == "approved"
    assert (
        client.post(
            f"{BASE}/v1/order/{oid}/fulfillment",
            json=fulfillment_body(termsAndConditions=None),
            headers=headers,
        ).status_code
        == 200
    )
    reserve_any(client, headers, order)

    not_yet = client.get(f"{BASE}/V1/order/{oid}/validate", headers=headers).json()
    assert not_yet["valid"] is False
    assert [p["code"] for p in not_yet["problems"]] == ["terms_not_accepted"]

    accepted = client.patch(
        f"{BASE}/v1/order/{oid}/fulfillment",
        json={"termsAndConditions": {"accepted": True, "version": "2026-01"}},
        headers=headers,
    )
    assert accepted.status_code == 200
    assert accepted.json()["termsAndConditions"]["accepted"] is True
    assert client.get(f"{BASE}/v1/order/{oid}/validate", headers=headers).json() == {
        "orderId": oid,
        "valid": True,
        "problems": [],
    }

    submitted = client.post(f"{BASE}/v1/order/submit", json={"orderId": oid}, headers=headers)
    assert submitted.status_code == 200
    assert submitted.json()["status"] == "submitted"
    assert submitted.json()["confirmationNumber"].startswith("OH")

    final = client.get(f"{BASE}/v1/order/{oid}", headers=headers).json()
    assert final["status"] == "submitted"
    assert final["credit"]["decision"] == "approved"
    assert final["fulfillment"]["addressValidation"]["valid"] is True
    assert [n["status"] for n in final["numbers"]] == ["assigned"]
    assert [e["type"] for e in final["events"]] == [
        "order.created",
        "credit.decided",
        "fulfillment.created",
        "number.reserved",
        "fulfillment.updated",
        "order.submitted",
    ]
    assert {e["actor"] for e in final["events"]} == {"cus_alex_bell"}


def test_a_submitted_orders_numbers_become_preactive_lines_then_active_when_completed(client):
    from orderhub.ids import utcnow
    from orderhub.inventory import service as inventory
    from orderhub.orders.service import ORDERS
    from tests.helpers import create_order as new_order
    from tests.helpers import credit_body as credit
    from tests.helpers import fulfillment_body as fulfillment

    headers = sign_in(client)
    order = new_order(client, headers)
    order_id = order["id"]
    client.post(f"{BASE}/v1/order/{order_id}/credit.submit", json=credit(), headers=headers)
    client.post(f"{BASE}/v1/order/{order_id}/fulfillment", json=fulfillment(), headers=headers)
    number = reserve_any(client, headers, order)
    assert (
        client.post(
            f"{BASE}/v1/order/submit", json={"orderId": order_id}, headers=headers
        ).status_code
        == 200
    )

    with client.app.state.runtime.database.transaction(write=False) as session:
        line = session.execute(
            inventory.SUBSCRIBERS.select().where(inventory.SUBSCRIBERS.c.ctn == number)
        ).one()
        history = inventory.history_of(session, ctn=number)
    assert (line.status, line.source_order_id, line.account_number) == (
        "preActive",
        order_id,
        "900000000101",  # Alex Bell's wireless account
    )
    assert line.rate_plan_id.startswith("plan-")
    assert [(e.type, e.data["orderId"]) for e in history] == [("subscriber.created", order_id)]

    # Fulfilment done: the order completes and its line goes live.
    from orderhub.orders import lifecycle
    from orderhub.orders.states import OrderStatus

    with client.app.state.runtime.database.transaction() as session:
        for target in (OrderStatus.IN_FULFILLMENT, OrderStatus.COMPLETED):
            order_row = session.execute(ORDERS.select().where(ORDERS.c.id == order_id)).one()
            lifecycle.change_status(session, order=order_row, target=target, actor="test")
    with client.app.state.runtime.database.transaction(write=False) as session:
        line = session.execute(
            inventory.SUBSCRIBERS.select().where(inventory.SUBSCRIBERS.c.ctn == number)
        ).one()
        history = inventory.history_of(session, ctn=number)
    assert (line.status, line.activated_on) == ("active", utcnow().date())
    assert [e.type for e in history] == ["subscriber.created", "subscriber.activated"]


def test_a_cancelled_orders_number_can_be_sold_again(client):
    from tests.helpers import create_order as new_order
    from tests.helpers import credit_body as credit
    from tests.helpers import fulfillment_body as fulfillment

    headers = sign_in(client)

    def submit_with(number: str | None = None) -> tuple[str, str]:
        order = new_order(client, headers)
        oid = order["id"]
        client.post(f"{BASE}/v1/order/{oid}/credit.submit", json=credit(), headers=headers)
        client.post(f"{BASE}/v1/order/{oid}/fulfillment", json=fulfillment(), headers=headers)
        if number is None:
            number = reserve_any(client, headers, order)
        else:
            item = next(i for i in order["items"] if i["lines"])
            reserved = client.patch(
                f"{BASE}/v1/order/{oid}/number.reserve",
                json={"number": number, "itemId": item["id"]},
                headers=headers,
            )
            assert reserved.status_code == 200, reserved.text
        submitted = client.post(f"{BASE}/v1/order/submit", json={"orderId": oid}, headers=headers)
        assert submitted.status_code == 200, submitted.text
        return oid, number

    first, number = submit_with()
    cancelled = client.post(f"{BASE}/v1/order/{first}/cancel", headers=headers)
    assert cancelled.status_code == 200, cancelled.text
    second, again = submit_with(number)
    assert again == number

    from orderhub.inventory import service as inventory

    with client.app.state.runtime.database.transaction(write=False) as session:
        line = session.execute(
            inventory.SUBSCRIBERS.select().where(inventory.SUBSCRIBERS.c.ctn == number)
        ).one()
    assert (line.source_order_id, line.status) == (second, "preActive")
