"""`orderhub partners ...` and `orderhub exceptions ...`, checked over HTTP afterwards."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from orderhub.cli import app
from tests.api.b2b_helpers import B2B, file_exception, partner_headers, token_form
from tests.helpers import is_problem

runner = CliRunner()


@pytest.fixture(autouse=True)
def _restore_environment(monkeypatch):
    # The CLI exports ORDERHUB_DATABASE_URL for its worker processes; undo that after.
    monkeypatch.setenv("ORDERHUB_DATABASE_URL", "sqlite:///unused-by-these-tests.db")


def credentials(output: str) -> tuple[str, str]:
    client_id = re.search(r"client_id:\s+(\S+)", output).group(1)
    secret = re.search(r"client_secret:\s+(\S+)", output).group(1)
    return client_id, secret


def test_partners_create_prints_a_working_client_id_and_secret_once(client, database_url):
    result = runner.invoke(
        app, ["partners", "create", "Acme Partners", "--database-url", database_url]
    )

    assert result.exit_code == 0, result.output
    client_id, secret = credentials(result.output)
    assert client_id.startswith("cli_") and secret.startswith("ohsec_")
    assert client.post("/oauth/token", data=token_form((client_id, secret))).status_code == 200
    again = runner.invoke(
        app, ["partners", "create", "Acme Partners", "--database-url", database_url]
    )
    assert again.exit_code == 1 and "already exists" in again.output


def test_partners_rotate_secret_replaces_the_secret(client, database_url):
    result = runner.invoke(
        app, ["partners", "rotate-secret", "sandbox-partner", "--database-url", database_url]
    )

    assert result.exit_code == 0, result.output
    client_id, secret = credentials(result.output)
    assert client_id == "sandbox-partner"
    assert is_problem(client.post("/oauth/token", data=token_form()), 401, "invalid_client")
    assert client.post("/oauth/token", data=token_form((client_id, secret))).status_code == 200
    unknown = runner.invoke(
        app, ["partners", "rotate-secret", "cli_unknown", "--database-url", database_url]
    )
    assert unknown.exit_code == 1 and "no API client" in unknown.output


@pytest.mark.parametrize("decision", ["approve", "reject"])
def test_exceptions_are_decided_from_the_command_line(client, database_url, decision):
    headers = partner_headers(client)
    request = file_exception(client, headers)
    listed = runner.invoke(app, ["exceptions", "list", "--database-url", database_url])
    assert listed.exit_code == 0 and request["id"] in listed.output

    result = runner.invoke(
        app,
        [
            "exceptions",
            decision,
            request["id"],
            "--note",
            "Checked.",
            "--database-url",
            database_url,
        ],
    )

    assert result.exit_code == 0, result.output
    seen = client.get(f"{B2B}/exception-requests/{request['id']}", headers=headers).json()
    assert seen["status"] == {"approve": "approved", "reject": "rejected"}[decision]
    assert seen["decisionNote"] == "Checked."
    twice = runner.invoke(
        app, ["exceptions", decision, request["id"], "--database-url", database_url]
    )
    assert twice.exit_code == 1 and "a decision is final" in twice.output


def test_deciding_an_unknown_exception_request_fails(database_url):
    result = runner.invoke(
        app, ["exceptions", "approve", "exr_never", "--database-url", database_url]
    )
    assert result.exit_code == 1 and "No exception request" in result.output
    bad = runner.invoke(
        app, ["exceptions", "list", "--status", "maybe", "--database-url", database_url]
    )
    assert bad.exit_code == 2
