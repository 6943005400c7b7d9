"""The order ledger through `/operator/v1/orders`: every channel's orders in one list,
each walked through its life with the ledger's common state, the operator's view, the
history and the ledger's outbox events (`GET /operator/v1/events`) checked at every step."""

from __future__ import annotations

from orderhub import demo
from orderhub.demo import onboarding as demo_onboarding
from orderhub.demo import partner as demo_partner
from orderhub.ids import utcnow
from orderhub.orders import lifecycle
from orderhub.orders import service as consumer_orders
from orderhub.orders.states import OrderStatus
from tests.api.b2b_helpers import B2B, OPERATOR, draft_order, enrichment, partner_headers
from tests.api.care_helpers import Partner, change
from tests.helpers import is_problem
from tests.outbox import eventually

OPS = "/operator/v1/orders"
EVENTS = "/operator/v1/events"


def _ledger(client, order_id: str) -> dict:
    response = client.get(f"{OPS}/{order_id}", headers=OPERATOR)
    assert response.status_code == 200, response.text
    return response.json()


def _history_types(view: dict) -> list[str]:
    return [e["type"] for e in view["history"]]


def _stream(client) -> list[dict]:
    """Every event operations can poll, page by page."""
    found, after = [], None
    while True:
        params = {"limit": 200} | ({"after": after} if after else {})
        page = client.get(EVENTS, params=params, headers=OPERATOR)
        assert page.status_code == 200, page.text
        found += page.json()["events"]
        if not page.json()["events"]:
            return found
        after = page.json()["nextAfter"]


def _ledger_events(client, order_id: str, count: int) -> list[dict]:
    """The order's `ledger.*` events in the operations stream, once there are `count`
    (the stream shows an event once older transactions have ended: tests/outbox.py)."""

    def read() -> list[dict]:
        found = [
            e
            for e in _stream(client)
            if e["subject"] == order_id and e["type"].startswith("ledger.")
        ]
        return found if len(found) >= count else []

    found = eventually(read, f"{count} ledger events of {order_id}")
    assert len(found) == count, found
    return found


def _opened(event: dict, owner: str, channel: str, status: str, state: str) -> None:
    assert (event["type"], event["owner"]) == ("ledger.order_opened", owner)
    assert event["data"]["orderId"] == event["subject"]
    assert (event["data"]["channel"], event["data"]["status"], event["data"]["state"]) == (
        channel,
        status,
        state,
    )


def _moved(event: dict, owner: str, moves: tuple[str, str], states: tuple[str, str]) -> None:
    """A `ledger.status_changed` event of `owner`: (previous, status) and their states."""
    data = event["data"]
    assert (event["type"], event["owner"]) == ("ledger.status_changed", owner)
    assert (data["previousStatus"], data["status"]) == moves
    assert (data["previousState"], data["state"]) == states
    assert data["changedAt"]


def test_a_consumer_order_walks_through_the_ledger(client, database):
    order = demo.run(client)  # draft ... submitted
    view = _ledger(client, order["id"])
    assert (view["channel"], view["status"], view["state"]) == (
        "direct",
        "submitted",
        "acknowledged",
    )
    assert view["owner"] == {"kind": "customer", "id": "cus_alex_bell"}
    assert view["party"] == {"kind": "customer", "id": "cus_alex_bell"}
    assert view["references"] == {"confirmationNumber": order["confirmationNumber"]}
    assert view["submittedAt"] and view["completedAt"] is None
    assert view["requestedDate"]  # the fulfillment's requested date
    assert view["detail"]["id"] == order["id"] and view["detail"]["status"] == "submitted"
    assert _history_types(view)[0] == "order.created" and "order.submitted" in _history_types(view)
    owner = "customer:cus_alex_bell"
    opened, submitted = _ledger_events(client, order["id"], 2)
    _opened(opened, owner, "direct", "draft", "pending")
    _moved(submitted, owner, ("draft", "submitted"), ("pending", "acknowledged"))

    for step, (target, state, before) in enumerate(
        (
            (OrderStatus.IN_FULFILLMENT, "inProgress", ("submitted", "acknowledged")),
            (OrderStatus.COMPLETED, "completed", ("inFulfillment", "inProgress")),
        )
    ):
        with database.transaction() as session:
            row = consumer_orders.lock_for_operator(session, order_id=order["id"])
            lifecycle.change_status(session, order=row, target=target, actor="operator:test")
        view = _ledger(client, order["id"])
        assert (view["status"], view["state"]) == (target, state)
        last = view["history"][-1]
        assert (last["fromStatus"], last["toStatus"]) == (before[0], target)
        event = _ledger_events(client, order["id"], 3 + step)[-1]
        _moved(event, owner, (before[0], target), (before[1], state))
    assert view["completedAt"]


