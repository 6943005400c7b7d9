"""`orderhub partners ...` and `orderhub exceptions ...`: B2B partners, their API
clients and their exception requests (registered on the `orderhub` app of cli/app.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from orderhub.cli.app import DatabaseUrl, _settings, app, console

if TYPE_CHECKING:
    from orderhub.partners.service import IssuedClient

partners_app = typer.Typer(help="B2B partners and their API clients.", no_args_is_help=True)
exceptions_app = typer.Typer(help="Partners' exception requests.", no_args_is_help=True)
realms_app = typer.Typer(
    help="The identifier realms of a partner's onboarding orders.", no_args_is_help=True
)
app.add_typer(partners_app, name="partners")
app.add_typer(exceptions_app, name="exceptions")
partners_app.add_typer(realms_app, name="realms")


def _show_client(issued: IssuedClient, what: str) -> None:
    console.print(f"{what} (partner [bold]{issued.partner_id}[/])")
    # Plain print: the secret must reach stdout verbatim, never wrapped or styled.
    print(f"client_id:     {issued.client_id}")
    print(f"client_secret: {issued.client_secret}")
    console.print("[yellow]Store the secret now: it is kept only hashed and never shown again.[/]")


@partners_app.command("create")
def partners_create(
    name: Annotated[str, typer.Argument(help="The partner's name (unique).")],
    database_url: DatabaseUrl = None,
) -> None:
    """Create a partner with one API client, and print its client id and secret once."""
    from orderhub.db import Database
    from orderhub.errors import OrderHubError
    from orderhub.partners import service as partners

    name = name.strip()
    if not name or len(name) > 200:
        console.print("[red]the name must be 1 to 200 characters[/]")
        raise typer.Exit(2)
    database = Database(_settings(database_url).database_url)
    try:
        with database.transaction() as session:
            issued = partners.create_partner(session, name=name)
    except OrderHubError as exc:
        console.print(f"[red]refused[/]: {exc.detail}")
        raise typer.Exit(1) from exc
    finally:
        database.dispose()
    _show_client(issued, f"Created partner '{name}' with one API client")


@partners_app.command("rotate-secret")
def partners_rotate_secret(
    client_id: Annotated[str, typer.Argument(help="The API client's id.")],
    database_url: DatabaseUrl = None,
) -> None:
    """Give an API client a new secret (the old one stops working) and print it once."""
    from orderhub.db import Database
    from orderhub.errors import OrderHubError
    from orderhub.partners import service as partners

    database = Database(_settings(database_url).database_url)
    try:
        with database.transaction() as session:
            issued = partners.rotate_secret(session, client_id=client_id)
    except OrderHubError as exc:
        console.print(f"[red]refused[/]: {exc.detail}")
        raise typer.Exit(1) from exc
    finally:
        database.dispose()
    _show_client(issued, f"New secret for API client '{client_id}'")


def _decide_exception(
    request_id: str, status: str, note: str | None, database_url: str | None
) -> None:
    from orderhub.business import exceptions
    from orderhub.business.states import ExceptionStatus
    from orderhub.db import Database
    from orderhub.errors import OrderHubError

    database = Database(_settings(database_url).database_url)
    try:
        with database.transaction() as session:
            exceptions.decide(
                session,
                request_id=request_id,
                target=ExceptionStatus(status),
                note=note,
                actor="operator:cli",
            )
    except OrderHubError as exc:
        console.print(f"[red]refused[/]: {exc.detail}")
        raise typer.Exit(1) from exc
    finally:
        database.dispose()
    console.print(f"exception request {request_id} is now [bold]{status}[/]")


Note = Annotated[str | None, typer.Option(help="Shown to the partner with the decision.")]


@exceptions_app.command("approve")
def exceptions_approve(
    request_id: Annotated[str, typer.Argument(help="The exception request's id (exr_...).")],
    note: Note = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Approve a pending exception request: the partner may then quote the customer."""
    _decide_exception(request_id, "approved", note, database_url)


