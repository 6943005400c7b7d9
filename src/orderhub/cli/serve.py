"""`orderhub serve | worker | bench`, and what readies a database for them: `db upgrade`
and `sandbox load` (registered on the `orderhub` app, cli/app.py)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated

import typer

from orderhub import __version__
from orderhub.cli.app import DatabaseUrl, _settings, app, console, db_app, prepare, sandbox_app

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
        str,
        typer.Option(
            help="Comma-separated: orders, floor, reads (the default); partner, onboarding, "
            "care, webhooks (the other channels)."
        ),
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
