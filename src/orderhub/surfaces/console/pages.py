"""Rendering the console's pages: one Jinja2 environment built at import, the filters
every page uses (times, money, states), the response headers of every page, and the
error page that replaces problem+json under `/console`.

Pages are rendered on the server and work without JavaScript; htmx (vendored in
`static/`) only refreshes parts of a page (the dashboard) and submits forms in place.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from orderhub import __version__
from orderhub.ids import iso_z
from orderhub.operators.rules import Role, may

PREFIX = "/console"
STATIC = Path(__file__).parent / "static"

# Every page: scripts and styles from this origin only (no inline script, no CDN), never
# framed, never cached (pages show personal data), no referrer to other sites.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


def when(moment: datetime | None) -> Markup:
    """A moment as `<time>`: UTC in the page, turned into the agent's own zone by
    static/console.js, with the UTC time on hover."""
    if moment is None:
        return Markup('<span class="muted">—</span>')
    utc = iso_z(moment)
    shown = moment.strftime("%Y-%m-%d %H:%M UTC")
    return Markup(
        '<time datetime="{0}" title="{1}">{1}</time><span class="visually-hidden"> ({1})</span>'
    ).format(utc, shown)


def cents(value: int | None, currency: str = "USD") -> str:
    if value is None:
        return "—"
    return f"{value / 100:,.2f} {currency}"


def state_badge(state: str | None) -> Markup:
    """A state as a labelled badge (its colour is never the only sign: the word is there)."""
    if not state:
        return Markup("")
    return Markup('<span class="badge badge-{0}">{1}</span>').format(
        "".join(c for c in state if c.isalnum()), state
    )


def contact(value: str | None, signed_in: Any) -> str:
    """An e-mail or phone as the signed-in role may see it: whole for agents and admins
    (they call customers back), masked for viewers (`a•••@example.com`, `•••-•••-0100`)."""
    if not value:
        return "—"
    if signed_in is not None and may(signed_in.role, Role.AGENT):
        return value
    if "@" in value:
        name, _, domain = value.partition("@")
        return f"{name[:1]}•••@{domain}"
    return "•••-•••-" + value[-4:]


def query(args: dict[str, Any], **changes: Any) -> str:
    """The query string of the current filters with some changed (paging, sorting)."""
    merged = {k: v for k, v in {**args, **changes}.items() if v not in (None, "")}
    return "?" + "&".join(f"{quote(str(k))}={quote(str(v))}" for k, v in merged.items())


environment = Environment(
    loader=PackageLoader("orderhub.surfaces.console", "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)
environment.filters.update(when=when, cents=cents, state=state_badge, contact=contact)
environment.globals.update(
    PREFIX=PREFIX, version=__version__, query=query, static=lambda p: f"{PREFIX}/static/{p}"
)


def render(request: Request, template: str, *, status: int = 200, **context: Any) -> HTMLResponse:
    """A whole page, or (for an htmx request that names a fragment) just that part."""
    context.setdefault("signed_in", getattr(request.state, "console_user", None))
    context.setdefault("csrf", getattr(request.state, "console_csrf", ""))
    context["request_path"] = request.url.path
    html = environment.get_template(template).render(**context)
    return HTMLResponse(html, status_code=status, headers=SECURITY_HEADERS)


def redirect(location: str, request: Request | None = None) -> Response:
    """303 to another console page; an htmx request is told to go there itself."""
    if request is not None and request.headers.get("HX-Request") == "true":
        return Response(status_code=204, headers={"HX-Redirect": location, **SECURITY_HEADERS})
    return RedirectResponse(location, status_code=303, headers=SECURITY_HEADERS)


def _page_to_return_to(request: Request) -> str:
    """Where sign-in should bring the person back: the page they asked for, or, for a
    page part (htmx) or a form post, the page they were on (a fragment or a POST cannot be
    shown again by a redirect)."""
    if request.method == "GET" and request.headers.get("HX-Request") != "true":
        return request.url.path + (f"?{request.url.query}" if request.url.query else "")
    shown = request.headers.get("HX-Current-URL") or request.headers.get("Referer") or ""
    parts = urlsplit(shown)
    if parts.netloc == request.url.netloc and parts.path.startswith(PREFIX + "/"):
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return PREFIX + "/"


def error_page(
    request: Request, status: int, code: str, title: str, detail: str, **kwargs: Any
) -> Response:
    """Every error under `/console` as a page a person can read (problems.problem_pages);
    a request that is not signed in goes to the sign-in page instead."""
    if code == "sign_in_required":
        target = _page_to_return_to(request)
        return redirect(f"{PREFIX}/sign-in?next={quote(target, safe='')}", request)
    errors = kwargs.get("errors") or []
    response = render(
        request,
        "error.html",
        status=status,
        status_code=status,
        code=code,
        title=title,
        detail=detail,
        errors=errors,
    )
    for name, value in (kwargs.get("headers") or {}).items():
        response.headers[name] = value
    return response
