"""The app under test, and a check on every test: each problem an operation answers
carries a code its OpenAPI responses list (`x-problem-codes`) or a shared one.

The documented table is src/orderhub/surfaces/openapi/data/problem_codes.json. A new
code fails the test that provoked it; document it there (by hand, or run the tests with
ORDERHUB_RECORD_PROBLEM_CODES=DIR, which records instead of failing, then
scripts/update_problem_codes.py DIR).
"""

from __future__ import annotations

import dataclasses
import json
import os
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import Request
from fastapi.testclient import TestClient

from orderhub.app import create_app
from orderhub.config import Settings
from orderhub.surfaces import problems
from orderhub.surfaces.openapi.operations import OperationIndex
from tests.apps import started_client

RECORD_CODES = os.environ.get("ORDERHUB_RECORD_PROBLEM_CODES")


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with started_client(settings, raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def openapi_document() -> dict[str, Any]:
    """The document a sandbox instance serves (built without a database)."""
    settings = dataclasses.replace(
        Settings.from_env(), database_url="sqlite://", sandbox=True, worker_in_server=False
    )
    return create_app(settings).openapi()


class DocumentedCodes:
    """The problem codes the document lists per operation and status, and those seen."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.index = OperationIndex(document)
        self.shared: dict[str, list[str]] = document.get("x-problem-codes-shared", {})
        self.seen: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))

    def undocumented(self, request: Request, status: int, code: str) -> str | None:
        """Why this problem breaks the document, or None when it is listed."""
        route = request.scope.get("route")
        if route is None:  # routed nowhere: an unknown path
            return None
        found = self.index.find(request.method, request.url.path, route.path)
        if found is None:  # no operation: a method the path lacks, the docs pages
            return None
        template, operation = found
        self.seen[operation["operationId"]][str(status)].add(code)
        response = operation.get("responses", {}).get(str(status))
        # A declared status lists its codes; any other may carry only the shared ones.
        listed = response.get("x-problem-codes", []) if response else self.shared.get(str(status))
        if code in (listed or []):
            return None
        return (
            f"{request.method} {template} ({operation['operationId']}) answered {status} "
            f"`{code}`, which its OpenAPI responses do not list: add it to "
            "src/orderhub/surfaces/openapi/data/problem_codes.json"
        )


@pytest.fixture(scope="session")
def documented_codes(openapi_document: dict[str, Any]) -> Iterator[DocumentedCodes]:
    codes = DocumentedCodes(openapi_document)
    yield codes
    if RECORD_CODES:
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        seen = {
            op: {status: sorted(found) for status, found in by_status.items()}
            for op, by_status in codes.seen.items()
        }
        Path(RECORD_CODES).mkdir(parents=True, exist_ok=True)
        (Path(RECORD_CODES) / f"codes-{worker}.json").write_text(json.dumps(seen, indent=1))


@pytest.fixture(autouse=True)
def problem_codes_are_documented(documented_codes: DocumentedCodes) -> Iterator[None]:
    broken: list[str] = []

    def observe(request: Request, status: int, code: str) -> None:
        if reason := documented_codes.undocumented(request, status, code):
            broken.append(reason)

    problems.problem_observers.append(observe)
    try:
        yield
    finally:
        problems.problem_observers.remove(observe)
    if broken and not RECORD_CODES:
        pytest.fail("\n".join(sorted(set(broken))), pytrace=False)
