"""`orderhub catalog | business-catalog | onboarding-catalog | customers | numbers load`:
an operator's data from files, on both backends. Each command migrates an empty database
first, loads all or nothing, can be repeated, and answers a bad file with one line."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update
from typer.testing import CliRunner

import orderhub.cli.data  # noqa: F401  (registers the load commands on the app)
from orderhub.app import create_app
from orderhub.business_catalog import service as business_catalog
from orderhub.catalog import service as catalog
from orderhub.cli import app
from orderhub.customers import service as customers
from orderhub.db import Base, Database
from orderhub.numbers import service as numbers
from orderhub.numbers.models import PhoneNumber
from orderhub.onboarding import catalog as onboarding_catalog
from orderhub.sandbox.loader import DATA

runner = CliRunner()
BASE = "/msapi/order"
PASSWORD = "loaded-Robin-2026"


@pytest.fixture(autouse=True)
def _restore_environment(monkeypatch):
    # The CLI exports ORDERHUB_DATABASE_URL for its worker processes; undo that after.
    monkeypatch.setenv("ORDERHUB_DATABASE_URL", "sqlite:///unused-by-these-tests.db")


# ---- files ------------------------------------------------------------------------------


def offer(**overrides: Any) -> dict[str, Any]:
    return {"id": "plan-loaded", "name": "Loaded plan", "category": "plan"} | overrides


def customer(**overrides: Any) -> dict[str, Any]:
    return {
        "id": "cus_robin_quinn",
        "type": "consumer",
        "firstName": "Robin",
        "lastName": "Quinn",
        "email": "Robin.Quinn@Example.com",
        "phone": "(305) 555-0142",
        "password": PASSWORD,
        "account": {"id": "acc_robin_quinn", "number": "900000000901"},
        "address": {
            "addressLine1": "1 Ocean Dr",
            "city": "Miami",
            "state": "FL",
            "zipCode": "33139",
        },
    } | overrides


def pool(**overrides: Any) -> dict[str, Any]:
    return {"areaCode": "305", "exchange": "555", "first": 2000, "count": 50} | overrides


def write(tmp_path: Path, data: Any) -> Path:
    return write_text(tmp_path, json.dumps(data))


def write_text(tmp_path: Path, content: str) -> Path:
    path = tmp_path / "data.json"
    path.write_text(content)
    return path


def onboarding_directory(tmp_path: Path, change: Callable[[dict], None] | None = None) -> Path:
    """A copy of the sandbox's onboarding catalog, less the broadband-only package."""
    directory = tmp_path / "onboarding"
    shutil.copytree(DATA / "onboarding", directory)
    bundle = json.loads((directory / "packages.json").read_text())
    bundle["packages"] = [p for p in bundle["packages"] if p["id"] != "broadband-only"]
    if change:
        change(bundle)
    (directory / "packages.json").write_text(json.dumps(bundle))
    return directory


def business_products(**overrides: Any) -> dict[str, Any]:
    products = json.loads((DATA / "business_catalog.json").read_text())["products"]
    return {"products": [products[0] | {"id": "dia-loaded", "name": "Loaded DIA"} | overrides]}


@dataclass(frozen=True)
class Loader:
    command: tuple[str, str]
    what: str  # how its refusals begin: "<what> not loaded: <file>: <problem>"
    good: Callable[[Path], Path]  # writes a loadable file (or directory)
    tables: tuple[str, ...]  # where it writes
    first: str  # its output on an empty database
    again: str  # its output when loading the same file again


LOADERS = {
    "catalog": Loader(
        ("catalog", "load"),
        "catalog",
        lambda tmp: write(
            tmp,
            {
                "offers": [offer(monthlyCents=4200)],
                "stores": [
                    {"id": "store-mia-001", "name": "Miami", "address": customer()["address"]}
                ],
            },
        ),
        ("offers", "stores"),
        "loaded 1 offers and 1 stores",
        "loaded 1 offers and 1 stores",
    ),
    "business-catalog": Loader(
        ("business-catalog", "load"),
        "business catalog",
        lambda tmp: write(tmp, business_products()),
        ("business_products",),
        "loaded 1 business products",
        "loaded 1 business products",
    ),
    "onboarding-catalog": Loader(
        ("onboarding-catalog", "load"),
        "onboarding catalog",
        onboarding_directory,
        (
            "onboarding_service_types",
            "onboarding_packages",
            "onboarding_terms",
            "onboarding_locations",
        ),
        "loaded 3 service types, 2 packages, 3 terms, 4 SQ locations",
        "loaded 3 service types, 2 packages, 3 terms, 4 SQ locations",
    ),
    "customers": Loader(
        ("customers", "load"),
        "customers",
        lambda tmp: write(tmp, {"customers": [customer()]}),
        ("customers", "accounts", "addresses", "password_credentials"),
        "loaded 1 customers (1 added, 0 updated)",
        "loaded 1 customers (0 added, 1 updated)",
    ),
    "numbers": Loader(
        ("numbers", "load"),
        "number pools",
        lambda tmp: write(tmp, {"numberPools": [pool()]}),
        ("phone_numbers",),
        "loaded 1 number pools (50 numbers added, 0 already there)",
        "loaded 1 number pools (0 numbers added, 50 already there)",
    ),
}


