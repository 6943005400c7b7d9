"""The `orderhub` command: serve, demo, db upgrade, sandbox load, catalog load, partners,
exceptions."""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import httpx
import typer
from rich.console import Console
from rich.table import Table

from orderhub.config import Settings

if TYPE_CHECKING:
    from orderhub.partners.service import IssuedClient

app = typer.Typer(
    help="OrderHub: one telecom order engine with thin channel APIs.", no_args_is_help=True
)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
catalog_app = typer.Typer(help="The product catalog.", no_args_is_help=True)
sandbox_app = typer.Typer(help="Sandbox demo data.", no_args_is_help=True)
orders_app = typer.Typer(help="Operate on orders.", no_args_is_help=True)
partners_app = typer.Typer(help="B2B partners and their API clients.", no_args_is_help=True)
exceptions_app = typer.Typer(help="Partners' exception requests.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(catalog_app, name="catalog")
app.add_typer(sandbox_app, name="sandbox")
app.add_typer(orders_app, name="orders")
app.add_typer(partners_app, name="partners")
app.add_typer(exceptions_app, name="exceptions")
console = Console()

DatabaseUrl = Annotated[
    str | None,
    typer.Option(
        "--database-url",
        envvar="ORDERHUB_DATABASE_URL",
        help="sqlite:///path or postgresql://user@host/db (default: ./orderhub.db)",
    ),
]


def _settings(database_url: str | None) -> Settings:
    if database_url:
        os.environ["ORDERHUB_DATABASE_URL"] = database_url  # worker processes read it too
    return Settings.from_env()


def prepare(settings: Settings, *, load_sandbox: bool | None = None) -> None:
    """Migrate the schema, make the signing key once (before any worker starts) and, in
    sandbox mode, load the demo data (idempotent)."""
    from orderhub import migrate
    from orderhub.db import Database
    from orderhub.identity.service import signing_key
    from orderhub.sandbox import loader

    database = Database(settings.database_url)
    try:
        migrate.upgrade(database)
        with database.transaction() as session:
            signing_key(session, settings)
        if settings.sandbox if load_sandbox is None else load_sandbox:
            with database.transaction() as session:
                report = loader.load(session)
            console.print(
                f"[green]sandbox data[/]: {report.offers} offers, {report.stores} stores, "
                f"{report.customers_added} customers and {report.numbers_added} numbers added"
            )
    finally:
        database.dispose()


@app.command()
def serve(
    database_url: DatabaseUrl = None,
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8080,
    workers: Annotated[int, typer.Option(help="Server processes.")] = 1,
    log_level: Annotated[str, typer.Option(help="uvicorn log level.")] = "info",
) -> None:
    """Apply migrations, load sandbox data on first start, and serve the API."""
    import uvicorn

    settings = _settings(database_url)
    if not settings.sandbox and not settings.secret_key:
        console.print(
            "[red]ORDERHUB_SECRET_KEY must be set when sandbox mode is off[/] "
            "(ORDERHUB_SANDBOX=0): it signs access tokens and keys SSN hashes."
        )
        raise typer.Exit(2)
    prepare(settings)
    mode = "sandbox" if settings.sandbox else "production"
    console.print(f"OrderHub ({mode}) on http://{host}:{port}  docs: http://{host}:{port}/docs")
    uvicorn.run(
        "orderhub.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level=log_level,
        access_log=log_level == "debug",
    )


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
    """Run the whole seed-001 call sequence (or, with --flow, the B2B, onboarding or
    care-order one) and print each step."""
    from orderhub import demo as flow
    from orderhub import demo_care, demo_onboarding, demo_partner

    if flow_name not in ("consumer", "partner", "onboarding", "care"):
        console.print(f"[red]unknown flow[/] {flow_name!r}: consumer, partner, onboarding or care")
        raise typer.Exit(2)

    def walk(client) -> dict:
        if flow_name == "partner":
            return demo_partner.run(client, on_step=show)
        if flow_name == "onboarding":
            return demo_onboarding.run(client, on_step=show)
        if flow_name == "care":
            return demo_care.run(client, on_step=show)
        return flow.run(client, phone=phone, on_step=show)

    table = Table("step", "call", "status", "ms")

    def show(step: flow.Step) -> None:
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
    except (flow.DemoFailed, httpx.HTTPError) as exc:
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


@app.command()
def worker(
    database_url: DatabaseUrl = None,
    once: Annotated[
        bool, typer.Option("--once", help="Deliver and apply what is due now, then exit.")
    ] = False,
) -> None:
    """Deliver webhook events, apply due B2B milestones and care-order changes (serve
    does too, by default)."""
    import asyncio

    import httpx

    from orderhub import cli_b2b as b2b
    from orderhub.careorders import worker as care
    from orderhub.runtime import Runtime
    from orderhub.webhooks import worker as delivery

    settings = _settings(database_url)
    prepare(settings, load_sandbox=False)
    runtime = Runtime.start(settings)

    async def main() -> None:
        care_args = {
            "key": runtime.key,
            "messenger": runtime.adapters.messenger,
            "sandbox": settings.sandbox,
        }
        if once:
            await b2b.apply_due_now(runtime)
            while await care.process_due(runtime.database, **care_args):
                pass
            async with httpx.AsyncClient(timeout=delivery.TIMEOUT_SECONDS) as client:
                tried = 1
                while tried:
                    tried = await delivery.deliver_due(
                        runtime.database,
                        runtime.key,
                        client,
                        retry_base_seconds=settings.webhook_retry_base_seconds,
                        allow_private_hosts=settings.sandbox,
                    )
            return
        console.print(
            "delivering webhook events, B2B milestones and care-order changes; Ctrl-C to stop"
        )
        stop = asyncio.Event()
        await asyncio.gather(
            delivery.run(
                runtime.database,
                runtime.key,
                retry_base_seconds=settings.webhook_retry_base_seconds,
                poll_seconds=settings.worker_poll_seconds,
                stop=stop,
                allow_private_hosts=settings.sandbox,
            ),
            b2b.run_provisioning(runtime, stop=stop),
            care.run(
                runtime.database,
                **care_args,
                poll_seconds=settings.worker_poll_seconds,
                stop=stop,
            ),
        )

    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
    finally:
        runtime.database.dispose()


@app.command()
def bench(
    # No envvar on purpose: the bench writes thousands of orders, so it never picks up
    # ORDERHUB_DATABASE_URL from the environment; by default it uses a fresh SQLite file.
    database_url: Annotated[
        str | None,
        typer.Option(
            "--database-url", help="Database to bench on (default: a fresh temporary SQLite file)."
        ),
    ] = None,
    workers: Annotated[int, typer.Option(min=1, help="Server processes.")] = 1,
    buyers: Annotated[int, typer.Option(min=1, help="Concurrent virtual buyers.")] = 32,
    duration: Annotated[float, typer.Option(min=1, help="Measured seconds per scenario.")] = 20,
    scenarios: Annotated[
        str, typer.Option(help="Comma-separated: orders, floor, reads.")
    ] = "orders,floor,reads",
    smoke: Annotated[
        bool, typer.Option("--smoke", help="3-second windows, 4 buyers, a small seed (CI).")
    ] = False,
    results_dir: Annotated[
        Path, typer.Option(file_okay=False, help="Where the JSON result is written.")
    ] = Path("bench/results"),
) -> None:
    """Start the server and drive whole orders against it; see docs/benchmark.md."""
    from orderhub.bench import runner
    from orderhub.bench.server import ServerFailed

    options = runner.BenchOptions(
        database_url=database_url,
        workers=workers,
        buyers=buyers,
        duration=duration,
        scenarios=tuple(s.strip() for s in scenarios.split(",") if s.strip()),
        results_dir=results_dir,
    )
    if smoke:
        options = runner.smoke_options(options)
    try:
        result, _ = runner.run(options, console)
    except (runner.BenchFailed, ServerFailed) as exc:
        console.print(f"[red]bench failed[/]: {exc}")
        raise typer.Exit(1) from exc
    if not result["ok"]:
        console.print("[red]bench failed[/]: errors occurred or orders were lost")
        raise typer.Exit(1)


@db_app.command("upgrade")
def db_upgrade(database_url: DatabaseUrl = None) -> None:
    """Apply every pending migration."""
    from orderhub import migrate
    from orderhub.db import Database

    database = Database(_settings(database_url).database_url)
    migrate.upgrade(database)
    database.dispose()
    console.print("[green]schema is up to date[/]")


@sandbox_app.command("load")
def sandbox_load(database_url: DatabaseUrl = None) -> None:
    """Migrate and load the sandbox demo data (safe to repeat)."""
    prepare(_settings(database_url), load_sandbox=True)


@catalog_app.command("load")
def catalog_load(
    path: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="Catalog JSON file.")],
    database_url: DatabaseUrl = None,
) -> None:
    """Insert or update offers and stores from a file shaped like sandbox/data/catalog.json."""
    from orderhub.catalog import service as catalog
    from orderhub.db import Database

    data = json.loads(path.read_text())
    database = Database(_settings(database_url).database_url)
    try:
        with database.transaction() as session:
            offers, stores = catalog.load(session, data=data)
    except (KeyError, ValueError) as exc:
        console.print(f"[red]catalog not loaded[/]: {exc}")
        raise typer.Exit(1) from exc
    finally:
        database.dispose()
    console.print(f"[green]loaded[/] {offers} offers and {stores} stores from {path}")


