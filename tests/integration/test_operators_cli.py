"""`orderhub operators ...`: console users made, listed, re-roled and disabled from the
command line, with the password asked for and never printed."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from orderhub.cli import app
from orderhub.operators import service as operators
from orderhub.operators.rules import Role, may

runner = CliRunner()


@pytest.fixture(autouse=True)
def _restore_environment(monkeypatch):
    # The CLI exports ORDERHUB_DATABASE_URL for its worker processes; undo that after.
    monkeypatch.setenv("ORDERHUB_DATABASE_URL", "sqlite:///unused-by-these-tests.db")


def test_create_asks_for_the_password_twice_and_stores_only_a_hash(database_url, database):
    run = runner.invoke(
        app,
        ["operators", "create", "Dana.Desk", "--role", "agent", "--database-url", database_url],
        input="a-long-password-1\na-long-password-1\n",
    )
    assert run.exit_code == 0, run.output
    assert "dana.desk (agent)" in run.output
    assert "a-long-password-1" not in run.output
    with database.transaction() as session:
        user = operators.find(session, username="dana.desk")
    assert user.role == "agent" and user.password_hash.startswith("$argon2")


def test_create_refuses_a_short_password_a_taken_name_and_an_unknown_role(database_url):
    def create(name: str, role: str, password: str):
        return runner.invoke(
            app,
            ["operators", "create", name, "--role", role, "--database-url", database_url],
            env={"ORDERHUB_NEW_OPERATOR_PASSWORD": password},
        )

    short = create("eve", "viewer", "short")
    assert short.exit_code == 1 and "at least 12 characters" in short.output
    taken = create("ops-agent", "viewer", "a-long-password-2")
    assert taken.exit_code == 1 and "already an operator named 'ops-agent'" in taken.output
    role = create("frank", "boss", "a-long-password-3")
    assert role.exit_code == 1 and "viewer, agent or admin" in role.output


def test_list_set_role_and_disable(database_url, database):
    listed = runner.invoke(app, ["operators", "list", "--database-url", database_url])
    assert listed.exit_code == 0
    assert "ops-viewer" in listed.output and "$argon2" not in listed.output
    promoted = runner.invoke(
        app,
        ["operators", "set-role", "ops-viewer", "--role", "agent", "--database-url", database_url],
    )
    assert promoted.exit_code == 0 and "ops-viewer is now agent" in promoted.output
    disabled = runner.invoke(
        app, ["operators", "disable", "ops-viewer", "--database-url", database_url]
    )
    assert disabled.exit_code == 0 and "disabled" in disabled.output
    with database.transaction() as session:
        user = operators.find(session, username="ops-viewer")
    assert user.role == "agent" and user.disabled_at is not None
    missing = runner.invoke(app, ["operators", "disable", "nobody", "--database-url", database_url])
    assert missing.exit_code == 1 and "No operator named 'nobody'" in missing.output


def test_roles_cover_the_ones_below_them():
    assert may("admin", Role.AGENT) and may("agent", Role.VIEWER) and may("viewer", Role.VIEWER)
    assert not may("viewer", Role.AGENT) and not may("agent", Role.ADMIN)


def test_the_first_admin_is_made_on_a_fresh_database_and_stays_the_last(empty_database_url):
    made = runner.invoke(
        app,
        ["operators", "create", "root", "--role", "admin", "--database-url", empty_database_url],
        env={"ORDERHUB_NEW_OPERATOR_PASSWORD": "a-long-password-9"},
    )
    assert made.exit_code == 0, made.output
    for command in (["set-role", "root", "--role", "viewer"], ["disable", "root"]):
        kept = runner.invoke(app, ["operators", *command, "--database-url", empty_database_url])
        assert kept.exit_code == 1 and "last active admin" in kept.output
