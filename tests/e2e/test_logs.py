"""The log a served process writes with `--log-format json`: one JSON object per line, an
access line per request with its route template, caller and request id, and a failed
webhook delivery logged with its event id."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.api.b2b_helpers import ALLIANCE_ONLY_CUSTOMER, OPERATOR, token_form


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _lines(log: Path) -> list[dict]:
    return [json.loads(line) for line in log.read_text().splitlines() if line.strip()]


def test_json_lines_carry_request_ids_and_worker_failures(database_url, tmp_path):
    port = _free_port()
    log = tmp_path / "server.log"
    clean = {k: v for k, v in os.environ.items() if not k.startswith("ORDERHUB_")}
    with log.open("w") as out:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "orderhub",
                "serve",
                "--port",
                str(port),
                "--log-format",
                "json",
            ],
            env=clean
            | {"ORDERHUB_DATABASE_URL": database_url, "ORDERHUB_WORKER_POLL_SECONDS": "0.2"},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{url}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        with httpx.Client(base_url=url, timeout=10) as http:
            token = http.post("/oauth/token", data=token_form()).json()["access_token"]
            partner = {"Authorization": f"Bearer {token}", "X-Request-ID": "req-json-logs-1"}
            # A webhook whose receiver is down, then an event for it.
            closed = _free_port()
            created = http.post(
                "/b2b/v1/webhooks",
                json={"url": f"http://127.0.0.1:{closed}/hook", "eventTypes": ["*"]},
                headers=partner,
            )
            assert created.status_code == 201, created.text
            request = http.post(
                f"/b2b/v1/customers/{ALLIANCE_ONLY_CUSTOMER}/exception-requests",
                json={"reason": "The customer asked us for a quote."},
                headers=partner,
            ).json()
            approved = http.post(
                f"/operator/v1/exception-requests/{request['id']}/approve",
                json={"note": "ok"},
                headers=OPERATOR,
            )
            assert approved.status_code == 200, approved.text
            events = http.get("/b2b/v1/events", params={"after": 0}, headers=partner).json()
        event_id = events["events"][0]["id"]
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not any(
            line.get("eventId") == event_id for line in _lines(log)
        ):
            time.sleep(0.2)
    finally:
        server.terminate()
        server.wait(timeout=15)

    lines = _lines(log)  # every line is JSON: json.loads would have failed otherwise
    access = [line for line in lines if line["logger"] == "orderhub.access"]
    mine = [line for line in access if line.get("requestId") == "req-json-logs-1"]
    assert {line["route"] for line in mine} == {
        "/b2b/v1/webhooks",
        "/b2b/v1/customers/{id}/exception-requests",
        "/b2b/v1/events",
    }
    assert all(line["caller"] == "partner:prt_sandbox" for line in mine)
    assert all(line["level"] == "info" and "durationMs" in line for line in mine)
    operator = next(line for line in access if "/approve" in line["route"])
    assert operator["caller"] == "operator" and operator["status"] == 200
    assert token not in log.read_text()  # no secret, no token, no body is ever logged
    [failed, *_] = [line for line in lines if line.get("eventId") == event_id]
    assert failed["level"] == "warning"
    assert failed["attempt"] == 1 and failed["final"] is False
    assert failed["error"] == "ConnectError"
    assert failed["deliveryId"].startswith("dlv_")