def test_a_partner_order_s_every_step_publishes_its_ledger_event(client):
    headers = partner_headers(client)
    owner = "partner:prt_sandbox"
    order = draft_order(client, headers)
    [opened] = _ledger_events(client, order["id"], 1)
    _opened(opened, owner, "partner", "draft", "pending")
    url = f"{B2B}/orders/{order['id']}"
    assert client.patch(url, json=enrichment(), headers=headers).status_code == 200
    assert client.post(f"{url}/submit", headers=headers).status_code == 200
    events = _ledger_events(client, order["id"], 2)
    _moved(events[-1], owner, ("draft", "submitted"), ("pending", "acknowledged"))
    status, count = "submitted", 2
    while status != "completed":
        moved = client.post(f"/sandbox/v1/b2b/orders/{order['id']}/advance", headers=headers)
        assert moved.status_code == 200, moved.text
        if moved.json()["status"] == status:
            continue  # a milestone of sub-orders that leaves the order where it was
        previous, status, count = status, moved.json()["status"], count + 1
        event = _ledger_events(client, order["id"], count)[-1]
        assert (event["data"]["previousStatus"], event["data"]["status"]) == (previous, status)
        assert event["owner"] == owner
        assert _ledger(client, order["id"])["state"] == event["data"]["state"]
    # The partner polls them among its own events, beside the B2B `order.status_changed`.
    polled = client.get(f"{B2B}/events", params={"limit": 200}, headers=headers).json()
    mine = [e for e in polled["events"] if e["subject"] == order["id"]]
    assert [e["type"] for e in mine if e["type"].startswith("ledger.")] == [
        "ledger.order_opened"
    ] + ["ledger.status_changed"] * (count - 1)
    assert sum(e["type"] == "order.status_changed" for e in mine) == count - 1


def test_a_partner_order_walks_through_the_ledger(client):
    order = demo_partner.run(client)  # token ... completed, through the sandbox milestones
    view = _ledger(client, order["id"])
    assert (view["channel"], view["status"], view["state"]) == ("partner", "completed", "completed")
    assert view["owner"] == {"kind": "partner", "id": "prt_sandbox"}
    assert view["party"]["kind"] == "business_customer"
    assert {"quoteId", "opportunityId", "contractId", "acknowledgementId"} <= set(
        view["references"]
    )
    assert view["totals"]["monthly"] == order["totals"]["monthly"]
    # Every milestone is in the one history, with the sub-orders' own rows.
    moves = [
        (e["fromStatus"], e["toStatus"])
        for e in view["history"]
        if e["type"] == "order.status_changed"
    ]
    assert moves[0] == ("draft", "submitted") and moves[-1][1] == "completed"
    assert any(e["subjectId"] for e in view["history"])
    assert view["detail"]["acknowledgementId"] == view["references"]["acknowledgementId"]


