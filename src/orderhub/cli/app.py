"""The `orderhub` app every command registers on: its groups (their order here is the
order `--help` lists them in), the console, the options and settings every command
shares, `prepare` (migrate, signing key, sandbox data) and `main()`."""

from __future__ import annotations

import logging
import os
import sys
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