def run(loader: Loader, argument: Path, url: str):
    return runner.invoke(app, [*loader.command, str(argument), "--database-url", url])


def counts(database: Database, tables: tuple[str, ...]) -> dict[str, int]:
    with database.transaction(write=False) as session:
        return {
            t: session.scalar(select(func.count()).select_from(Base.metadata.tables[t]))
            for t in tables
        }


# ---- an empty database, a second load --------------------------------------------------


def _loaded_data_is_there(name: str, session) -> None:
    """What each loader's good file holds, read back through the areas' services."""
    if name == "catalog":
        offers, _ = catalog.list_offers(
            session, category="plan", zip_code=None, customer_type=None, limit=10, offset=0
        )
        assert [(o.id, o.monthly_cents, o.lines) for o in offers] == [("plan-loaded", 4200, 1)]
    elif name == "business-catalog":
        products = business_catalog.list_products(session, family=None)
        assert [p.id for p in products] == ["dia-loaded"]
    elif name == "onboarding-catalog":
        packages = onboarding_catalog.packages(session)
        assert [p.id for p in packages] == ["home-essentials", "small-office"]
    elif name == "customers":
        assert customers.id_by_identifier(session, "robin.quinn@example.com") == "cus_robin_quinn"
        assert customers.id_by_identifier(session, "3055550142") == "cus_robin_quinn"
    else:
        found = numbers.search(session, area_code="305", count=100)
        assert found == [f"305555{line}" for line in range(2000, 2050)]


@pytest.mark.parametrize("name", LOADERS)
def test_each_loader_migrates_an_empty_database_first(name, empty_database_url, tmp_path):
    loader = LOADERS[name]
    result = run(loader, loader.good(tmp_path), empty_database_url)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(loader.first)
    database = Database(empty_database_url)
    try:
        with database.transaction(write=False) as session:
            _loaded_data_is_there(name, session)
    finally:
        database.dispose()


@pytest.mark.parametrize("name", LOADERS)
def test_loading_a_file_twice_adds_nothing_twice(name, database_url, database, tmp_path):
    loader = LOADERS[name]
    argument = loader.good(tmp_path)
    assert run(loader, argument, database_url).exit_code == 0
    after_first = counts(database, loader.tables)
    again = run(loader, argument, database_url)
    assert again.exit_code == 0, again.output
    assert again.stdout.startswith(loader.again)
    assert counts(database, loader.tables) == after_first


@pytest.mark.parametrize(
    ("name", "argument", "output"),
    [
        ("catalog", "catalog.json", "loaded 14 offers and 3 stores"),
        ("business-catalog", "business_catalog.json", "loaded 3 business products"),
        ("onboarding-catalog", "onboarding", "loaded 3 service types, 3 packages"),
        ("customers", "customers.json", "loaded 4 customers (0 added, 4 updated)"),
        ("numbers", "customers.json", "loaded 4 number pools (0 numbers added, 3800 already"),
    ],
)
def test_the_sandbox_files_load_again_onto_the_sandbox_data(
    name, argument, output, database_url, database
):
    loader = LOADERS[name]
    before = counts(database, loader.tables)
    result = run(loader, DATA / argument, database_url)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(output)
    assert counts(database, loader.tables) == before


# ---- bad files ---------------------------------------------------------------------------


