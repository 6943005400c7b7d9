"""`orderhub demo`: run a seed's whole call sequence against a server or in-process
(registered on the `orderhub` app of cli/app.py)."""

from __future__ import annotations

import dataclasses
import re
from typing import Annotated

import httpx
import typer
from rich.table import Table

from orderhub.cli.app import DatabaseUrl, _settings, app, console, prepare


@app.command()
def demo(
    url: Annotated[
        str, typer.Option(help="Base URL of a running server.")
    ] = "http://127.0.0.1:8080",
    in_process: Annotated[
        bool, typer.Option("--in-process", help="Run the app inside this process.")
    ] = False,
    phone: Annotated[str, typer.Option(help="Phone to sign in with.")] = "2145550100",
    database_url: DatabaseUrl = None,
    flow_name: Annotated[
        str,
        typer.Option(
            "--flow",
            help="consumer (seed 001), partner (seed 002, B2B), onboarding (seed 003) "
            "or care (seed 004, care order).",
        ),
    ] = "consumer",
) -> None:
    """Run a seed's whole call sequence and print each step.

    Consumer is seed 001; --flow picks the B2B, onboarding or care-order one."""
    from orderhub.demo import DemoFailed, Step, care, consumer, onboarding, partner

    if flow_name not in ("consumer", "partner", "onboarding", "care"):
        console.print(f"[red]unknown flow[/] {flow_name!r}: consumer, partner, onboarding or care")
        raise typer.Exit(2)

    def walk(client) -> dict:
        if flow_name == "partner":
            return partner.run(client, on_step=show)
        if flow_name == "onboarding":
            return onboarding.run(client, on_step=show)
        if flow_name == "care":
            return care.run(client, on_step=show)
        return consumer.run(client, phone=phone, on_step=show)

    table = Table("step", "call", "status", "ms")

    def show(step: Step) -> None:
        colour = "green" if step.status < 400 else "yellow" if step.status == 409 else "red"
        path = re.sub(
            r"/(ord|quo|ctr|bor|bso|exr|oac|oor|osv|svc|care)_[a-z0-9]+", "/{id}", step.path
        )
        table.add_row(
            step.name,
            f"{step.method} {path}",
            f"[{colour}]{step.status}[/]",
            f"{step.elapsed_ms:.1f}",
        )

    try:
        if in_process:
            from fastapi.testclient import TestClient

            from orderhub.app import create_app

            settings = _settings(database_url)
            prepare(settings)
            if flow_name == "care":
                # Only this process can apply the care order it sends: run its worker.
                settings = dataclasses.replace(settings, worker_in_server=True)
            with TestClient(create_app(settings)) as client:
                order = walk(client)
        else:
            with httpx.Client(base_url=url, timeout=30) as client:
                order = walk(client)
    except (DemoFailed, httpx.HTTPError) as exc:
        console.print(table)
        console.print(f"[red]demo failed[/]: {exc}")
        raise typer.Exit(1) from exc
    console.print(table)
    if flow_name == "care":
        _show_care(order)
        return
    if flow_name == "onboarding":
        console.print(
            f"[bold green]Onboarding order {order['orderId']}[/] submitted: package subscription "
            f"{order['packageSubscriptionId']}, services "
            + ", ".join(
                f"{s['id']} ({s['serviceTypeId']}, {s['status']})" for s in order["services"]
            )
        )
        return
    if flow_name == "partner":
        console.print(
            f"[bold green]B2B order {order['id']}[/] status={order['status']} "
            f"acknowledgement={order['acknowledgementId']} subOrders={len(order['subOrders'])}"
        )
        return
    console.print(
        f"[bold green]Submitted order {order['id']}[/] status={order['status']} "
        f"confirmation={order['confirmationNumber']}"
    )


def _show_care(result: dict) -> None:
    accepted, done = result["accepted"], result["careOrder"]
    console.print(
        f"[bold]Care order {accepted['id']}[/] accepted (202), status={accepted['status']}"
    )
    for change in accepted["changeRequests"]:
        console.print(
            f"  {change['changeRequestId']} {change['type']} on {change['ctn']}: "
            f"{change['status']}, due {change['dueAt']} ({change['effective']}), "
            f"{len(change['warnings'])} warning(s)"
        )
        for warning in change["warnings"]:
            console.print(
                f"    [yellow]{warning['rule']}[/] {warning['field']}: {warning['message']}"
            )
    colour = "green" if done["status"] == "completed" else "red"
    console.print(f"[bold {colour}]Care order {done['id']}[/] status={done['status']}")
    for change in done["changeRequests"]:
        failure = change["failure"]
        outcome = (
            f"{failure['code']}: {failure['detail']}" if failure else " ".join(change["notes"])
        )
        console.print(f"  {change['changeRequestId']} {change['status']}: {outcome}")
    for line in result["subscribers"]:
        features = ", ".join(f"{f['sku']} ({f['status']})" for f in line["features"])
        labels = ", ".join(f"{u['type']}={u['value']}" for u in line["udl"])
        device = line["device"]
        console.print(
            f"[bold green]Subscriber {line['ctn']}[/] {line['status']}: features {features}; "
            f"UDL {labels}; device IMEI {device['imei']}, ICCID {device['iccid']}, "
            f"networkBlock={str(device['networkBlock']).lower()}; "
            f"voicemail PIN {_pin(line['voicemail'])}"
        )
    console.print(
        "test clock reset to real time"
        if result["clockReset"]
        else "test clock left where it is (it was already moved before the demo)"
    )


def _pin(voicemail: dict) -> str:
    if not voicemail.get("pinSet"):
        return "not set"
    how = "generated and sent by SMS" if voicemail.get("autogeneratedPin") else "set"
    return f"{how} at {voicemail.get('pinResetAt')}"
