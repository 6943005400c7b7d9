"""The `orderhub` command: serve, worker, bench, db upgrade, sandbox load, orders; demo
(cli_demo), partners and exceptions (cli_partners), b2b (cli_b2b), and the data loaders
`catalog load` and the others (cli_data)."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from orderhub import __version__, logs
from orderhub.config import ConfigError, Settings

app = typer.Typer(
    help="OrderHub: one telecom order engine with thin channel APIs.", no_args_is_help=True
)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
catalog_app = typer.Typer(help="The product catalog.", no_args_is_help=True)
sandbox_app = typer.Typer(help="Sandbox demo data.", no_args_is_help=True)
orders_app = typer.Typer(help="Operate on orders.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(catalog_app, name="catalog")
app.add_typer(sandbox_app, name="sandbox")
app.add_typer(orders_app, name="orders")
console = Console()

DatabaseUrl = Annotated[
    str | None,
    typer.Option(
        "--database-url",
        envvar="ORDERHUB_DATABASE_URL",
        help="sqlite:///path or postgresql://user@host/db (default: ./orderhub.db)",
    ),
]


def _settings(
    database_url: str | None, *, log_level: str | None = None, log_format: str | None = None
) -> Settings:
    """The process's settings, checked; the CLI's flags are put in the environment first,
    since server worker processes read their settings from it."""
    for name, value in (
        ("ORDERHUB_DATABASE_URL", database_url),
        ("ORDERHUB_LOG_LEVEL", log_level),
        ("ORDERHUB_LOG_FORMAT", log_format),
    ):
        if value:
            os.environ[name] = value
    settings = Settings.from_env()
    settings.check()
    logs.configure(level=settings.log_level, fmt=settings.log_format)
    return settings


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
            # A log line (not a console print), so `--log-format json` output stays JSON.
            logging.getLogger("orderhub").info(
                "sandbox data: %d offers, %d stores, %d customers and %d numbers added",
                report.offers,
                report.stores,
                report.customers_added,
                report.numbers_added,
            )
    finally:
        database.dispose()


LogFormat = Annotated[
    str,
    typer.Option(
        "--log-format",
        envvar="ORDERHUB_LOG_FORMAT",
        help="text (for people) or json (one object per line, for log shippers).",
    ),
]
LogLevel = Annotated[
    str, typer.Option("--log-level", envvar="ORDERHUB_LOG_LEVEL", help="debug, info, warning...")
]


@app.command()
def serve(
    database_url: DatabaseUrl = None,
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8080,
    workers: Annotated[int, typer.Option(min=1, help="Server processes.")] = 1,
    log_level: LogLevel = "info",
    log_format: LogFormat = "text",
) -> None:
    """Apply migrations, load sandbox data on first start, and serve the API."""
    from orderhub import serving

    settings = _settings(database_url, log_level=log_level, log_format=log_format)
    prepare(settings)
    mode = "sandbox" if settings.sandbox else "production"
    started = serving.run(
        host=host,
        port=port,
        workers=workers,
        log_level=settings.log_level,
        log_format=settings.log_format,
        banner=f"OrderHub {__version__} ({mode}) on http://{host}:{port}  "
        f"docs: http://{host}:{port}/docs",
    )
    if not started:
        raise typer.Exit(1)


@app.command()
def worker(
    database_url: DatabaseUrl = None,
    once: Annotated[bool, typer.Option("--once", help="Do what is due now, then exit.")] = False,
) -> None:
    """Deliver webhooks, apply due B2B milestones, consumer fulfillment and care changes,
    prune old rows (every `serve` process does too unless ORDERHUB_WORKER_IN_SERVER=0)."""
    import asyncio

    from orderhub import background
    from orderhub.runtime import Runtime

    settings = _settings(database_url)
    prepare(settings, load_sandbox=False)
    runtime = Runtime.start(settings)

    async def main() -> None:
        if once:
            await background.run_once(runtime)
            return
        logging.getLogger("orderhub").info(
            "worker: webhook deliveries, B2B milestones, consumer fulfillment, care-order "
            "changes and retention; "
            "Ctrl-C to stop"
        )
        await asyncio.gather(*background.loops(runtime, asyncio.Event()))

    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
    finally:
        runtime.close()


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
            # The ledger holds every channel's orders; this state table is the consumer's.
            if order is None or order.channel != "direct":
                console.print(f"[red]no consumer order[/] {order_id}")
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


def _version(value: bool) -> None:
    if value:
        console.print(f"orderhub {__version__}")
        raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """OrderHub: one telecom order engine with thin channel APIs."""


def main() -> None:
    """The `orderhub` command. A configuration mistake is one line on stderr and exit
    code 2, never a traceback: an operator should see what to fix, not where it broke."""
    from sqlalchemy.exc import InterfaceError, OperationalError

    try:
        app()
    except ConfigError as exc:
        print(f"orderhub: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    except (OperationalError, InterfaceError) as exc:
        where = unreachable_database(Settings.from_env().database_url, exc)
        print(f"orderhub: {where}", file=sys.stderr)
        raise SystemExit(2) from None


def unreachable_database(url: str, exc: Exception) -> str:
    """What to tell an operator whose database did not answer: where we tried (host and
    port, or the SQLite file) and why, never the password."""
    from sqlalchemy.engine import make_url

    target = make_url(url)
    reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0][:200]
    if target.password:
        reason = reason.replace(str(target.password), "***")
    if target.get_backend_name() == "sqlite":
        return f"cannot open the SQLite database {target.database!r}: {reason}"
    where = f"{target.host or 'localhost'}:{target.port or 5432}/{target.database or ''}"
    return f"cannot reach the database at {where}: {reason}"


# The other command groups register themselves on `app` when imported.
from orderhub import cli_b2b, cli_data, cli_demo, cli_orders, cli_partners  # noqa: E402, F401
