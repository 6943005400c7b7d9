"""`orderhub operators ...`: the people who sign in to the operations console
(docs/console.md), registered on the `orderhub` app of cli/app.py."""

from __future__ import annotations

from typing import Annotated

import typer

from orderhub.cli.app import DatabaseUrl, _settings, app, console

operators_app = typer.Typer(help="Operations console users.", no_args_is_help=True)
app.add_typer(operators_app, name="operators")

Role = Annotated[
    str, typer.Option("--role", help="viewer (reads), agent (acts on orders), admin (all).")
]


def _run(database_url: str | None, work):  # type: ignore[no-untyped-def]
    from orderhub import migrate
    from orderhub.db import Database
    from orderhub.errors import OrderHubError

    database = Database(_settings(database_url).database_url)
    try:
        # Like the `... load` commands: a fresh database gets its tables first, so the first
        # admin can be made before the first `serve`.
        migrate.upgrade(database)
        with database.transaction() as session:
            return work(session)
    except OrderHubError as exc:
        console.print(f"[red]refused[/]: {exc.detail}")
        raise typer.Exit(1) from exc
    finally:
        database.dispose()


@operators_app.command("create")
def operators_create(
    name: Annotated[str, typer.Argument(help="The username they sign in with.")],
    role: Role = "viewer",
    display_name: Annotated[
        str | None, typer.Option("--display-name", help="Shown in the console.")
    ] = None,
    password: Annotated[
        str,
        typer.Option(
            prompt=True,
            hide_input=True,
            confirmation_prompt=True,
            envvar="ORDERHUB_NEW_OPERATOR_PASSWORD",
            # Not offered on the command line (shell history, `ps`): asked for, or the
            # environment variable.
            hidden=True,
            help="At least 12 characters; asked for when not given "
            "(or ORDERHUB_NEW_OPERATOR_PASSWORD).",
        ),
    ] = ...,  # type: ignore[assignment]
    database_url: DatabaseUrl = None,
) -> None:
    """Create a console user (the password is stored as an argon2 hash only)."""
    from orderhub.operators import service as operators

    user = _run(
        database_url,
        lambda session: operators.create(
            session, username=name, password=password, role=role, display_name=display_name
        ),
    )
    console.print(f"Created operator [bold]{user.username}[/] ({user.role}), id {user.id}")


@operators_app.command("list")
def operators_list(database_url: DatabaseUrl = None) -> None:
    """Every console user with their role (never their password hash)."""
    from rich.table import Table

    from orderhub.operators import service as operators

    users = _run(database_url, operators.list_all)
    table = Table("username", "name", "role", "status", "id")
    for u in users:
        table.add_row(
            u.username, u.display_name, u.role, "disabled" if u.disabled_at else "active", u.id
        )
    console.print(table)


@operators_app.command("set-role")
def operators_set_role(
    name: Annotated[str, typer.Argument(help="The username.")],
    role: Role,
    database_url: DatabaseUrl = None,
) -> None:
    """Change a user's role (their open sessions take it at their next page); never the
    last active admin's."""
    from orderhub.operators import service as operators

    def work(session):  # type: ignore[no-untyped-def]
        user = operators.find(session, username=name)
        if user is None:
            raise operators.OperatorNotFound(f"No operator named '{name}'.")
        return operators.change_role(session, user_id=user.id, role=role)

    user = _run(database_url, work)
    console.print(f"{user.username} is now {user.role}")


@operators_app.command("disable")
def operators_disable(
    name: Annotated[str, typer.Argument(help="The username.")],
    enable: Annotated[bool, typer.Option("--enable", help="Enable again instead.")] = False,
    database_url: DatabaseUrl = None,
) -> None:
    """Disable a user: they cannot sign in and their sessions end at once (never the last
    active admin)."""
    from orderhub.operators import service as operators

    def work(session):  # type: ignore[no-untyped-def]
        user = operators.find(session, username=name)
        if user is None:
            raise operators.OperatorNotFound(f"No operator named '{name}'.")
        return operators.change_disabled(
            session, user_id=user.id, disabled=not enable, by_user_id=""
        )

    user = _run(database_url, work)
    console.print(f"{user.username} is {'disabled' if user.disabled_at else 'enabled'}")
