"""Signing a TestClient in to the operations console (tests/browser drive a real browser;
these drive the same pages over HTTP, for the many cases a browser would make slow)."""

from __future__ import annotations

import re
from typing import Any

PASSWORD = "orderhub-sandbox"  # the sandbox operator users' (sandbox/data/operators.json)
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    """The CSRF token a console page's forms carry."""
    found = _CSRF.search(html)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


def sign_in(client: Any, username: str = "ops-agent") -> str:
    """Sign in through the form; returns the session's CSRF token for later posts."""
    pre = csrf_of(client.get("/console/sign-in").text)
    answer = client.post(
        "/console/sign-in",
        data={"csrf_token": pre, "username": username, "password": PASSWORD, "next": "/console/"},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text[:500]
    return csrf_of(client.get("/console/").text)
