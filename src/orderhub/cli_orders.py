"""`orderhub orders advance`: a consumer order's next fulfillment milestone now
(registered on cli.py's `orders` group)."""

from __future__ import annotations

from typing import Annotated

import typer

from orderhub.cli import DatabaseUrl, _settings, console, orders_app


@orders_app.command("advance")
def advance(
    order_id: Annotated[str, typer.Argument(help="The consumer order's id (ord_...).")],
    steps: Annotated[int, typer.Option(min=1, max=20, help="Milestones to advance.")] = 1,
    database_url: DatabaseUrl = None,
) -> None:
    """Ask the fulfillment system for the order's next milestone now, rather than on its
    schedule (an order not handed off yet is handed off first)."""
    from orderhub.adapters.registry import Adapters
    from orderhub.db import Database
    from orderhub.errors import OrderHubError
    from orderhub.orders import progress
    from orderhub.orders import service as orders

    settings = _settings(database_url)
    fulfillment = Adapters.for_settings(settings).fulfillment
    database = Database(settings.database_url)
    try:
        for _ in range(steps):
            with database.transaction() as session:
                order = orders.lock_for_operator(session, order_id=order_id)
                if order is None or order.channel != "direct":
                    console.print(f"[red]no consumer order[/] {order_id!r}")
                    raise typer.Exit(1)
                order = progress.advance(
                    session, order=order, fulfillment=fulfillment, actor="operator:cli"
                )
            console.print(f"order {order_id} is now [bold]{order.status}[/]")
    except OrderHubError as exc:
        console.print(f"[red]refused[/]: {exc.detail}")
        raise typer.Exit(1) from exc
    finally:
        database.dispose()
