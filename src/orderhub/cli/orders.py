"""`orderhub orders set-status | advance | list | show`: a consumer order moved as
operations, or to its next fulfillment milestone now; the order ledger (every channel's
orders) in the terminal (registered on the `orders` group of cli/app.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import typer
from rich.table import Table

from orderhub.cli.app import DatabaseUrl, _settings, console, orders_app


@orders_app.command("set-status")
def orders_set_status(
    order_id: Annotated[str, typer.Argument(help="The order's id.")],
    status: Annotated[str, typer.Argument(help="inFulfillment, completed, rejected or cancelled")],
    reason: Annotated[str | None, typer.Option(help="Recorded on the order's event.")] = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Move an order along its state table as operations (e.g. submitted -> inFulfillment)."""
    from orderhub.db import Database
    from orderhub.errors import OrderHubError
    from orderhub.orders import lifecycle
    from orderhub.orders import service as orders
    from orderhub.orders.states import OrderStatus

    try:
        target = OrderStatus(status)
    except ValueError as exc:
        console.print(f"[red]unknown status[/] {status!r}: {', '.join(OrderStatus)}")
        raise typer.Exit(2) from exc
    database = Database(_settings(database_url).database_url)
    try:
        with database.transaction() as session:
            order = orders.lock_for_operator(session, order_id=order_id)
            # The ledger holds every channel's orders; this state table is the consumer's.
            if order is None or order.channel != "direct":
                console.print(f"[red]no consumer order[/] {order_id}")
                raise typer.Exit(1)
            lifecycle.change_status(
                session, order=order, target=target, actor="operator:cli", reason=reason
            )
    except OrderHubError as exc:
        console.print(f"[red]refused[/]: {exc.detail}")
        raise typer.Exit(1) from exc
    finally:
        database.dispose()
    console.print(f"order {order_id} is now [bold]{target}[/]")


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


@orders_app.command("list")
def list_orders(
    channel: Annotated[str | None, typer.Option(help="direct, partner, onboarding or care")] = None,
    state: Annotated[str | None, typer.Option(help="The common state, e.g. inProgress")] = None,
    status: Annotated[str | None, typer.Option(help="The channel's own status")] = None,
    customer: Annotated[
        str | None, typer.Option(help="Customer, business customer, onboarding account or FAN")
    ] = None,
    partner: Annotated[str | None, typer.Option(help="The partner who placed them")] = None,
    reference: Annotated[str | None, typer.Option(help="Any external reference")] = None,
    ctn: Annotated[str | None, typer.Option(help="A line's number")] = None,
    created_from: Annotated[
        datetime | None, typer.Option("--created-from", help="Created at or after")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=100)] = 20,
    offset: Annotated[int, typer.Option(min=0)] = 0,
    database_url: DatabaseUrl = None,
) -> None:
    """Orders of every channel, newest first (the same filters as GET /operator/v1/orders)."""
    from orderhub.db import Database
    from orderhub.ledger import queries

    database = Database(_settings(database_url).database_url)
    try:
        with database.transaction(write=False) as session:
            rows, total = queries.search(
                session,
                where=queries.OrderFilter(
                    channel=channel,
                    state=state,
                    status=status,
                    customer=customer,
                    partner=partner,
                    reference=reference,
                    ctn=ctn,
                    created_from=created_from,
                ),
                limit=limit,
                offset=offset,
            )
    finally:
        database.dispose()
    table = Table(title=f"{len(rows)} of {total} orders", title_justify="left")
    # Ids whole (they are copied into `orders show`); the rest wraps in a narrow terminal.
    table.add_column("id", no_wrap=True, min_width=28)
    for column in ("channel", "state", "status", "owner", "for", "monthly", "created"):
        table.add_column(column, overflow="fold")
    for r in rows:
        table.add_row(
            r.id,
            r.channel,
            r.state,
            r.status,
            r.owner,
            f"{r.party_kind}:{r.party_id}",
            f"{r.monthly_cents / 100:.2f} {r.currency}",
            r.created_at.strftime("%Y-%m-%d %H:%M"),
        )
    console.print(table)


@orders_app.command("show")
def show_order(
    order_id: Annotated[str, typer.Argument(help="An order id of any channel.")],
    database_url: DatabaseUrl = None,
) -> None:
    """One order of any channel: its ledger row, references and whole history."""
    from orderhub.db import Database
    from orderhub.ledger import queries
    from orderhub.ledger import service as ledger

    database = Database(_settings(database_url).database_url)
    try:
        with database.transaction(write=False) as session:
            row = queries.get(session, order_id=order_id)
            if row is None:
                console.print(f"[red]no order[/] {order_id}")
                raise typer.Exit(1)
            references = queries.references(session, orders=[row])[row.id]
            history = ledger.history(session, order_id=row.id)
    finally:
        database.dispose()
    summary = Table(show_header=False, title=f"{row.channel} order {row.id}", title_justify="left")
    summary.add_column(style="bold")
    summary.add_column()
    for name, value in (
        ("state", row.state),
        ("status", row.status),
        ("owner", row.owner),
        ("for", f"{row.party_kind}:{row.party_id}"),
        ("totals", f"{row.monthly_cents / 100:.2f} monthly, {row.one_time_cents / 100:.2f} once"),
        *((f"ref {kind}", value) for kind, value in references.items()),
        ("created", str(row.created_at)),
        ("updated", str(row.updated_at)),
        ("submitted", str(row.submitted_at or "")),
        ("completed", str(row.completed_at or "")),
    ):
        summary.add_row(name, value)
    console.print(summary)
    events = Table(title="history", title_justify="left")
    for column in ("when", "event", "by", "from", "to", "about"):
        events.add_column(column)
    for e in history:
        events.add_row(
            e.created_at.strftime("%Y-%m-%d %H:%M:%S"),
            e.type,
            e.actor,
            e.from_status or "",
            e.to_status or "",
            e.subject_id or "",
        )
    console.print(events)
