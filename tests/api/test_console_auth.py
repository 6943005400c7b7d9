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