BAD_FILES = [
    # name, a file whose first record is good, the problem the one line must name
    (
        "catalog",
        lambda tmp: write(tmp, {"offers": [offer(), offer(id="x", category="spaceship")]}),
        "offer x: unknown category 'spaceship'",
    ),
    (
        "catalog",
        lambda tmp: write(tmp, {"offers": [offer(), offer(id="x", monthlyCent=5)]}),
        "offers[1] (id 'x').monthlyCent: unknown key",
    ),
    (
        "catalog",
        lambda tmp: write(tmp, {"offers": [offer(), offer(monthlyCents="12.00")]}),
        "offers[1] (id 'plan-loaded').monthlyCents: Input should be a valid integer",
    ),
    ("catalog", lambda tmp: write(tmp, {"offers": [offer(), offer()]}), "appears twice"),
    (
        "business-catalog",
        lambda tmp: write(tmp, business_products(family="tin-cans")),
        "product dia-loaded: unknown family 'tin-cans'",
    ),
    (
        "business-catalog",
        lambda tmp: write(tmp, business_products(accessSpeeds=[{"id": "1G", "mbps": "fast"}])),
        "products[0] (id 'dia-loaded').accessSpeeds[0] (id '1G').mbps: Input should be",
    ),
    (
        "onboarding-catalog",
        lambda tmp: onboarding_directory(
            tmp, lambda bundle: bundle["packages"][0]["serviceTypes"].append("carrier-pigeon")
        ),
        "package home-essentials: unknown service types",
    ),
    (
        "onboarding-catalog",
        lambda tmp: onboarding_directory(tmp, lambda bundle: bundle["packages"][0].pop("plans")),
        "packages.json: packages[0] (id 'home-essentials').plans: missing",
    ),
    (
        "customers",
        lambda tmp: write(
            tmp,
            {
                "customers": [
                    customer(),
                    customer(
                        id="cus_2",
                        email="robin at example",
                        phone=None,
                        account={"id": "acc_2", "number": "900000000902"},
                    ),
                ]
            },
        ),
        "customer cus_2: the e-mail is not a valid address",
    ),
    (
        "customers",
        lambda tmp: write(tmp, {"customers": [customer(phone="214-555-0100")]}),
        "customer cus_robin_quinn: its phone is customer cus_alex_bell's",
    ),
    (
        "customers",
        lambda tmp: write(tmp, {"customers": [customer(password="short")]}),
        "customers[0] (id 'cus_robin_quinn').password: String should have at least 8 characters",
    ),
    (
        "numbers",
        lambda tmp: write(tmp, {"numberPools": [pool(), pool(first=9990, count=20)]}),
        "numberPools[1]: first + count goes past line 9999 of the exchange",
    ),
    ("numbers", lambda tmp: write(tmp, {"customers": []}), "numberPools: missing"),
    (
        "numbers",
        lambda tmp: write_text(tmp, '{"numberPools": ['),
        "is not JSON: Expecting value at line 1, column 18",
    ),
]


@pytest.mark.parametrize(("name", "bad", "problem"), BAD_FILES)
def test_a_bad_file_is_one_line_naming_it_and_nothing_is_written(
    name, bad, problem, database_url, database, tmp_path
):
    loader = LOADERS[name]
    before = counts(database, loader.tables)
    argument = bad(tmp_path)
    result = run(loader, argument, database_url)
    assert result.exit_code == 1
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith(f"{loader.what} not loaded: {tmp_path}")
    assert problem in line
    assert counts(database, loader.tables) == before


def test_a_refused_customer_is_named_by_id_and_its_personal_data_never_shown(
    database_url, tmp_path
):
    given = customer(email="robin@@example.com")
    result = run(LOADERS["customers"], write(tmp_path, {"customers": [given]}), database_url)
    assert result.exit_code == 1
    assert "customer cus_robin_quinn: the e-mail is not a valid address" in result.stderr
    for personal in ("robin@@example.com", "Robin", "Quinn", "555-0142", PASSWORD, "Ocean"):
        assert personal not in result.output


# ---- the loaded data at work -------------------------------------------------------------


def _sign_in(client: TestClient, password: str):
    return client.post(
        f"{BASE}/v1/auth",
        json={"method": "password", "username": "robin.quinn@example.com", "password": password},
    )


