"""Schemathesis generates requests for every operation of the served OpenAPI document,
with a signed-in customer's token, and checks that no response is a server error or
contradicts the document (status codes, content types, headers, bodies)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import httpx

from tests.helpers import sign_in

SCHEMATHESIS = str(Path(sys.executable).with_name("schemathesis"))
CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_headers_conformance",
        "response_schema_conformance",
    ]
)


def test_no_operation_breaks_its_contract(serve, tmp_path):
    url = serve()
    with httpx.Client(base_url=url) as client:
        token = sign_in(client)["Authorization"]
    run = subprocess.run(
        [
            SCHEMATHESIS,
            "run",
            f"{url}/openapi.json",
            "-H",
            f"Authorization: {token}",
            "--checks",
            CHECKS,
            "--max-examples",
            "25",
            "--seed",
            "20261123",
            "--no-color",
            "--generation-database",
            "none",
            "--report-dir",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
    # Every generated case passed, and there were enough of them to mean something.
    counts = re.search(r"(\d+) generated, (\d+) passed", run.stdout)
    assert counts and counts.group(1) == counts.group(2), run.stdout[-3000:]
    assert int(counts.group(1)) > 500
