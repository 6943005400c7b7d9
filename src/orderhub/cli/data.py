"""`orderhub catalog load`, `business-catalog load`, `onboarding-catalog load`, `customers
load` and `numbers load`: an operator's own data from files (registered on the `orderhub`
app of cli/app.py).

Each command checks its file first (data_files.py), migrates the schema, then loads
everything in one transaction through the owning area's `load`: all or nothing, and safe
to repeat. A file that cannot be loaded is one line on stderr naming the file and the
problem, and exit code 1. What is printed counts records; it never shows their contents.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer
from rich.console import Console
from rich.markup import escape

from orderhub.cli.app import DatabaseUrl, _settings, app, catalog_app, console

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

business_catalog_app = typer.Typer(
    help="The business products partners quote.", no_args_is_help=True
)
onboarding_catalog_app = typer.Typer(
    help="The onboarding catalog: service types, packages, terms, SQ locations.",
    no_args_is_help=True,
)
customers_app = typer.Typer(help="Consumer-channel customers.", no_args_is_help=True)
numbers_app = typer.Typer(help="The telephone-number pool.", no_args_is_help=True)
app.add_typer(business_catalog_app, name="business-catalog")
app.add_typer(onboarding_catalog_app, name="onboarding-catalog")
app.add_typer(customers_app, name="customers")
app.add_typer(numbers_app, name="numbers")
stderr = Console(stderr=True)
T = TypeVar("T")

DataFile = Annotated[
    Path, typer.Argument(exists=True, dir_okay=False, readable=True, help="The JSON file.")
]


@catalog_app.command("load")
def catalog_load(path: DataFile, database_url: DatabaseUrl = None) -> None:
    """Insert or update offers and stores from a file shaped like sandbox/data/catalog.json.

    Migrates the database first, then loads all or nothing.
    Offers and stores are matched by id; those the file does not name stay as they are.
    To withdraw an offer, load it with "active": false."""
    from orderhub import data_files
    from orderhub.catalog import service as catalog

    url = _settings(database_url).database_url
    with _refusals("catalog", path):
        data = data_files.read(path, data_files.CatalogFile)
        offers, stores = _load(url, lambda session: catalog.load(session, data=data))
    _loaded(f"{offers} offers and {stores} stores", path)


@business_catalog_app.command("load")
def business_catalog_load(path: DataFile, database_url: DatabaseUrl = None) -> None:
    """Insert or update business products from a file like sandbox/data/business_catalog.json.

    Migrates the database first, then loads all or nothing.
    Products are matched by id; those the file does not name stay as they are.
    To withdraw a product, load it with "active": false."""
    from orderhub import data_files
    from orderhub.business_catalog import service as business_catalog

    url = _settings(database_url).database_url
    with _refusals("business catalog", path):
        data = data_files.read(path, data_files.BusinessCatalogFile)
        products = _load(url, lambda session: business_catalog.load(session, data=data))
    _loaded(f"{products} business products", path)


@onboarding_catalog_app.command("load")
def onboarding_catalog_load(
    directory: Annotated[
        Path,
        typer.Argument(
            exists=True,
            file_okay=False,
            help="A directory with packages.json, locations.json and service_types/*.json.",
        ),
    ],
    database_url: DatabaseUrl = None,
) -> None:
    """Replace the onboarding catalog with a directory shaped like sandbox/data/onboarding/.

    Migrates the database first, then loads all or nothing.
    Replaces the whole catalog: service types, packages, terms and SQ locations.
    What the directory does not hold is removed; a refused directory changes nothing."""
    from orderhub import data_files
    from orderhub.onboarding import catalog as onboarding_catalog

    url = _settings(database_url).database_url
    with _refusals("onboarding catalog", directory):
        counts = data_files.read_onboarding(directory)
        _load(url, lambda session: onboarding_catalog.load(session, directory))
    _loaded(", ".join(f"{n} {what}" for what, n in counts.items()), directory)


@customers_app.command("load")
def customers_load(path: DataFile, database_url: DatabaseUrl = None) -> None:
    """Insert or update customers from the "customers" of a file like sandbox/data/customers.json.

    Migrates the database first, then loads all or nothing.
    Customers are matched by id, accounts by id; each customer's service address is updated.
    A password in the file is set (its sign-in username is the e-mail); none keeps the old.
    Customers the file does not name, and their other accounts, stay as they are."""
    from orderhub import data_files
    from orderhub.customers import service as customers

    url = _settings(database_url).database_url
    with _refusals("customers", path):
        data = data_files.read(path, data_files.CustomersFile)
        added, updated = _load(url, lambda session: customers.load(session, data=data))
    _loaded(f"{added + updated} customers ({added} added, {updated} updated)", path)


@numbers_app.command("load")
def numbers_load(path: DataFile, database_url: DatabaseUrl = None) -> None:
    """Add the "numberPools" of a file like sandbox/data/customers.json to the number pool.

    Migrates the database first, then loads all or nothing.
    The file may hold only the "numberPools" list.
    Insert only: a number already in the pool stays as it is (reserved, assigned or free)."""
    from orderhub import data_files
    from orderhub.numbers import service as numbers

    url = _settings(database_url).database_url
    with _refusals("number pools", path):
        data = data_files.read(path, data_files.NumbersFile)
        added, known = _load(url, lambda session: numbers.load(session, data=data))
    pools = len(data["numberPools"])
    _loaded(f"{pools} number pools ({added} numbers added, {known} already there)", path)


def _load(url: str, load: Callable[[Session], T]) -> T:
    """Migrate, then `load` in one transaction."""
    from orderhub import migrate
    from orderhub.db import Database

    database = Database(url)
    try:
        migrate.upgrade(database)
        with database.transaction() as session:
            return load(session)
    finally:
        database.dispose()


@contextmanager
def _refusals(what: str, path: Path) -> Iterator[None]:
    """A file that cannot be loaded: one line on stderr, exit code 1. An unreachable
    database is left to cli.main() (exit code 2)."""
    from sqlalchemy.exc import DataError, IntegrityError

    from orderhub.data_files import BadFile

    try:
        yield
    except BadFile as exc:
        _refuse(what, exc.path, exc.problem)
    except (KeyError, ValueError) as exc:  # the areas' own rules (category, e-mail...)
        _refuse(what, path, f"missing {exc}" if isinstance(exc, KeyError) else str(exc))
    except (IntegrityError, DataError) as exc:
        # The first line names the constraint; the detail lines can quote the row.
        reason = str(exc.orig).strip().splitlines()[0][:200]
        _refuse(what, path, f"the database refused it: {reason}")


def _refuse(what: str, path: Path, problem: str) -> None:
    problem = " ".join(problem.split())
    stderr.print(f"[red]{what} not loaded[/]: {escape(f'{path}: {problem}')}", soft_wrap=True)
    raise typer.Exit(1)


def _loaded(what: str, path: Path) -> None:
    console.print(f"[green]loaded[/] {escape(what)} from {escape(str(path))}", soft_wrap=True)
