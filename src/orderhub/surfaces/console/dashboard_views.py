"""The dashboard's figures, read in a few aggregate statements, and shaped for its
page: orders per channel and state (UTC today and this UTC week), an SVG bar chart of
orders per hour over the last 24 hours, the oldest item of each work queue, the outbox's
backlog and the webhook failure rate, and the newest orders."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from orderhub.ledger import activity
from orderhub.ledger.states import Channel, OrderState
from orderhub.surfaces.console import queue_views
from orderhub.webhooks import queue as webhook_queue

NEWEST = 12
CHANNELS = [c.value for c in Channel]
STATES = [s.value for s in OrderState]
# The chart's geometry (SVG user units; the CSS scales it to the card's width).
WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 720, 200, 34, 26, 12


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    count: int
    start: datetime
    label: str | None  # the hour written under every few bars


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: list[Bar]
    peak: int  # the y axis' top
    baseline: float
    left: int
    total: int


def chart(hours: list[activity.Hour]) -> Chart:
    """Bars of orders per hour, scaled to the busiest hour (at least 1)."""
    peak = max([1] + [h.count for h in hours])
    plot_w = WIDTH - LEFT - 6
    plot_h = HEIGHT - TOP - BOTTOM
    step = plot_w / len(hours)
    bars = []
    for i, hour in enumerate(hours):
        height = plot_h * hour.count / peak
        bars.append(
            Bar(
                x=round(LEFT + i * step + 2, 1),
                y=round(TOP + plot_h - height, 1),
                width=round(step - 4, 1),
                height=round(height, 1),
                count=hour.count,
                start=hour.start,
                label=hour.start.strftime("%H:00") if i % 3 == 0 else None,
            )
        )
    total = sum(h.count for h in hours)
    return Chart(WIDTH, HEIGHT, bars, peak, TOP + plot_h, LEFT, total)


def _counts(rows: list[Any]) -> dict[str, Any]:
    """Per channel: its states' counts today and this week, and its totals."""
    table: dict[str, dict[str, Any]] = {}
    for row in rows:
        channel = table.setdefault(row.channel, {"states": {}, "today": 0, "week": 0})
        channel["states"][row.state] = (int(row.today or 0), int(row.week))
        channel["today"] += int(row.today or 0)
        channel["week"] += int(row.week)
    ordered = [c for c in CHANNELS if c in table] + sorted(set(table) - set(CHANNELS))
    states = [s for s in STATES if any(s in table[c]["states"] for c in ordered)]
    return {
        "channels": [(c, table[c]) for c in ordered],
        "states": states,
        "today": sum(t["today"] for t in table.values()),
        "week": sum(t["week"] for t in table.values()),
    }


def snapshot(session: Session, *, now: datetime) -> dict[str, Any]:
    """Everything the dashboard shows, as of `now`."""
    health = webhook_queue.health(session, now=now)
    return {
        "now": now,
        "period": activity.period(now),
        "counts": _counts(activity.counts(session, now=now)),
        "chart": chart(activity.per_hour(session, now=now)),
        "queues": queue_views.summaries(session),
        "health": health,
        "failure_rate": (
            None if health.failure_rate is None else f"{health.failure_rate * 100:.1f} %"
        ),
        "newest": activity.newest(session, limit=NEWEST),
        "age": queue_views.age,
    }
