"""Who is using the console, and what they may do.

* `ConsoleUserDep`: the signed-in operator, from the session cookie (operators/sessions.py),
  or a redirect to the sign-in page. It reads the session in a short transaction of its
  own (and, at most once a minute, moves the idle deadline in another) before the page's
  own transaction opens, so a request never holds two connections.
* `acting(role)`: a form post, from a user with at least that role (403 otherwise), whose
  CSRF token matches their session's (403 otherwise): a dependency giving the user and the
  form's fields. Forms are read here, before the page's transaction, so nothing waits on
  the network inside one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated, Any
from urllib.parse import parse_qsl

from fastapi import Depends, Request

from orderhub.errors import Forbidden, OrderHubError, ValidationFailed
from orderhub.ids import utcnow
from orderhub.operators import sessions
from orderhub.operators.rules import Role, may
from orderhub.operators.sessions import SignedIn
from orderhub.surfaces.schemas import UNSTORABLE

COOKIE = "orderhub_console"
# Before sign-in there is no session to tie a CSRF token to: the sign-in form carries a
# random value that must equal this cookie's (double submit), so another site cannot
# sign a browser in to an account of its choosing.
PRE_SESSION_COOKIE = "orderhub_console_pre"
MAX_FORM_BYTES = 16_384


class SignInRequired(OrderHubError):
    """Rendered as a redirect to the sign-in page (pages.error_page)."""

    status = 401
    code = "sign_in_required"
    title = "Sign-in required"


class RoleRefused(Forbidden):
    code = "role_refused"
    title = "Not allowed for your role"


class CsrfRefused(Forbidden):
    code = "csrf_failed"
    title = "Form expired"


def idle(settings: Any) -> timedelta:
    return timedelta(minutes=settings.console_idle_minutes)


def lifetime(settings: Any) -> timedelta:
    return timedelta(hours=settings.console_session_hours)


def refuse_unstorable(request: Request, values: Iterable[str] = ()) -> None:
    """422 for a NUL or a lone surrogate in the path, the query or `values` (a form's):
    no database stores them (PostgreSQL refuses a NUL), so they are refused before any
    query is built from them."""
    for value in (request.url.path, *request.query_params.values(), *values):
        if UNSTORABLE.search(value):
            raise ValidationFailed.one(
                "request",
                "unstorable_character",
                "The request holds a character (NUL) that no field may hold.",
            )


async def _signed_in(request: Request, *, activity: bool) -> SignedIn:
    refuse_unstorable(request)
    token = request.cookies.get(COOKIE)
    if not token:
        raise SignInRequired("Sign in to use the console.")
    runtime = request.app.state.runtime
    now = utcnow()
    idle_for = idle(runtime.settings)
    async with runtime.database.request_transaction(write=False) as session:
        user = sessions.current(session, token=token, now=now, idle=idle_for)
    if user is None:
        raise SignInRequired("Your session has ended; sign in again.")
    if activity and user.touch_due:
        async with runtime.database.request_transaction(write=True) as session:
            sessions.touch(session, signed_in=user, now=now, idle=idle_for)
    request.state.console_user = user
    request.state.console_csrf = sessions.csrf_token(runtime.key, token)
    request.state.caller = user.actor  # for the access line
    return user


async def console_user(request: Request) -> SignedIn:
    """The signed-in person; their request counts as activity (the idle deadline moves)."""
    return await _signed_in(request, activity=True)


async def polling_user(request: Request) -> SignedIn:
    """The same, for a page part that refreshes itself (the dashboard's): a tab left open
    must not keep its session alive, so this is not activity."""
    return await _signed_in(request, activity=False)


ConsoleUserDep = Annotated[SignedIn, Depends(console_user)]
PollingUserDep = Annotated[SignedIn, Depends(polling_user)]


def require(user: SignedIn, role: Role) -> None:
    if not may(user.role, role):
        raise RoleRefused(f"This needs the {role.value} role; you are signed in as a {user.role}.")


async def read_form(request: Request) -> dict[str, str]:
    """A urlencoded form's fields (the last value of a repeated name). Its values are not
    checked yet: call `refuse_unstorable` once the form's token is checked."""
    body = await request.body()
    if not body:
        return {}
    kind = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if kind != "application/x-www-form-urlencoded":
        raise ValidationFailed.one(
            "body", "content_type", "Send the form as application/x-www-form-urlencoded."
        )
    if len(body) > MAX_FORM_BYTES:
        raise ValidationFailed.one("body", "size", "The form is too large.")
    try:
        form = dict(parse_qsl(body.decode(), keep_blank_values=True, max_num_fields=50))
    except (UnicodeDecodeError, ValueError) as bad:
        raise ValidationFailed.one("body", "format", "The form could not be read.") from bad
    return form


_FORGED = (
    "This form was not sent from your console session (or the page is too old): reload "
    "the page and try again."
)


@dataclass(frozen=True)
class Acting:
    """A form post from a signed-in user allowed to make it."""

    user: SignedIn
    form: dict[str, str]


def acting(role: Role) -> Any:
    async def dependency(request: Request, user: ConsoleUserDep) -> Acting:
        # The CSRF check comes first: a body that is not a readable form carries no token,
        # so it is refused as a forged post (403) before anything says it is malformed.
        unreadable: ValidationFailed | None = None
        try:
            form = await read_form(request)
        except ValidationFailed as bad:
            form, unreadable = {}, bad
        sent = form.get("csrf_token") or request.headers.get("X-CSRF-Token")
        token = request.cookies.get(COOKIE, "")
        if not sessions.csrf_ok(request.app.state.runtime.key, token, sent):
            raise CsrfRefused(_FORGED)
        require(user, role)
        if unreadable is not None:
            raise unreadable
        refuse_unstorable(request, form.values())
        return Acting(user, form)

    return Depends(dependency)


ViewerAction = Annotated[Acting, acting(Role.VIEWER)]
AgentAction = Annotated[Acting, acting(Role.AGENT)]
AdminAction = Annotated[Acting, acting(Role.ADMIN)]
