"""The console's orders and search over HTTP: the one search box (every kind of id and
reference of every channel's orders, CTNs, customers by name, phone and e-mail), the
ledger list (filters, sorting, paging, counts per state) and an order's page (the
channel's view, the timeline, the outbox events and their deliveries), for each role."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import Select, event, insert, text

from orderhub.demo import consumer, onboarding
from orderhub.demo import partner as demo_partner
from orderhub.ledger import queries
from orderhub.ledger.states import Channel, OrderState
from tests.api.b2b_helpers import OPERATOR
from tests.api.care_helpers import POOLED, Partner, change
from tests.api.console import sign_in
from tests.outbox import dispatched

ORDERS = "/console/orders"


def _found(client, q: str):
    return client.get("/console/search", params={"q": q}, follow_redirects=False)


def _opens(client, q: str, order_id: str) -> None:
    answer = _found(client, q)
    assert answer.status_code == 303, (q, answer.status_code, answer.text[:300])
    assert answer.headers["location"] == f"/console/orders/{order_id}", q


def _references(client, order_id: str) -> dict[str, str]:
    view = client.get(f"/operator/v1/orders/{order_id}", headers=OPERATOR)
    assert view.status_code == 200, view.text
    return view.json()["references"]


def _text(html: str) -> str:
    """A page's words, without tags (for assertions that read like the page)."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_one_box_finds_orders_of_every_channel_by_any_reference(client, database) -> None:
    # Given a webhook of operations, and an order of each channel made by the demo flows.
    hook = client.post(
        "/operator/v1/webhooks",
        json={"url": "https://hooks.example/ops", "eventTypes": ["*"]},
        headers=OPERATOR,
    )
    assert hook.status_code == 201, hook.text
    direct = consumer.run(client)
    b2b = demo_partner.run(client)
    onboarded = onboarding.run(client)
    care = Partner(client)
    placed = care.place(change(udl=[{"type": "Cost Center", "value": "CC-2002"}]))
    while care.process():
        pass
    dispatched(database)
    sign_in(client)

    # Every id and reference opens its order, as typed or in the other case.
    _opens(client, direct["id"], direct["id"])
    _opens(client, direct["confirmationNumber"].lower(), direct["id"])
    ctn = direct["numbers"][0]["number"]
    _opens(client, f"({ctn[:3]}) {ctn[3:6]}-{ctn[6:]}", direct["id"])
    for order_id in (b2b["id"], onboarded["orderId"], placed["id"]):
        _opens(client, order_id.upper(), order_id)
        for kind, value in _references(client, order_id).items():
            if kind != "poNumber":  # the seed's PO number is every care order's
                _opens(client, value, order_id)
    assert {"quoteId", "opportunityId", "contractId", "acknowledgementId"} <= set(
        _references(client, b2b["id"])
    )
    assert {"accountNumber", "messageId"} <= set(
        _references(client, onboarded["orderId"]) | _references(client, placed["id"])
    )
    _opens(client, POOLED, placed["id"])  # the line the care order changed

    # Customers by name, e-mail and phone (the order ids are on their pages).
    for q, name in (
        ("alex bell", "Alex Bell"),
        ("Bell", "Alex Bell"),
        (" ALEX.BELL@example.com ", "Alex Bell"),
        ("+1 (214) 555-0100", "Alex Bell"),
        ("casey@example.com", "Casey Jones"),
        ("Casey Jones", "Casey Jones"),
        ("Red River Health", "Red River Health Partners"),  # the start of a name
        ("81730304", "Bluebonnet Bank"),  # a FAN
        ("900000000101", "Alex Bell"),  # a consumer's account number
        ("800000000341", "Red River Health Partners"),  # a business sub-account
    ):
        answer = _found(client, q)
        assert answer.status_code == 200, q
        assert name in answer.text, q
        assert "/console/customers/" in answer.text, q
    alex = _found(client, "alex.bell@example.com").text
    assert 'href="/console/customers/customer/cus_alex_bell"' in alex
    assert "alex.bell@example.com" in alex  # an agent sees contacts whole

    # Two orders under one reference: a list of both, not a redirect.
    again = care.place(change(udl=[{"type": "Cost Center", "value": "CC-2003"}]))
    both = _found(client, "PO-1")
    assert both.status_code == 200
    assert placed["id"] in both.text and again["id"] in both.text
    nothing = _found(client, "no-such-thing-42")
    assert nothing.status_code == 200
    assert "Nothing found for" in nothing.text

    # The order page: ledger facts, the channel's view, the timeline, the outbox.
    page = client.get(f"{ORDERS}/{b2b['id']}")
    assert page.status_code == 200
    shown = _text(page.text)
    assert "Timeline" in shown and "order.status_changed" in shown
    assert "Sub orders" in shown  # the channel's sub-orders as a table
    assert "ledger.order_opened" in shown and "ledger.status_changed" in shown
    assert "pending operations · 0 attempts" in shown  # queued for the operations webhook
    assert f'href="/console/customers/business_customer/{b2b["customerId"]}"' in page.text
    care_page = _text(client.get(f"{ORDERS}/{placed['id']}").text)
    assert "care_change.status_changed" in care_page  # published about the change itself
    assert "received → scheduled" in care_page or "received scheduled" in care_page
    assert "by worker" in care_page

    # A viewer sees the same pages with contacts masked; nobody sees an SSN or a card.
    sign_in(client, "ops-viewer")
    masked = _found(client, "alex.bell@example.com").text
    assert "a•••@example.com" in masked and "•••-•••-0100" in masked
    assert "<td>alex.bell@example.com</td>" not in masked
    consumer_page = client.get(f"{ORDERS}/{direct['id']}").text
    assert "2145550100" not in consumer_page and "•••-•••-0100" in consumer_page
    onboarding_page = client.get(f"{ORDERS}/{onboarded['orderId']}").text
    for secret in ("123-45-6789", "4242424242424242", "casey@example.com"):
        assert secret not in consumer_page + onboarding_page