def test_an_onboarding_order_walks_through_the_ledger(client):
    result = demo_onboarding.run(client)
    view = _ledger(client, result["orderId"])
    assert (view["channel"], view["status"], view["state"]) == (
        "onboarding",
        "submitted",
        "completed",
    )
    assert view["party"]["kind"] == "onboarding_account"
    assert view["submittedAt"] and view["submittedAt"] == view["completedAt"]
    assert "packageSubscriptionId" in view["references"]
    types = _history_types(view)
    assert types[0] == "order.started" and types[-1] == "order.submitted"
    assert view["detail"]["status"] == "submitted"
    # One event as the order opened and one per step: SQs, package, submit.
    owner = "partner:prt_sandbox"
    opened, *moves = _ledger_events(client, result["orderId"], 4)
    _opened(opened, owner, "onboarding", "started", "pending")
    for event, step, states in zip(
        moves,
        (
            ("started", "qualified"),
            ("qualified", "packageSelected"),
            ("packageSelected", "submitted"),
        ),
        (("pending", "pending"), ("pending", "pending"), ("pending", "completed")),
        strict=True,
    ):
        _moved(event, owner, step, states)


def test_a_care_order_walks_through_the_ledger(client):
    partner = Partner(client)
    placed = partner.place(change(udl=[{"type": "Cost Center", "value": "CC-2002"}]))
    view = _ledger(client, placed["id"])
    assert (view["channel"], view["status"], view["state"]) == ("care", "received", "acknowledged")
    assert view["party"] == {"kind": "fan", "id": "81730304"}
    assert "messageId" in view["references"]
    owner = "partner:prt_sandbox"
    [opened] = _ledger_events(client, placed["id"], 1)
    _opened(opened, owner, "care", "received", "acknowledged")
    while partner.process(now=utcnow()):
        pass
    view = _ledger(client, placed["id"])
    assert (view["status"], view["state"]) == ("completed", "completed")
    moves = [(e["fromStatus"], e["toStatus"]) for e in view["history"]]
    assert moves[0] == (None, "received") and (moves[-1][1]) == "completed"
    # Each change's own moves are in the order's history too, naming the change.
    [change_id] = [c["id"] for c in view["detail"]["changeRequests"]]
    changed = [e for e in view["history"] if e["type"] == "care_change.status_changed"]
    assert [(e["subjectId"], e["fromStatus"], e["toStatus"], e["actor"]) for e in changed] == [
        (change_id, "received", "scheduled", "worker"),
        (change_id, "scheduled", "completed", "worker"),
    ]
    assert changed[0]["data"]["ctn"]
    # received -> scheduled -> completed: one event per move of the order.
    _, scheduled, completed = _ledger_events(client, placed["id"], 3)
    _moved(scheduled, owner, ("received", "scheduled"), ("acknowledged", "inProgress"))
    _moved(completed, owner, ("scheduled", "completed"), ("inProgress", "completed"))


def test_one_customer_s_orders_from_several_channels_in_one_list(client):
    partner = Partner(client)
    order = draft_order(client, partner.auth)  # a B2B order for Bluebonnet Bank
    # A care order on Bluebonnet Bank's FAN 81730304.
    care = partner.place(change(udl=[{"type": "Cost Center", "value": "CC-2002"}]))
    listed = client.get(OPS, params={"customer": "bcu_bluebonnet_bank"}, headers=OPERATOR)
    assert listed.status_code == 200, listed.text
    body = listed.json()
    assert {(o["id"], o["channel"]) for o in body["orders"]} >= {
        (order["id"], "partner"),
        (care["id"], "care"),
    }
    assert body["total"] == len(body["orders"])