@orders_app.command("set-status")
def orders_set_status(
    order_id: Annotated[str, typer.Argument(help="The order's id.")],
    status: Annotated[str, typer.Argument(help="inFulfillment, completed, rejected or cancelled")],
    reason: Annotated[str | None, typer.Option(help="Recorded on the order's event.")] = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Move an order along its state table as operations (e.g. submitted -> inFulfillment)."""
    from orderhub.db import Database
    from orderhub.errors import OrderHubError
    from orderhub.orders import lifecycle
    from orderhub.orders import service as orders
    from orderhub.orders.states import OrderStatus

    try:
        target = OrderStatus(status)
    except ValueError as exc:
        console.print(f"[red]unknown status[/] {status!r}: {', '.join(OrderStatus)}")
        raise typer.Exit(2) from exc
    database = Database(_settings(database_url).database_url)
    try:
        with database.transaction() as session:
            order = orders.lock_for_operator(session, order_id=order_id)
            if order is None:
                console.print(f"[red]no order[/] {order_id}")
                raise typer.Exit(1)
            lifecycle.change_status(
                session, order=order, target=target, actor="operator:cli", reason=reason
            )
    except OrderHubError as exc:
        console.print(f"[red]refused[/]: {exc.detail}")
        raise typer.Exit(1) from exc
    finally:
        database.dispose()
    console.print(f"order {order_id} is now [bold]{target}[/]")


def _show_client(issued: IssuedClient, what: str) -> None:
    console.print(f"{what} (partner [bold]{issued.partner_id}[/])")
    # Plain print: the secret must reach stdout verbatim, never wrapped or styled.
    print(f"client_id:     {issued.client_id}")
    print(f"client_secret: {issued.client_secret}")
    console.print("[yellow]Store the secret now: it is kept only hashed and never shown again.[/]")


@partners_app.command("create")
def partners_create(
    name: Annotated[str, typer.Argument(help="The partner's name (unique).")],
    database_url: DatabaseUrl = None,
) -> None:
    """Create a partner with one API client, and print its client id and secret once."""
    from orderhub.db import Database
    from orderhub.errors import OrderHubError
    from orderhub.partners import service as partners

    name = name.strip()
    if not name or len(name) > 200:
        console.print("[red]the name must be 1 to 200 characters[/]")
        raise typer.Exit(2)
    database = Database(_settings(database_url).database_url)
    try:
        with database.transaction() as session:
            issued = partners.create_partner(session, name=name)
    except OrderHubError as exc:
        console.print(f"[red]refused[/]: {exc.detail}")
        raise typer.Exit(1) from exc
    finally:
        database.dispose()
    _show_client(issued, f"Created partner '{name}' with one API client")


@partners_app.command("rotate-secret")
def partners_rotate_secret(
    client_id: Annotated[str, typer.Argument(help="The API client's id.")],
    database_url: DatabaseUrl = None,
) -> None:
    """Give an API client a new secret (the old one stops working) and print it once."""
    from orderhub.db import Database
    from orderhub.errors import OrderHubError
    from orderhub.partners import service as partners

    database = Database(_settings(database_url).database_url)
    try:
        with database.transaction() as session:
            issued = partners.rotate_secret(session, client_id=client_id)
    except OrderHubError as exc:
        console.print(f"[red]refused[/]: {exc.detail}")
        raise typer.Exit(1) from exc
    finally:
        database.dispose()
    _show_client(issued, f"New secret for API client '{client_id}'")


def _decide_exception(
    request_id: str, status: str, note: str | None, database_url: str | None
) -> None:
    from orderhub.business import exceptions
    from orderhub.business.states import ExceptionStatus
    from orderhub.db import Database
    from orderhub.errors import OrderHubError

    database = Database(_settings(database_url).database_url)
    try:
        with database.transaction() as session:
            exceptions.decide(
                session,
                request_id=request_id,
                target=ExceptionStatus(status),
                note=note,
                actor="operator:cli",
            )
    except OrderHubError as exc:
        console.print(f"[red]refused[/]: {exc.detail}")
        raise typer.Exit(1) from exc
    finally:
        database.dispose()
    console.print(f"exception request {request_id} is now [bold]{status}[/]")


Note = Annotated[str | None, typer.Option(help="Shown to the partner with the decision.")]


@exceptions_app.command("approve")
def exceptions_approve(
    request_id: Annotated[str, typer.Argument(help="The exception request's id (exr_...).")],
    note: Note = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Approve a pending exception request: the partner may then quote the customer."""
    _decide_exception(request_id, "approved", note, database_url)


@exceptions_app.command("reject")
def exceptions_reject(
    request_id: Annotated[str, typer.Argument(help="The exception request's id (exr_...).")],
    note: Note = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Reject a pending exception request."""
    _decide_exception(request_id, "rejected", note, database_url)


@exceptions_app.command("list")
def exceptions_list(
    status: Annotated[str, typer.Option(help="pending, approved, rejected or all.")] = "pending",
    database_url: DatabaseUrl = None,
) -> None:
    """List exception requests, oldest first (by default the pending ones: the queue)."""
    from orderhub.business import exceptions
    from orderhub.business.states import ExceptionStatus
    from orderhub.db import Database

    try:
        wanted = None if status == "all" else ExceptionStatus(status)
    except ValueError as exc:
        console.print(f"[red]unknown status[/] {status!r}: {', '.join(ExceptionStatus)}")
        raise typer.Exit(2) from exc
    database = Database(_settings(database_url).database_url)
    try:
        with database.transaction(write=False) as session:
            found = exceptions.list_all(session, status=wanted, limit=100, offset=0)
    finally:
        database.dispose()
    # Plain lines, not a table: ids are copied from here and must never be cut to fit.
    for r in found:
        print(
            f"{r.id}  {r.status:<8}  {r.partner_id}  {r.customer_id}  "
            f"{r.created_at:%Y-%m-%d %H:%M}  {r.reason}"
        )
    if not found:
        console.print("no exception requests")


from orderhub import cli_b2b  # noqa: E402, F401  (registers `orderhub b2b` on `app`)

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
for noisy in ("httpx", "alembic"):
    logging.getLogger(noisy).setLevel(logging.WARNING)
