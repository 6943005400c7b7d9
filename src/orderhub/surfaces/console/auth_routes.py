"""Signing in to the console and out of it."""

from __future__ import annotations

import hmac
import secrets

from fastapi import APIRouter, Request
from fastapi.responses import Response

from orderhub import metrics
from orderhub.identity.attempts import SignInLocked
from orderhub.ids import utcnow
from orderhub.operators import service as operators
from orderhub.operators import sessions
from orderhub.surfaces.console import auth, pages

router = APIRouter(include_in_schema=False)


def _safe_next(raw: str | None) -> str:
    """Only a console page of this site: never another site (`//evil`, `https:`)."""
    if raw and raw.startswith(pages.PREFIX + "/") and not raw.startswith("//") and "\\" not in raw:
        return raw
    return pages.PREFIX + "/"


def _cookie(response: Response, request: Request, name: str, value: str, max_age: int) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path=pages.PREFIX,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )


def _form_page(
    request: Request,
    *,
    next_page: str,
    status: int = 200,
    error: str | None = None,
    username: str = "",
) -> Response:
    pre = secrets.token_urlsafe(24)
    response = pages.render(
        request,
        "sign_in.html",
        status=status,
        signed_in=None,
        csrf=pre,
        next_page=next_page,
        error=error,
        username=username,
    )
    _cookie(response, request, auth.PRE_SESSION_COOKIE, pre, max_age=3600)
    return response


@router.get("/sign-in")
async def sign_in_page(request: Request, next: str | None = None) -> Response:
    return _form_page(request, next_page=_safe_next(next))


@router.post("/sign-in")
async def sign_in(request: Request) -> Response:
    form = await auth.read_form(request)
    next_page = _safe_next(form.get("next"))
    username = form.get("username", "").strip()[:64]
    expected = request.cookies.get(auth.PRE_SESSION_COOKIE, "")
    if not expected or not hmac.compare_digest(
        expected.encode(), form.get("csrf_token", "").encode()
    ):
        return _form_page(
            request,
            next_page=next_page,
            status=403,
            error="The sign-in form had expired; please try again.",
            username=username,
        )
    auth.refuse_unstorable(request, form.values())
    password = form.get("password", "")
    if not username or not password:
        return _form_page(
            request,
            next_page=next_page,
            status=422,
            error="Enter your username and your password.",
            username=username,
        )
    runtime = request.app.state.runtime
    try:
        user = await operators.check_password(
            runtime.database,
            runtime.passwords,
            username=username,
            password=password[:200],
            sandbox_mode=runtime.settings.sandbox,
        )
    except SignInLocked as locked:
        metrics.CONSOLE_SIGN_INS.labels("locked").inc()
        response = _form_page(
            request, next_page=next_page, status=429, error=locked.detail, username=username
        )
        response.headers.update(locked.headers or {})
        return response
    if user is None:
        metrics.CONSOLE_SIGN_INS.labels("wrong").inc()
        return _form_page(
            request,
            next_page=next_page,
            status=401,
            error="Wrong username or password.",
            username=username,
        )
    metrics.CONSOLE_SIGN_INS.labels("ok").inc()
    settings = runtime.settings
    async with runtime.database.request_transaction(write=True) as session:
        token = sessions.start(
            session,
            user_id=user.id,
            now=utcnow(),
            idle=auth.idle(settings),
            lifetime=auth.lifetime(settings),
        )
    response = pages.redirect(next_page)
    _cookie(
        response, request, auth.COOKIE, token, max_age=int(auth.lifetime(settings).total_seconds())
    )
    response.delete_cookie(auth.PRE_SESSION_COOKIE, path=pages.PREFIX)
    request.state.caller = f"operator:{user.username}"
    return response


@router.post("/sign-out")
async def sign_out(request: Request, acting: auth.ViewerAction) -> Response:
    runtime = request.app.state.runtime
    async with runtime.database.request_transaction(write=True) as session:
        sessions.end(session, token=request.cookies.get(auth.COOKIE, ""))
    response = pages.redirect(f"{pages.PREFIX}/sign-in")
    response.delete_cookie(auth.COOKIE, path=pages.PREFIX)
    return response
