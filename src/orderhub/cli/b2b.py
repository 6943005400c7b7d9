"""`orderhub b2b ...`: operating B2B orders (registered on the `orderhub` app of cli/app.py)."""

from __future__ import annotations

from typing import Annotated

import typer

from orderhub.cli.app import DatabaseUrl, _settings, app, console

b2b_app = typer.Typer(help="B2B partner orders.", no_args_is_help=True)
app.add_typer(b2b_app, name="b2b")


@b2b_app.command("advance")
def advance(
    order_id: Annotated[str, typer.Argument(help="The B2B order's id (bor_...).")],
    steps: Annotated[int, typer.Option(min=1, max=20, help="Milestones to advance.")] = 1,
    database_url: DatabaseUrl = None,
) -> None:
    """Ask the provisioning system for the order's next milestones now, rather than on
    its schedule (the sandbox moves each open sub-order one milestone per step)."""
    from orderhub.adapters.registry import Adapters
    from orderhub.db import Database
    from orderhub.errors import OrderHubError
    from orderhub.partner_orders import progress

    settings = _settings(database_url)
    provisioning = Adapters.for_settings(settings).provisioning
    database = Database(settings.database_url)
    try:
        for _ in range(steps):
            with database.transaction() as session:
                order = progress.lock_any(session, order_id=order_id)
                if order is None:
                    console.print(f"[red]no B2B order[/] {order_id!r}")
                    raise typer.Exit(1)
                progress.advance(
                    session, order=order, provisioning=provisioning, actor="operator:cli"
                )
                status = progress.lock_any(session, order_id=order_id).status
            console.print(f"order {order_id} is now [bold]{status}[/]")
    except OrderHubError as exc:
        console.print(f"[red]refused[/]: {exc.detail}")
        raise typer.Exit(1) from exc
    finally:
        database.dispose()
