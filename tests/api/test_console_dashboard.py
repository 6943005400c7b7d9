"""The console's dashboard over HTTP: its figures move when an order is made, its live
part is a fragment of the same figures, and its chart can be read without seeing it."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from orderhub.ledger import activity
from orderhub.surfaces.console import dashboard_views
from tests.api.console import sign_in
from tests.helpers import create_order
from tests.helpers import sign_in as consumer_sign_in


def _stat(html: str, label: str) -> int:
    found = re.search(rf"<dt>{re.escape(label)}</dt><dd class=\"stat\">(\d+)</dd>", html)
    assert found, f"no {label!r} on the dashboard"
    return int(found.group(1))


def _hour_total(html: str) -> int:
    found = re.search(r"<desc id=\"chart-desc\">(\d+) orders in the last 24 hours", html)
    assert found
    return int(found.group(1))


def test_the_dashboard_counts_an_order_as_soon_as_it_is_made(client):
    sign_in(client, "ops-viewer")
    before = client.get("/console/").text
    today, week, hours = (
        _stat(before, "Today (UTC)"),
        _stat(before, "This week (UTC)"),
        _hour_total(before),
    )

    order = create_order(client, consumer_sign_in(client))

    after = client.get("/console/")
    assert after.status_code == 200
    assert _stat(after.text, "Today (UTC)") == today + 1
    assert _stat(after.text, "This week (UTC)") == week + 1
    assert _hour_total(after.text) == hours + 1
    row = re.search(rf'<tr data-order="{order["id"]}">(.*?)</tr>', after.text, re.S)
    assert row and "badge-pending" in row.group(1) and ">direct<" in row.group(1)


def test_the_live_part_is_a_fragment_the_page_refreshes(client):
    sign_in(client)
    page = client.get("/console/").text
    assert 'hx-get="/console/dashboard/live"' in page and 'hx-trigger="every 5s"' in page
    assert "UTC days" in page

    order = create_order(client, consumer_sign_in(client))
    live = client.get("/console/dashboard/live", headers={"HX-Request": "true"})

    assert live.status_code == 200 and "<html" not in live.text and "<h1" not in live.text
    assert f'data-order="{order["id"]}"' in live.text
    assert live.headers["cache-control"] == "no-store"


def test_the_chart_is_an_image_with_a_text_alternative_and_its_numbers(client):
    sign_in(client)
    html = client.get("/console/").text
    assert '<svg class="chart"' in html and 'role="img"' in html
    assert 'aria-labelledby="chart-title chart-desc"' in html and '<title id="chart-title">' in html
    # The numbers behind the bars, in a table, one row per hour.
    hours = re.search(r"<summary>The numbers per hour</summary>(.*?)</table>", html, re.S)
    assert hours and hours.group(1).count("<tr>") == 1 + activity.HOURS


def test_each_queue_shows_its_oldest_item_and_the_outbox_its_health(client):
    sign_in(client)
    html = client.get("/console/").text
    for anchor in ("exceptions", "jeopardy", "care", "webhooks"):
        assert f'href="/console/queues#{anchor}"' in html
    assert "Events not yet dispatched" in html and "Webhook failure rate, last 24 h" in html


def test_the_dashboard_needs_a_signed_in_user(client):
    for path in ("/console/", "/console/dashboard/live"):
        answer = client.get(path, follow_redirects=False)
        assert answer.status_code == 303 and "/console/sign-in" in answer.headers["location"]


def test_utc_days_and_weeks_start_at_midnight_and_on_monday():
    # A Sunday evening: the week began six days before, on Monday 00:00 UTC.
    since = activity.period(datetime(2026, 12, 6, 23, 30, tzinfo=UTC))
    assert since.today == datetime(2026, 12, 6, tzinfo=UTC)
    assert since.week == datetime(2026, 11, 30, tzinfo=UTC)


def test_the_bars_scale_to_the_busiest_hour():
    start = datetime(2026, 12, 7, tzinfo=UTC)
    hours = [activity.Hour(start.replace(hour=h), 4 if h == 5 else 1) for h in range(24)]
    chart = dashboard_views.chart(hours)
    tallest = max(chart.bars, key=lambda b: b.height)
    assert chart.peak == 4 and tallest.count == 4 and chart.total == 27
    assert tallest.height == round(4 * min(b.height for b in chart.bars), 1)
