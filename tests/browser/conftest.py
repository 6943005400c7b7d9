"""Browser tests of the operations console: a real Chromium (Debian's `chromium`, driven
by Playwright) against a real `orderhub serve` process.

One server per test module and backend (starting one costs seconds; each test makes the
data it needs and never counts on another's), one Chromium per module, and a fresh
browser context (no cookies) per test. The sandbox's operator users sign in: `ops-viewer`,
`ops-agent`, `ops-admin`, password `orderhub-sandbox` (docs/console.md).

Helpers: `sign_in(page, console, username)`, `assert_accessible(page)` (axe-core, no
serious or critical violation), `shoot(page, name)` (with ORDERHUB_CONSOLE_SCREENSHOTS=1,
saves docs/images/console/<name>.png for docs/console.md).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from orderhub.bench.server import serving
from tests.conftest import sandbox_database

CHROMIUM = os.environ.get("ORDERHUB_CHROMIUM", "/usr/bin/chromium")
# CI installs Chromium (.ci/run): there a missing browser fails the run instead of
# skipping its tests.
REQUIRE_BROWSER = os.environ.get("ORDERHUB_REQUIRE_BROWSER") == "1"
PASSWORD = "orderhub-sandbox"
OPERATOR_TOKEN = {"Authorization": "Bearer sandbox-operator-token"}
SHOTS = Path(__file__).resolve().parents[2] / "docs" / "images" / "console"
# The flags this machine's Chromium needs headless as root, without the background
# connections a closed network refuses (docs/console.md, "Browser tests").
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
# Fast sandbox systems, so an order moves through its milestones while a test watches.
SERVER_ENV = {
    "ORDERHUB_FULFILLMENT_STEP_SECONDS": "1",
    "ORDERHUB_PROVISIONING_STEP_SECONDS": "1",
    "ORDERHUB_WORKER_POLL_SECONDS": "0.2",
    "ORDERHUB_WEBHOOK_RETRY_BASE_SECONDS": "1",
    "ORDERHUB_SIGN_INS_PER_SECOND": "1000",
}


@dataclass(frozen=True)
class Console:
    """A served OrderHub: its base URL and its database."""

    url: str
    database_url: str
    backend: str

    def api(self) -> httpx.Client:
        """An HTTP client of the same server's APIs (to make the data a test needs)."""
        return httpx.Client(base_url=self.url, timeout=30)

    def page_url(self, path: str = "/") -> str:
        return f"{self.url}/console{path}"


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Chromium for one module's tests. Never kept beyond them: while Playwright's sync API
    runs, the worker's thread has a running event loop, and any other test calling
    asyncio.run() meanwhile would fail. pytest ends a module's fixtures before the next
    module's test runs, so no other test runs in between (a module's tests run together
    on one xdist worker unless the other steals some: pytest_collection_modifyitems in
    tests/conftest.py)."""
    if not Path(CHROMIUM).exists():
        message = f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
        if REQUIRE_BROWSER:
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


# Both backends, like every test; ORDERHUB_BROWSER_BACKENDS=sqlite runs one (quicker while
# working on a page).
BACKENDS = [
    b.strip()
    for b in os.environ.get("ORDERHUB_BROWSER_BACKENDS", "sqlite,postgresql").split(",")
    if b.strip()
]


@pytest.fixture(scope="module", params=BACKENDS)
def console(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Console]:
    """A server for this module's tests, on a fresh copy of the sandbox database."""
    backend = request.param
    tmp = tmp_path_factory.mktemp(f"console-{backend}")
    with (
        sandbox_database(request, backend, tmp) as database_url,
        serving(
            "orderhub",
            database_url=database_url,
            workers=1,
            log=tmp / "server.log",
            # A module may add settings of its own (CONSOLE_ENV = {...}).
            env=SERVER_ENV | getattr(request.module, "CONSOLE_ENV", {}),
        ) as running,
    ):
        yield Console(running.url, database_url, backend)


@pytest.fixture
def page(browser) -> Iterator[object]:
    """A fresh browser context (no cookies) in a zone that is not UTC, so the page must
    show times in the agent's zone."""
    context = browser.new_context(
        timezone_id="America/Chicago", locale="en-US", viewport={"width": 1366, "height": 900}
    )
    context.set_default_timeout(15_000)
    opened = context.new_page()
    yield opened
    context.close()


def sign_in(page, console: Console, username: str = "ops-agent", next_path: str = "/") -> None:
    """Sign in through the real form; ends on the page asked for."""
    page.goto(console.page_url(f"/sign-in?next=/console{next_path}"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(re.escape(console.page_url(next_path.split("?")[0]))))


def assert_accessible(page) -> None:
    """axe-core finds no serious or critical violation on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not bad, f"accessibility violations on {page.url}:\n" + "\n".join(bad)


def shoot(page, name: str) -> None:
    """A screenshot for docs/console.md, when ORDERHUB_CONSOLE_SCREENSHOTS=1."""
    if os.environ.get("ORDERHUB_CONSOLE_SCREENSHOTS") == "1":
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
