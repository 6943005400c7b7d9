"""Signing in to the console and out, each role, CSRF and session expiry, in Chromium."""

from __future__ import annotations

import re

import httpx
import pytest
from sqlalchemy import create_engine, text

from tests.browser.conftest import PASSWORD, assert_accessible, shoot, sign_in


@pytest.mark.parametrize(
    "username, role", [("ops-viewer", "viewer"), ("ops-agent", "agent"), ("ops-admin", "admin")]
)
def test_each_role_signs_in_and_sees_its_name_and_role(page, console, username, role) -> None:
    page.goto(console.page_url("/"))
    # Not signed in: sent to the sign-in page, which brings them back after.
    page.wait_for_url(re.compile(r"/console/sign-in\?next="))
    if role == "agent":
        assert_accessible(page)
        shoot(page, "sign-in")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/console/")
    who = page.locator(".who")
    assert role in who.inner_text()
    operators_link = page.get_by_role("link", name="Operators")
    assert operators_link.count() == (1 if role == "admin" else 0)
    cookie = next(c for c in page.context.cookies() if c["name"] == "orderhub_console")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax" and cookie["path"] == "/console"


def test_a_wrong_password_is_refused_and_says_nothing_more(page, console) -> None:
    page.goto(console.page_url("/sign-in"))
    page.get_by_label("Username").fill("ops-agent")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("alert").inner_text() == "Wrong username or password."
    assert not [c for c in page.context.cookies() if c["name"] == "orderhub_console"]
    assert_accessible(page)


def test_sign_out_ends_the_session_on_the_server(page, console) -> None:
    sign_in(page, console)
    token = next(c for c in page.context.cookies() if c["name"] == "orderhub_console")["value"]
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/console/sign-in")
    # The old cookie, replayed by hand, no longer signs anybody in.
    with httpx.Client(base_url=console.url, cookies={"orderhub_console": token}) as client:
        answer = client.get("/console/")
    assert answer.status_code == 303 and "/console/sign-in" in answer.headers["location"]


def test_a_form_without_the_sessions_csrf_token_is_refused(page, console) -> None:
    sign_in(page, console)
    token = next(c for c in page.context.cookies() if c["name"] == "orderhub_console")["value"]
    with httpx.Client(base_url=console.url, cookies={"orderhub_console": token}) as client:
        forged = client.post("/console/sign-out", data={"csrf_token": "0" * 64})
        missing = client.post("/console/sign-out")
    for answer in (forged, missing):
        assert answer.status_code == 403
        assert "text/html" in answer.headers["content-type"]
        assert "Form expired" in answer.text
    # The session is still there: the forged sign-out did nothing.
    page.reload()
    assert page.url.endswith("/console/")


def test_the_sign_in_form_itself_needs_its_own_token(console) -> None:
    with httpx.Client(base_url=console.url) as client:
        answer = client.post(
            "/console/sign-in",
            data={"username": "ops-agent", "password": PASSWORD, "csrf_token": "x"},
        )
    assert answer.status_code == 403
    assert "orderhub_console=" not in answer.headers.get("set-cookie", "").split(";")[0]


def test_an_expired_session_sends_the_agent_back_to_sign_in(page, console) -> None:
    sign_in(page, console, next_path="/")
    # Time passes: the session's idle deadline is in the past (as after 30 idle minutes).
    engine = create_engine(console.database_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE console_sessions SET idle_until = created_at"))
    engine.dispose()
    page.goto(console.page_url("/?from=old-tab"))
    page.wait_for_url(re.compile(r"/console/sign-in\?next=%2Fconsole%2F%3Ffrom%3Dold-tab$"))
    page.get_by_label("Username").fill("ops-agent")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/console/\?from=old-tab$"))
    assert page.get_by_role("heading", name="Dashboard").is_visible()
