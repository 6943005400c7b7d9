"""GET /metrics, scraped before and after real flows: the counters move."""

from __future__ import annotations

import dataclasses

from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from orderhub import demo, metrics
from orderhub.app import create_app
from orderhub.demo import partner as demo_partner
from tests.helpers import is_problem


def _scrape(client) -> dict[tuple[str, tuple], float]:
    response = client.get("/metrics")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    samples = {}
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def _value(samples, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_metrics_move_after_a_consumer_and_a_partner_flow(client, monkeypatch):
    monkeypatch.setattr(metrics, "STORE_CACHE_SECONDS", 0)  # read the store on each scrape
    before = _scrape(client)

    order = demo.run(client)
    demo_partner.run(client)

    after = _scrape(client)
    route = "/msapi/order/v1/order/submit"
    assert (
        _value(after, "orderhub_http_requests_total", method="POST", route=route, status="200")
        == _value(before, "orderhub_http_requests_total", method="POST", route=route, status="200")
        + 1
    )
    assert _value(
        after, "orderhub_http_request_duration_seconds_count", method="POST", route=route
    ) > _value(before, "orderhub_http_request_duration_seconds_count", method="POST", route=route)
    # Store gauges: the submitted consumer order and the partner's order are counted.
    assert _value(after, "orderhub_orders", channel="direct", status=order["status"]) >= 1
    assert (
        sum(
            value
            for (name, labels), value in after.items()
            if name == "orderhub_orders" and ("channel", "partner") in labels
        )
        >= 1
    )
    assert ("orderhub_webhook_backlog", ()) in after
    # No worker runs here: the flows' events wait for the dispatcher.
    assert (
        _value(after, "orderhub_outbox_undispatched")
        >= _value(before, "orderhub_outbox_undispatched") + 5
    )
    assert ("orderhub_care_changes_due", ()) in after
    # Routes are templates: no order id ever appears in a label.
    assert order["id"] not in client.get("/metrics").text


def test_refused_sign_ins_and_database_connections_are_counted(client):
    before = _scrape(client)
    wrong = client.post(
        "/msapi/order/v1/auth",
        json={"method": "password", "username": "alex.bell@example.com", "password": "nope"},
    )
    assert is_problem(wrong, 401, "invalid_credentials")
    after = _scrape(client)
    route = "/msapi/order/v1/auth"
    assert (
        _value(after, "orderhub_http_requests_total", method="POST", route=route, status="401")
        == _value(before, "orderhub_http_requests_total", method="POST", route=route, status="401")
        + 1
    )
    assert ("orderhub_db_connections_in_use", ()) in after


def test_a_metrics_token_keeps_metrics_private(settings):
    app = create_app(dataclasses.replace(settings, metrics_token="scrape-me-please-0123456789"))
    with TestClient(app, raise_server_exceptions=False) as client:
        assert is_problem(client.get("/metrics"), 401, "unauthorized")
        wrong = client.get("/metrics", headers={"Authorization": "Bearer nope"})
        assert is_problem(wrong, 401, "unauthorized")
        right = client.get(
            "/metrics", headers={"Authorization": "Bearer scrape-me-please-0123456789"}
        )
        assert right.status_code == 200
        assert "orderhub_http_requests_total" in right.text