def _ledger_rows(database, count: int = 30) -> list[dict]:
    """Ledger rows straight in the table: a shape of channels, states, partners, days."""
    now = datetime.now(UTC).replace(microsecond=0)
    channels = [Channel.DIRECT, Channel.PARTNER, Channel.CARE]
    rows = []
    for n in range(count):
        channel = channels[n % 3]
        owner = "customer:cus_alex_bell" if channel == Channel.DIRECT else "partner:prt_sandbox"
        rows.append(
            {
                "id": f"ord_t{n:03d}",
                "channel": channel,
                "owner": owner,
                "party_kind": "customer",
                "party_id": "cus_alex_bell",
                "status": "submitted",
                "state": OrderState.COMPLETED if n % 4 == 0 else OrderState.IN_PROGRESS,
                "currency": "USD",
                "monthly_cents": 100 * n,
                "one_time_cents": 0,
                "created_at": now - timedelta(days=count - n),
                # Updated in the opposite order to creation.
                "updated_at": now - timedelta(minutes=n),
            }
        )
    with database.transaction() as session:
        session.execute(insert(queries.ORDERS), rows)
    return rows


def _listed(html: str) -> list[str]:
    return re.findall(r'<a class="mono" href="/console/orders/([^"]+)"', html)


def test_the_list_filters_sorts_pages_and_counts(client, database) -> None:
    rows = _ledger_rows(database)
    sign_in(client, "ops-viewer")  # reading needs no more

    # Newest first, paged; the pager leads on with the same filters.
    first = client.get(ORDERS, params={"limit": 10})
    assert first.status_code == 200
    assert _listed(first.text) == [r["id"] for r in reversed(rows)][:10]
    assert "1\u201310 of 30" in first.text and 'rel="next"' in first.text
    second = client.get(ORDERS, params={"limit": 10, "offset": 10})
    assert _listed(second.text) == [r["id"] for r in reversed(rows)][10:20]
    oldest = client.get(ORDERS, params={"sort": "oldest", "limit": 5})
    assert _listed(oldest.text) == [r["id"] for r in rows][:5]
    updated = client.get(ORDERS, params={"sort": "updated", "limit": 5})
    assert _listed(updated.text) == [r["id"] for r in rows][:5]

    # Filters combine; counts per state are of the current filters, each a link.
    care = client.get(ORDERS, params={"channel": "care", "partner": "prt_sandbox"})
    listed = _listed(care.text)
    assert listed and all(rows[int(i[5:])]["channel"] == Channel.CARE for i in listed)
    assert len(listed) == 10
    links = re.findall(
        r'href="/console/orders\?([^"]+)"[^>]*>(\w+) <strong>(\d+)</strong>', care.text
    )
    counts = {state: n for href, state, n in links}
    assert all("channel=care" in href and "partner=prt_sandbox" in href for href, *_ in links)
    expected = {"completed": 0, "inProgress": 0}
    for r in rows:
        if r["channel"] == Channel.CARE:
            expected[r["state"]] += 1
    assert counts == {k: str(v) for k, v in expected.items()}
    held = client.get(ORDERS, params={"channel": "care", "state": "completed"})
    assert len(_listed(held.text)) == expected["completed"]
    assert 'aria-current="true">completed' in held.text
    consumers = client.get(ORDERS, params={"partner": "prt_sandbox", "channel": "direct"})
    assert _listed(consumers.text) == [] and "No order matches" in consumers.text

    # A created date range, whole UTC days, `to` included.
    day = rows[10]["created_at"].date()
    ranged = client.get(ORDERS, params={"from": day.isoformat(), "to": day.isoformat()})
    assert _listed(ranged.text) == ["ord_t010"]

    # Values no filter has are refused as a page, not ignored.
    for bad in ({"channel": "fax"}, {"from": "yesterday"}, {"sort": "random"}):
        answer = client.get(ORDERS, params=bad)
        assert answer.status_code == 422, bad
        assert answer.headers["content-type"].startswith("text/html")
    backwards = client.get(ORDERS, params={"from": "2026-12-02", "to": "2026-12-01"})
    assert backwards.status_code == 422


