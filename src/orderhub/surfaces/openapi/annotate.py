"""Recorded examples and each operation's problem codes, from the data files beside this
module, put into the document.

`data/examples.json` holds one request and one response body per (operation, status),
recorded from real runs by `scripts/record_openapi_examples.py` (secrets replaced).
`data/problem_codes.json` lists, per operation and status, the `code`s its problems carry,
plus the codes any operation may answer (`shared`); the API tests fail on a code it does
not list (tests/api/conftest.py), and `scripts/update_problem_codes.py` merges new ones.
"""

from __future__ import annotations

import json
from functools import cache
from http import HTTPStatus
from importlib import resources
from typing import Any

from orderhub.surfaces.openapi.operations import operations
from orderhub.surfaces.problems import PROBLEM_JSON

DATA = resources.files("orderhub.surfaces.openapi") / "data"
EXAMPLES_FILE = "examples.json"
PROBLEM_CODES_FILE = "problem_codes.json"


@cache
def load(name: str) -> dict[str, Any]:
    """A data file (read once per process)."""
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def add_examples(document: dict[str, Any], recorded: dict[str, Any]) -> None:
    """`example` on request bodies (from a successful call) and on responses."""
    for _, _, operation in operations(document):
        by_status: dict[str, dict[str, Any]] = recorded.get(operation["operationId"], {})
        body = operation.get("requestBody")
        successes = [by_status[s] for s in sorted(by_status) if s.startswith("2")]
        sent = next((pair["request"] for pair in successes if "request" in pair), None)
        if body and sent is not None:
            for media in body.get("content", {}).values():
                media["example"] = sent
        for status, pair in by_status.items():
            response = operation.get("responses", {}).get(status)
            if response and "response" in pair:
                for media in response.get("content", {}).values():
                    media["example"] = pair["response"]


def _problem_response(status: int) -> dict[str, Any]:
    return {
        "description": HTTPStatus(status).phrase,
        "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/ProblemOut"}}},
    }


def add_problem_codes(document: dict[str, Any], table: dict[str, Any]) -> None:
    """Each error response lists its codes (`x-problem-codes`, and in its description);
    the codes any operation may answer are listed once (`x-problem-codes-shared`)."""
    shared: dict[str, list[str]] = table.get("shared", {})
    document["x-problem-codes-shared"] = shared
    for _, _, operation in operations(document):
        own: dict[str, list[str]] = table.get("operations", {}).get(operation["operationId"], {})
        responses = operation.setdefault("responses", {})
        for status in own:
            if status not in responses:
                responses[status] = _problem_response(int(status))
        for status, response in sorted(responses.items()):
            if not status.isdigit() or PROBLEM_JSON not in response.get("content", {}):
                continue  # a success, or an answer that is no problem (/readyz's 503)
            common = shared.get(status, [])
            if status == "401" and not operation.get("security"):
                common = []  # the shared 401s are about a bearer token this one takes none of
            codes = sorted(set(own.get(status, [])) | set(common))
            if codes:
                response["x-problem-codes"] = codes
                listed = ", ".join(f"`{code}`" for code in codes)
                base = response.get("description", "").rstrip(". ")
                response["description"] = f"{base}. Codes: {listed}."
        operation["responses"] = dict(
            sorted(responses.items(), key=lambda item: (not item[0].isdigit(), item[0]))
        )


def shared_codes_text(table: dict[str, Any]) -> str:
    """A paragraph for the document's description: the codes any operation may answer."""
    lines = [
        "**Problem codes.** Every error is `application/problem+json` with a stable `code`; "
        "each operation's error responses list the codes they carry (`x-problem-codes`). "
        "These are common to the operations (the 401s to those taking a bearer token), "
        "listed once here as `x-problem-codes-shared`:",
        "",
    ]
    for status, codes in sorted(table.get("shared", {}).items()):
        lines.append(f"* {status}: " + ", ".join(f"`{code}`" for code in codes))
    return "\n".join(lines)
