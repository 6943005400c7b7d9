"""From the load generator's raw results to the figures people read: JSON and tables.

The keys written here are documented in docs/benchmark.md; change both together.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

SCHEMA = 1
LOST_IDS_SHOWN = 20


def _per(numerator: float | None, denominator: float, scale: float = 1.0) -> float | None:
    if numerator is None or not denominator:
        return None
    return round(numerator * scale / denominator, 3)


def scenario(name: str, raw: dict[str, Any]) -> dict[str, Any]:
    """Rates and per-unit costs of one scenario's measured window."""
    window = raw.get("window_seconds") or 0.0
    cpu = raw.get("server_cpu_seconds")
    summary: dict[str, Any] = {
        "concurrency": raw["concurrency"],
        "window_seconds": round(window, 3),
        "calls": raw["calls"],
        "calls_per_second": _per(raw["calls"], window),
        "errors": raw["errors"],
        "error_samples": raw["error_samples"],
        "server_cpu_seconds": None if cpu is None else round(cpu, 3),
        "server_cpu_ms_per_call": _per(cpu, raw["calls"], 1000),
        # Cores the server kept busy on average: near `workers`, the server is saturated.
        "server_cpu_cores": _per(cpu, window),
        # Of one core: near 1.0, the single-threaded load generator is the bottleneck.
        "loadgen_cpu_share": _per(raw.get("loadgen_cpu_seconds"), window),
        "endpoints": raw["endpoints"],
    }
    if name in ("orders", "partner", "onboarding"):
        summary["orders"] = raw["completed"]
        summary["orders_per_second"] = _per(raw["completed"], window)
        summary["server_cpu_ms_per_order"] = _per(cpu, raw["completed"], 1000)
    elif name == "care":  # accepted in the window, one change each; then applied
        summary["care_orders"] = raw["completed"]
        summary["care_orders_per_second"] = _per(raw["completed"], window)
        summary["server_cpu_ms_per_care_order"] = _per(cpu, raw["completed"], 1000)
        summary["apply"] = raw["apply"]
        summary["fill"] = raw["fill"]
    elif name == "webhooks":  # care orders at a steady rate, each event delivered
        summary["events"] = raw["events"]
        summary["delivered"] = raw["delivered"]
        summary["undelivered"] = raw["undelivered"]
        summary["duplicates"] = raw["duplicates"]
        summary["delivered_per_second"] = _per(raw["delivered_in_window"], window)
        summary["latency"] = raw["latency"]
        summary["worker_cpu_seconds"] = raw.get("worker_cpu_seconds")
        summary["worker_cpu_cores"] = raw.get("worker_cpu_cores")
    else:
        summary["rounds"] = raw["completed"]  # floor: POST + GET; reads: offers + order
    return summary


def build(
    *,
    settings: dict[str, Any],
    raw: dict[str, dict[str, Any]],
    lost: list[str],
    checked: int,
) -> dict[str, Any]:
    scenarios = {name: scenario(name, r) for name, r in raw.items()}
    errors = sum(s["errors"] for s in scenarios.values())
    orders, floor = scenarios.get("orders"), scenarios.get("floor")
    ratio = None
    if orders and floor and orders["calls_per_second"] and floor["calls_per_second"]:
        ratio = round(orders["calls_per_second"] / floor["calls_per_second"], 4)
    return {
        "schema": SCHEMA,
        **settings,
        "ratio_to_floor": ratio,
        "scenarios": scenarios,
        "errors": errors,
        "orders_checked": checked,
        "lost_orders": len(lost),
        "lost_order_ids": lost[:LOST_IDS_SHOWN],
        "warnings": warnings(scenarios),
        "ok": errors == 0 and not lost,
    }


# A one-row read by key answers in a few milliseconds; a median near 40 ms is the
# signature of Nagle's algorithm on the server meeting the client's delayed ACK.
STALL_MS = 30.0


def warnings(scenarios: dict[str, dict[str, Any]]) -> list[str]:
    """Signs that a figure measures something other than the code under test."""
    found = []
    floor = scenarios.get("floor")
    read = floor and floor["endpoints"].get("GET /floor/items/{id}")
    if read and read["p50_ms"] >= STALL_MS:
        found.append(
            f"the floor's GET took {read['p50_ms']:.0f} ms at the median: responses are "
            "probably stalled by Nagle's algorithm and delayed ACKs (uvicorn --workers > 1 "
            "on the asyncio loop leaves TCP_NODELAY off, Kludex/uvicorn#3149); "
            "see docs/benchmark.md"
        )
    for name, s in scenarios.items():
        if s["loadgen_cpu_share"] is not None and s["loadgen_cpu_share"] > 0.8:
            found.append(
                f"{name}: the load generator used {s['loadgen_cpu_share']:.0%} of a core and "
                "may be what limits throughput"
            )
    return found