def test_filters_paging_and_references(client):
    direct = demo.run(client)
    demo_partner.run(client)
    everything = client.get(OPS, params={"limit": 100}, headers=OPERATOR).json()
    assert everything["total"] == len(everything["orders"]) >= 2
    created = [o["createdAt"] for o in everything["orders"]]
    assert created == sorted(created, reverse=True)  # newest first
    # Stable pages: two pages of one are the first two of the whole list.
    first_page = client.get(OPS, params={"limit": 1}, headers=OPERATOR).json()
    assert first_page["total"] == everything["total"]  # counted, not the page's length
    first = first_page["orders"]
    second = client.get(OPS, params={"limit": 1, "offset": 1}, headers=OPERATOR).json()["orders"]
    assert [first[0]["id"], second[0]["id"]] == [o["id"] for o in everything["orders"][:2]]

    def ids(**params) -> set[str]:
        answer = client.get(OPS, params=params, headers=OPERATOR)
        assert answer.status_code == 200, answer.text
        return {o["id"] for o in answer.json()["orders"]}

    assert ids(channel="direct") == {
        o["id"] for o in everything["orders"] if o["channel"] == "direct"
    }
    assert direct["id"] in ids(state="acknowledged")
    assert direct["id"] not in ids(state="completed")
    assert ids(reference=direct["confirmationNumber"]) == {direct["id"]}
    number = direct["numbers"][0]["number"]
    assert ids(ctn=number) == {direct["id"]}
    assert ids(ctn=number, reference=direct["confirmationNumber"]) == {direct["id"]}
    assert ids(ctn=number, reference=direct["id"], channel="partner") == set()
    assert ids(reference="no-such-reference") == set()
    assert ids(partner="prt_sandbox") == {
        o["id"]
        for o in everything["orders"]
        if o["owner"] == {"kind": "partner", "id": "prt_sandbox"}
    }
    assert ids(createdFrom="2999-01-01T00:00:00Z") == set()
    assert ids(status="submitted", channel="direct") == {direct["id"]}


def test_the_operator_api_needs_the_operator_token_and_knows_every_id(client):
    headers = partner_headers(client)
    assert is_problem(client.get(OPS, headers=headers), 401, "invalid_token")
    assert is_problem(client.get(OPS), 401, "unauthorized")
    assert is_problem(
        client.get(f"{OPS}/ord_nosuchorder", headers=OPERATOR), 404, "order_not_found"
    )
    assert is_problem(
        client.get(OPS, params={"state": "shipped"}, headers=OPERATOR), 422, "validation_failed"
    )


def test_date_filters_need_an_offset_and_a_start_before_the_end(client):
    def rules(**params) -> dict[str, str]:
        answer = client.get(OPS, params=params, headers=OPERATOR)
        assert is_problem(answer, 422, "validation_failed")
        return {e["field"]: e["rule"] for e in answer.json()["errors"]}

    naive = rules(createdFrom="2026-12-01T00:00:00")
    assert list(naive) == ["createdFrom"]  # which zone it meant is not ours to guess
    assert rules(
        createdFrom="2026-12-02T00:00:00Z",
        createdTo="2026-12-01T00:00:00Z",
        updatedFrom="2026-12-01T00:00:00+01:00",
        updatedTo="2026-12-01T00:00:00Z",
    ) == {"createdFrom": "range_order"}  # +01:00 is an hour before Z: in order
    same = {"createdFrom": "2026-12-01T00:00:00Z", "createdTo": "2026-12-01T00:00:00Z"}
    assert client.get(OPS, params=same, headers=OPERATOR).status_code == 200


def test_the_cli_lists_and_shows_ledger_orders(client, database_url, monkeypatch):
    from typer.testing import CliRunner

    from orderhub.cli import app, console

    monkeypatch.setattr(console, "width", 200)  # a terminal wide enough for whole cells

    order = demo.run(client)
    runner = CliRunner()
    listed = runner.invoke(
        app, ["orders", "list", "--channel", "direct", "--database-url", database_url]
    )
    assert listed.exit_code == 0, listed.output
    assert order["id"] in listed.output and "acknowledged" in listed.output
    shown = runner.invoke(app, ["orders", "show", order["id"], "--database-url", database_url])
    assert shown.exit_code == 0, shown.output
    assert "order.submitted" in shown.output and order["confirmationNumber"] in shown.output
    missing = runner.invoke(
        app, ["orders", "show", "ord_nosuchorder", "--database-url", database_url]
    )
    assert missing.exit_code == 1
