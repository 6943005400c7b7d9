"""`orderhub bench --smoke`, as CI runs it so the benchmark never rots (never a timed test)."""

from __future__ import annotations

import json
import subprocess

from sqlalchemy import func, select

from orderhub.careorders.models import CareChange
from orderhub.ledger.models import Order
from orderhub.onboarding.models import OnboardingOrder
from orderhub.partner_orders.models import PartnerOrder
from orderhub.webhooks.models import WebhookSubscription
from tests.e2e.conftest import ORDERHUB

RESULT_KEYS = {
    "schema",
    "started_at",
    "backend",
    "workers",
    "buyers",
    "duration_seconds",
    "smoke",
    "server",
    "machine",
    "seed",
    "ratio_to_floor",
    "scenarios",
    "errors",
    "orders_checked",
    "lost_orders",
    "lost_order_ids",
    "warnings",
    "ok",
}
SCENARIO_KEYS = {
    "concurrency",
    "window_seconds",
    "calls",
    "calls_per_second",
    "errors",
    "error_samples",
    "server_cpu_ms_per_call",
    "server_cpu_cores",
    "loadgen_cpu_share",
    "endpoints",
}
ORDER_KEYS = {"orders", "orders_per_second", "server_cpu_ms_per_order"}
LATENCY_KEYS = {"count", "p50_ms", "p95_ms", "p99_ms"}


def _smoke_bench(backend, database_url, tmp_path, *options: str) -> dict:
    """`orderhub bench --smoke` with these options, as CI runs it; its result file."""
    results = tmp_path / "results"
    run = subprocess.run(
        [
            *(ORDERHUB, "bench", "--smoke", *options),
            *("--database-url", database_url, "--results-dir", str(results)),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    [path] = results.glob(f"*-{backend}-w1.json")
    return json.loads(path.read_text())


def test_smoke_bench_submits_whole_orders_without_errors_and_loses_none(
    backend, database_url, database, tmp_path
):
    result = _smoke_bench(backend, database_url, tmp_path)
    assert result.keys() >= RESULT_KEYS
    assert result["ok"] and result["errors"] == 0 and result["smoke"]
    assert set(result["scenarios"]) == {"orders", "floor", "reads"}
    for scenario in result["scenarios"].values():
        assert scenario.keys() >= SCENARIO_KEYS
        assert scenario["errors"] == 0 and scenario["calls"] > 0
        assert all(e.keys() >= LATENCY_KEYS for e in scenario["endpoints"].values())
    orders = result["scenarios"]["orders"]
    assert orders.keys() >= ORDER_KEYS
    assert orders["orders"] > 0 and orders["server_cpu_ms_per_order"] > 0
    assert "PATCH /v1/order/{id}/number.reserve" in orders["endpoints"]
    assert result["ratio_to_floor"] > 0
    assert result["lost_orders"] == 0 and result["orders_checked"] >= orders["orders"]

    # Checked here too, not only by the bench: its buyers' orders are in the database.
    with database.transaction(write=False) as session:
        submitted = session.scalar(
            select(func.count())
            .select_from(Order)
            .where(Order.customer_id.like("cus_bench_%"), Order.status == "submitted")
        )
    assert submitted >= result["orders_checked"]


CHANNELS = {"partner", "onboarding", "care", "webhooks"}
APPLY_KEYS = {"workers", "changes", "applied", "failed", "left", "seconds", "changes_per_second"}


def test_smoke_bench_runs_the_other_channels_without_errors(
    backend, database_url, database, tmp_path
):
    result = _smoke_bench(
        backend,
        database_url,
        tmp_path,
        "--duration",
        "1",
        "--scenarios",
        ",".join(sorted(CHANNELS)),
    )
    assert result["ok"] and result["errors"] == 0
    assert set(result["scenarios"]) == CHANNELS
    for scenario in result["scenarios"].values():
        assert scenario.keys() >= SCENARIO_KEYS
        assert scenario["errors"] == 0 and scenario["calls"] > 0
    partner, onboarding = result["scenarios"]["partner"], result["scenarios"]["onboarding"]
    for orders in (partner, onboarding):
        assert orders.keys() >= ORDER_KEYS and orders["orders"] > 0
    assert "POST /b2b/v1/orders/{id}/submit" in partner["endpoints"]
    assert "POST /onboarding/v1/orders/{id}/submit" in onboarding["endpoints"]

    care = result["scenarios"]["care"]
    assert care["care_orders"] > 0
    assert [a["workers"] for a in care["apply"]] == [1, 2]
    for applied in care["apply"]:
        assert applied.keys() >= APPLY_KEYS
        assert applied["changes"] > 0 and applied["applied"] == applied["changes"]
        assert applied["failed"] == 0 and applied["left"] == 0
    assert care["fill"]["changes_accepted"] == care["apply"][0]["changes"]

    hooks = result["scenarios"]["webhooks"]
    assert hooks["events"] > 0 and hooks["delivered"] == hooks["events"]
    assert hooks["undelivered"] == 0 and hooks["latency"]["count"] > 0

    # Checked in the database too: the orders were handed off and submitted, the care
    # changes applied and none failed, and the bench's webhook was removed after.
    with database.transaction(write=False) as session:
        handed_off = session.scalar(
            select(func.count())
            .select_from(PartnerOrder)
            .where(PartnerOrder.customer_id.like("bcu_bench_%"), PartnerOrder.status != "draft")
        )
        submitted = session.scalar(
            select(func.count())
            .select_from(OnboardingOrder)
            .where(OnboardingOrder.status == "submitted")
        )
        changes = dict(
            session.execute(
                select(CareChange.status, func.count()).group_by(CareChange.status)
            ).all()
        )
        hooks_left = session.scalar(select(func.count()).select_from(WebhookSubscription))
    assert handed_off >= partner["orders"] and submitted >= onboarding["orders"]
    applied_total = sum(a["applied"] for a in care["apply"])
    # (The webhooks scenario's own care orders may still be on their way when it ends.)
    assert changes.get("completed", 0) >= applied_total and "failed" not in changes
    assert hooks_left == 0