def write(result: dict[str, Any], results_dir: Path, started: datetime) -> Path:
    results_dir.mkdir(parents=True, exist_ok=True)
    name = f"{started:%Y%m%dT%H%M%SZ}-{result['backend']}-w{result['workers']}.json"
    path = results_dir / name
    path.write_text(json.dumps(result, indent=2) + "\n")
    return path


def _fmt(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def render(result: dict[str, Any], console: Console) -> None:
    scenarios = result["scenarios"]
    stack = result["server"]
    title = (
        f"OrderHub bench: {result['backend']}, {result['workers']} worker(s), "
        f"{stack['loop']}+{stack['http']}, "
        f"{result['duration_seconds']:g} s windows{' (smoke)' if result['smoke'] else ''}"
    )
    summary = Table(
        "scenario",
        "clients",
        "orders/s",
        "calls/s",
        "errors",
        "srv CPU ms/order",
        "srv CPU ms/call",
        "srv cores busy",
        "loadgen CPU",
        title=title,
    )
    for name, s in scenarios.items():
        summary.add_row(
            name,
            str(s["concurrency"]),
            _fmt(s.get("orders_per_second", s.get("care_orders_per_second")), 2),
            _fmt(s["calls_per_second"]),
            f"[{'red' if s['errors'] else 'green'}]{s['errors']}[/]",
            _fmt(s.get("server_cpu_ms_per_order", s.get("server_cpu_ms_per_care_order"))),
            _fmt(s["server_cpu_ms_per_call"], 2),
            _fmt(s["server_cpu_cores"], 2),
            "-" if s["loadgen_cpu_share"] is None else f"{s['loadgen_cpu_share']:.0%}",
        )
    console.print(summary)

    latency = Table("scenario", "endpoint", "calls", "p50 ms", "p95 ms", "p99 ms", title="Latency")
    for name, s in scenarios.items():
        for label, e in s["endpoints"].items():
            latency.add_row(
                name,
                label,
                str(e["count"]),
                _fmt(e["p50_ms"]),
                _fmt(e["p95_ms"]),
                _fmt(e["p99_ms"]),
            )
    console.print(latency)

    _render_background(scenarios, console)
    for name, s in scenarios.items():
        for sample in s["error_samples"]:
            console.print(f"[red]{name} error[/]: {sample}")
    if result["ratio_to_floor"] is not None:
        console.print(
            f"[bold]OrderHub / floor calls/s: {result['ratio_to_floor']:.3f}[/] "
            f"({_fmt(scenarios['orders']['calls_per_second'])} vs "
            f"{_fmt(scenarios['floor']['calls_per_second'])} calls/s)"
        )
    for warning in result["warnings"]:
        console.print(f"[yellow]warning[/]: {warning}")
    colour = "red" if result["lost_orders"] else "green"
    console.print(
        f"[{colour}]lost orders: {result['lost_orders']}[/] of {result['orders_checked']} "
        "seen submitted"
    )


def _render_background(scenarios: dict[str, dict[str, Any]], console: Console) -> None:
    """What the workers did: care changes applied, webhook deliveries."""
    care = scenarios.get("care")
    if care:
        applied = Table(
            "workers",
            "changes",
            "seconds",
            "changes/s",
            "worker CPU ms/change",
            "cores busy",
            title="Care changes applied",
        )
        for a in care["apply"]:
            applied.add_row(
                str(a["workers"]),
                f"{a['applied']:,}/{a['changes']:,}",
                _fmt(a["seconds"], 2),
                _fmt(a["changes_per_second"]),
                _fmt(a["worker_cpu_ms_per_change"], 2),
                _fmt(a["worker_cpu_cores"], 2),
            )
        console.print(applied)
    hooks = scenarios.get("webhooks")
    if hooks and hooks["latency"]:
        lat = hooks["latency"]
        console.print(
            f"webhooks: {hooks['delivered']:,}/{hooks['events']:,} delivered, "
            f"{_fmt(hooks['delivered_per_second'])}/s in the window; commit to 2xx "
            f"p50 {_fmt(lat['p50_ms'])} ms, p95 {_fmt(lat['p95_ms'])} ms, "
            f"p99 {_fmt(lat['p99_ms'])} ms, max {_fmt(lat['max_ms'])} ms"
        )