def test_a_loaded_customer_signs_in_with_its_password_and_finds_its_record(
    database_url, settings, tmp_path
):
    result = run(LOADERS["customers"], LOADERS["customers"].good(tmp_path), database_url)
    assert result.exit_code == 0, result.output
    for personal in ("robin", "Robin", "Quinn", "0142", PASSWORD, "900000000901"):
        assert personal not in result.output

    with TestClient(create_app(settings)) as client:
        signed_in = _sign_in(client, PASSWORD)
        assert signed_in.status_code == 200, signed_in.text
        headers = {"Authorization": f"Bearer {signed_in.json()['accessToken']}"}
        found = client.get(f"{BASE}/v1/customers", params={"phone": "3055550142"}, headers=headers)
        assert found.status_code == 200, found.text
        [record] = found.json()["customers"]
        assert record["id"] == "cus_robin_quinn"
        assert record["email"] == "robin.quinn@example.com"  # stored normalized
        assert [a["number"] for a in record["accounts"]] == ["900000000901"]
        offers = client.get(f"{BASE}/v1/offers", params={"zipCode": "33139"}, headers=headers)
        assert offers.status_code == 200, offers.text


def test_a_reload_updates_the_customer_and_sets_a_new_password(
    database_url, database, settings, tmp_path
):
    path = LOADERS["customers"].good(tmp_path)
    assert run(LOADERS["customers"], path, database_url).exit_code == 0
    moved = customer(
        lastName="Quinn-Park",
        password="changed-Robin-2027",
        address=customer()["address"] | {"city": "Austin", "state": "TX", "zipCode": "78701"},
    )
    changed = run(LOADERS["customers"], write(tmp_path, {"customers": [moved]}), database_url)
    assert changed.exit_code == 0, changed.output

    with database.transaction(write=False) as session:
        facts = customers.ordering_facts(session, customer_id="cus_robin_quinn")
        assert facts.zip_code == "78701"
        account = customers.billing_account(session, customer_id="cus_robin_quinn")
        assert (account.number, account.last_name) == ("900000000901", "Quinn-Park")
    with TestClient(create_app(settings)) as client:
        assert _sign_in(client, PASSWORD).status_code == 401
        assert _sign_in(client, "changed-Robin-2027").status_code == 200


def test_a_loaded_offer_is_listed_by_the_api(database_url, settings, tmp_path):
    argument = write(tmp_path, {"offers": [offer(monthlyCents=4200)]})
    assert run(LOADERS["catalog"], argument, database_url).exit_code == 0
    with TestClient(create_app(settings)) as client:
        signed_in = client.post(
            f"{BASE}/v1/auth",
            json={
                "method": "password",
                "username": "alex.bell@example.com",
                "password": "sandbox-Alex-2026",
            },
        )
        headers = {"Authorization": f"Bearer {signed_in.json()['accessToken']}"}
        listed = client.get(f"{BASE}/v1/offers", params={"category": "plan"}, headers=headers)
    prices = {o["id"]: o["prices"] for o in listed.json()["offers"]}
    assert prices["plan-loaded"][0] == {"type": "monthly", "amount": "42.00", "currency": "USD"}


def test_a_reloaded_pool_leaves_held_numbers_held(database_url, database, tmp_path):
    argument = LOADERS["numbers"].good(tmp_path)
    assert run(LOADERS["numbers"], argument, database_url).exit_code == 0
    with database.transaction() as session:
        session.execute(
            update(PhoneNumber).where(PhoneNumber.number == "3055552000").values(status="assigned")
        )
    assert run(LOADERS["numbers"], argument, database_url).exit_code == 0
    with database.transaction(write=False) as session:
        assert session.get(PhoneNumber, "3055552000").status == "assigned"
        assert "3055552000" not in numbers.search(session, area_code="305", count=100)


def test_an_unreachable_database_is_a_configuration_problem(tmp_path):
    """Exit code 2 from cli.main(), as for every command; the file was fine."""
    argument = LOADERS["numbers"].good(tmp_path)
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import orderhub.cli.data; from orderhub.cli import main; main()",
            *LOADERS["numbers"].command,
            str(argument),
            "--database-url",
            "postgresql://nobody:secret-pw@127.0.0.1:9/nowhere",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2, done.stderr
    [line] = done.stderr.splitlines()
    assert line.startswith("orderhub: cannot reach the database at 127.0.0.1:9/nowhere")
    assert "secret-pw" not in line


@pytest.mark.parametrize(
    ("command", "says"),
    [
        ("catalog", "Insert or update"),
        ("business-catalog", "Insert or update"),
        ("onboarding-catalog", "Replace"),
        ("customers", "Insert or update"),
        ("numbers", "Insert only"),
    ],
)
def test_each_command_says_how_it_loads(command, says):
    result = runner.invoke(app, [command, "load", "--help"])
    assert result.exit_code == 0
    assert says in result.output
    assert "Migrates the database first" in result.output