def test_an_unknown_order_is_the_404_page_and_search_needs_sign_in(client) -> None:
    assert _found(client, "x").status_code == 303  # to the sign-in page
    sign_in(client)
    missing = client.get(f"{ORDERS}/ord_nothing_here")
    assert missing.status_code == 404
    assert "Order not found" in missing.text and "text/html" in missing.headers["content-type"]
    empty = client.get("/console/search")
    assert empty.status_code == 200 and "Nothing found" not in empty.text
    assert client.get("/console/search", params={"q": "x" * 201}).status_code == 422


def _plan(database, statement: Select, params: dict) -> str:
    with database.engine.connect() as connection:
        explain = "EXPLAIN " if connection.dialect.name == "postgresql" else "EXPLAIN QUERY PLAN "

        @event.listens_for(connection, "before_cursor_execute", retval=True)
        def _explained(conn, cursor, sql, parameters, context, executemany):
            return explain + sql, parameters

        result = connection.execute(statement, params)
        return "\n".join(str(row) for row in result.cursor.fetchall())


def test_oldest_first_still_reads_the_channel_index(database) -> None:
    now = datetime(2026, 12, 7, tzinfo=UTC)
    rows = [
        {
            "id": f"ord_{n:05d}",
            "channel": Channel.ONBOARDING if n % 100 == 7 else Channel.DIRECT,
            "owner": "customer:c",
            "party_kind": "customer",
            "party_id": "c",
            "status": "completed",
            "state": OrderState.COMPLETED,
            "created_at": now - timedelta(minutes=n),
            "updated_at": now,
        }
        for n in range(3000)
    ]
    with database.engine.begin() as connection:
        connection.execute(insert(queries.ORDERS), rows)
        connection.execute(text("ANALYZE"))
    where = queries._Resolved(queries.OrderFilter(channel=Channel.ONBOARDING))
    plan = _plan(database, queries._page(where, limit=20, offset=0, sort=queries.Sort.OLDEST), {})
    assert "ix_orders_channel_created" in plan, plan
    assert "TEMP B-TREE" not in plan and "Sort" not in plan, plan


def test_what_no_role_sees_is_dropped_from_a_channel_s_view() -> None:
    from orderhub.surfaces.console.order_views import channel_detail, scrub

    class Viewer:
        role = "viewer"

    view = {
        "id": "ord_1",
        "ssn": "123-45-6789",
        "dateOfBirth": "1990-01-01",
        "portInPin": "1234",
        "card": {"number": "4242424242424242", "cvc": "123"},
        "contact": {"email": "casey@example.com", "phone": "2175550123"},
        "note": "4111 1111 1111 1111",
        "device": {"imei": "359194077165215"},
        "items": [{"id": "itm_1", "name": "Plan", "address": {"city": "DALLAS", "zip": None}}],
    }
    clean = scrub(view, Viewer())
    assert set(clean) == {"id", "contact", "note", "device", "items"}
    assert clean["contact"] == {"email": "c•••@example.com", "phone": "•••-•••-0123"}
    assert clean["note"] == "•••• 1111" and clean["device"]["imei"] == "359194077165215"
    detail = channel_detail(view, Viewer())
    assert ("Id", "ord_1") in detail.facts
    [items] = detail.tables
    assert items.headings == ["Id", "Name", "Address"] and items.rows == [
        ["itm_1", "Plan", "City: DALLAS"]
    ]
    assert "4242" not in detail.whole and "casey@" not in detail.whole


def test_a_business_is_found_by_the_start_of_its_name_even_with_digits(client) -> None:
    from orderhub.business.models import BusinessCustomer
    from orderhub.business.rules import name_key
    from orderhub.ids import new_id

    with client.app.state.runtime.database.transaction() as session:
        template = session.query(BusinessCustomer).first()
        session.add(
            BusinessCustomer(
                **{
                    c.key: getattr(template, c.key)
                    for c in BusinessCustomer.__table__.columns
                    if c.key not in ("id", "name", "name_key", "tax_id", "phone")
                },
                id=new_id("bcu"),
                name="7 Eleven Stores",
                name_key=name_key("7 Eleven Stores"),
                tax_id="987650001",
                phone=None,
            )
        )
    sign_in(client)
    for typed in ("7 Eleven", "7 elev"):
        page = client.get("/console/search", params={"q": typed})
        assert page.status_code == 200 and "7 Eleven Stores" in page.text, typed
