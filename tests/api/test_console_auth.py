"""Console sign-in over HTTP: throttling, redirects that stay on the site, roles, and
pages that never leak the session token or a password."""

from __future__ import annotations

from tests.api.console import PASSWORD, csrf_of, sign_in


def _attempt(client, username: str, password: str):
    pre = csrf_of(client.get("/console/sign-in").text)
    return client.post(
        "/console/sign-in",
        data={"csrf_token": pre, "username": username, "password": password},
        follow_redirects=False,
    )


def test_five_wrong_passwords_lock_the_username_even_for_the_right_one(client) -> None:
    for _ in range(5):
        assert _attempt(client, "ops-viewer", "wrong-password-1").status_code == 401
    locked = _attempt(client, "ops-viewer", PASSWORD)
    assert locked.status_code == 429
    assert "Retry-After" in locked.headers
    assert "text/html" in locked.headers["content-type"]
    # Another user is not affected.
    assert _attempt(client, "ops-agent", PASSWORD).status_code == 303


def test_an_unknown_username_is_refused_like_a_wrong_password(client) -> None:
    answer = _attempt(client, "nobody-here", PASSWORD)
    assert answer.status_code == 401
    assert "Wrong username or password." in answer.text


def test_next_only_leads_to_console_pages(client) -> None:
    for target in ("https://evil.example/", "//evil.example/console/", "/docs", "/console\\x"):
        pre = csrf_of(client.get("/console/sign-in").text)
        answer = client.post(
            "/console/sign-in",
            data={
                "csrf_token": pre,
                "username": "ops-agent",
                "password": PASSWORD,
                "next": target,
            },
            follow_redirects=False,
        )
        assert answer.headers["location"] == "/console/", target


def test_pages_send_security_headers_and_never_the_password(client) -> None:
    sign_in(client)
    page = client.get("/console/")
    assert page.status_code == 200
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["x-frame-options"] == "DENY"
    assert page.headers["cache-control"] == "no-store"
    assert PASSWORD not in page.text
    assert client.cookies.get("orderhub_console") not in page.text


def test_an_unknown_console_page_is_a_page_not_json(client) -> None:
    sign_in(client)
    answer = client.get("/console/no-such-page")
    assert answer.status_code == 404
    assert answer.headers["content-type"].startswith("text/html")


def test_a_disabled_operator_is_signed_out_at_once(client, database) -> None:
    from orderhub.operators import service as operators

    sign_in(client, "ops-admin")
    with database.transaction() as session:
        user = operators.find(session, username="ops-admin")
        operators.set_disabled(session, user_id=user.id, disabled=True)
    answer = client.get("/console/", follow_redirects=False)
    assert answer.status_code == 303
    assert _attempt(client, "ops-admin", PASSWORD).status_code == 401


def test_a_nul_or_a_non_ascii_token_is_a_clear_refusal_never_a_500(client) -> None:
    csrf = sign_in(client)
    assert client.get("/console/orders?partner=%00").status_code == 422
    assert client.get("/console/search?q=a%00b").status_code == 422
    assert client.get("/console/orders/%00").status_code == 422
    assert client.post(
        "/console/partners", data={"csrf_token": csrf, "name": "a\x00b"}
    ).status_code in (403, 422)
    assert client.post("/console/sign-out", data={"csrf_token": "é"}).status_code == 403
    assert (
        client.post("/console/sign-out", headers={"X-CSRF-Token": "é".encode()}).status_code == 403
    )
    client.cookies.clear()
    page = client.get("/console/sign-in")
    assert (
        client.post(
            "/console/sign-in", data={"csrf_token": "é", "username": "x", "password": "y"}
        ).status_code
        == 403
    )
    assert csrf_of(page.text)


def test_a_date_past_the_calendar_is_a_422_page(client) -> None:
    sign_in(client)
    answer = client.get("/console/orders?to=9999-12-31")
    assert answer.status_code == 422 and "text/html" in answer.headers["content-type"]


def test_the_dashboards_own_refresh_does_not_keep_a_session_alive(client, database) -> None:
    from datetime import timedelta

    from sqlalchemy import text

    from orderhub.ids import utcnow

    sign_in(client)

    def last_seen():
        with database.transaction() as session:
            return session.execute(text("SELECT last_seen_at FROM console_sessions")).scalar()

    def age_the_session() -> None:
        with database.transaction() as session:
            session.execute(
                text("UPDATE console_sessions SET last_seen_at = :t"),
                {"t": utcnow() - timedelta(minutes=5)},
            )

    age_the_session()
    before = last_seen()
    assert client.get("/console/dashboard/live", headers={"HX-Request": "true"}).status_code == 200
    assert last_seen() == before  # a poll is not activity
    assert client.get("/console/").status_code == 200
    assert last_seen() > before  # a page the person opened is


def test_after_a_session_ends_a_poll_or_a_post_returns_to_the_page_not_to_the_fragment(
    client,
) -> None:
    polled = client.get(
        "/console/dashboard/live",
        headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/console/?x=1"},
    )
    assert polled.status_code == 204
    assert polled.headers["HX-Redirect"] == "/console/sign-in?next=%2Fconsole%2F%3Fx%3D1"
    posted = client.post(
        "/console/queues/exceptions/exr_x/approve",
        headers={"Referer": "http://testserver/console/queues"},
        follow_redirects=False,
    )
    assert posted.status_code == 303
    assert posted.headers["location"] == "/console/sign-in?next=%2Fconsole%2Fqueues"
    elsewhere = client.post(
        "/console/sign-out",
        headers={"Referer": "https://evil.example/console/x"},
        follow_redirects=False,
    )
    assert elsewhere.headers["location"] == "/console/sign-in?next=%2Fconsole%2F"


def test_outside_sandbox_mode_the_sandbox_users_cannot_sign_in(settings, database) -> None:
    import dataclasses

    from fastapi.testclient import TestClient

    from orderhub.app import create_app
    from orderhub.operators import service as operators

    with database.transaction() as session:
        operators.create(session, username="real-admin", password="a-real-password-1", role="admin")
    production = dataclasses.replace(settings, sandbox=False, secret_key="k" * 40)
    with TestClient(create_app(production)) as client:
        refused = _attempt(client, "ops-agent", PASSWORD)
        assert refused.status_code == 401
        assert _attempt(client, "real-admin", "a-real-password-1").status_code == 303


def test_a_post_that_is_not_a_form_is_refused_as_forged_before_anything_else(client) -> None:
    sign_in(client, "ops-admin")
    for kwargs in (
        {"json": {"name": "JSON Co"}},
        {"content": b"name=x", "headers": {"Content-Type": "text/plain"}},
    ):
        answer = client.post("/console/partners", **kwargs)
        assert answer.status_code == 403 and "Form expired" in answer.text