@exceptions_app.command("reject")
def exceptions_reject(
    request_id: Annotated[str, typer.Argument(help="The exception request's id (exr_...).")],
    note: Note = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Reject a pending exception request."""
    _decide_exception(request_id, "rejected", note, database_url)


@exceptions_app.command("list")
def exceptions_list(
    status: Annotated[str, typer.Option(help="pending, approved, rejected or all.")] = "pending",
    database_url: DatabaseUrl = None,
) -> None:
    """List exception requests, oldest first (by default the pending ones: the queue)."""
    from orderhub.business import exceptions
    from orderhub.business.states import ExceptionStatus
    from orderhub.db import Database

    try:
        wanted = None if status == "all" else ExceptionStatus(status)
    except ValueError as exc:
        console.print(f"[red]unknown status[/] {status!r}: {', '.join(ExceptionStatus)}")
        raise typer.Exit(2) from exc
    database = Database(_settings(database_url).database_url)
    try:
        with database.transaction(write=False) as session:
            found = exceptions.list_all(session, status=wanted, limit=100, offset=0)
    finally:
        database.dispose()
    # Plain lines, not a table: ids are copied from here and must never be cut to fit.
    for r in found:
        print(
            f"{r.id}  {r.status:<8}  {r.partner_id}  {r.customer_id}  "
            f"{r.created_at:%Y-%m-%d %H:%M}  {r.reason}"
        )
    if not found:
        console.print("no exception requests")


PartnerArg = Annotated[str, typer.Argument(help="The partner's id (prt_...).")]


def _onboarding_settings(database_url: str | None, write: bool, change):
    """Run `change(session)` on the partner's onboarding settings; refusals exit 1."""
    from orderhub.db import Database
    from orderhub.errors import OrderHubError

    database = Database(_settings(database_url).database_url)
    try:
        with database.transaction(write=write) as session:
            return change(session)
    except OrderHubError as exc:
        detail = "; ".join(e.message for e in exc.errors) if exc.errors else exc.detail
        console.print(f"[red]refused[/]: {detail}")
        raise typer.Exit(1) from exc
    finally:
        database.dispose()


def _print_settings(found) -> None:
    from orderhub.onboarding.accounts import DEFAULT_REALMS

    realms = found.realms_for(DEFAULT_REALMS)
    source = "the partner's" if found.identifier_realms is not None else "each account's own"
    print(f"partner:          {found.partner_id}")
    print(f"terms module:     {'on' if found.terms_module else 'off'}")
    print(f"payment required: {'yes' if found.payment_required else 'no'}")
    print(f"realms:           {', '.join(realms) or '(none)'} ({source})")


@partners_app.command("onboarding")
def partners_onboarding(
    partner_id: PartnerArg,
    terms: Annotated[
        bool | None, typer.Option("--terms/--no-terms", help="The terms module on or off.")
    ] = None,
    payment: Annotated[
        bool | None,
        typer.Option(
            "--payment-required/--no-payment-required",
            help="Whether submit needs the order's up-front amount paid.",
        ),
    ] = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Show a partner's onboarding settings, or switch its modules."""
    from orderhub.onboarding import providers

    if terms is None and payment is None:
        found = _onboarding_settings(
            database_url, False, lambda session: providers.get(session, partner_id=partner_id)
        )
    else:
        found = _onboarding_settings(
            database_url,
            True,
            lambda session: providers.change(
                session, partner_id=partner_id, terms_module=terms, payment_required=payment
            ),
        )
    _print_settings(found)


@realms_app.command("show")
def realms_show(partner_id: PartnerArg, database_url: DatabaseUrl = None) -> None:
    """The realms the partner's orders' identifiers may use."""
    from orderhub.onboarding import providers

    _print_settings(
        _onboarding_settings(
            database_url, False, lambda session: providers.get(session, partner_id=partner_id)
        )
    )


@realms_app.command("set")
def realms_set(
    partner_id: PartnerArg,
    realms: Annotated[list[str], typer.Argument(help="Every realm, e.g. isp.example.")],
    database_url: DatabaseUrl = None,
) -> None:
    """Replace the partner's realms (its orders use them instead of their accounts')."""
    from orderhub.onboarding import providers

    _print_settings(
        _onboarding_settings(
            database_url,
            True,
            lambda session: providers.change(
                session, partner_id=partner_id, identifier_realms=realms
            ),
        )
    )


@realms_app.command("clear")
def realms_clear(partner_id: PartnerArg, database_url: DatabaseUrl = None) -> None:
    """Forget the partner's realms: each account's own apply again."""
    from orderhub.onboarding import providers

    _print_settings(
        _onboarding_settings(
            database_url,
            True,
            lambda session: providers.change(
                session, partner_id=partner_id, identifier_realms=None
            ),
        )
    )
