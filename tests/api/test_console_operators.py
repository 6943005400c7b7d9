"""The console's operators page over HTTP: admins only, creating a user who then signs
in, changing a role, disabling (which signs them out), the last admin kept, validation
shown on the form without the password, and CSRF."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.api.console import csrf_of, sign_in

PAGE = "/console/operators"
NEW_PASSWORD = "a-long-enough-password"


def _user_id(html: str, username: str) -> str:
    found = re.search(
        rf'/console/operators/(opu_[\w-]+)/role"[^>]*>\s*<input[^>]*>\s*'
        rf"<label[^>]*>Role of {re.escape(username)}<",
        html,
    )
    assert found, f"no row for {username}"
    return found.group(1)


def _create(client, csrf: str, **fields: str):
    data = {
        "csrf_token": csrf,
        "username": "dana.desk",
        "display_name": "Dana Desk",
        "role": "agent",
        "password": NEW_PASSWORD,
    } | fields
    return client.post(PAGE, data=data, follow_redirects=False)


def _signs_in(app, username: str, password: str) -> int:
    """The status of a sign-in with another client of the same app."""
    other = TestClient(app)
    pre = csrf_of(other.get("/console/sign-in").text)
    return other.post(
        "/console/sign-in",
        data={"csrf_token": pre, "username": username, "password": password},
        follow_redirects=False,
    ).status_code


def test_viewers_and_agents_are_refused_the_page_and_its_forms(client) -> None:
    for username in ("ops-viewer", "ops-agent"):
        csrf = sign_in(client, username)
        page = client.get(PAGE)
        assert page.status_code == 403 and "text/html" in page.headers["content-type"]
        assert _create(client, csrf).status_code == 403
    sign_in(client, "ops-admin")
    assert "dana.desk" not in client.get(PAGE).text


def test_an_admin_creates_an_operator_who_can_then_sign_in(client) -> None:
    csrf = sign_in(client, "ops-admin")
    page = client.get(PAGE)
    assert page.status_code == 200
    for username in ("ops-viewer", "ops-agent", "ops-admin"):
        assert username in page.text
    made = _create(client, csrf, username="Dana.Desk")
    assert made.status_code == 303 and made.headers["location"] == f"{PAGE}?done=created"
    listed = client.get(made.headers["location"]).text
    assert "dana.desk" in listed and "Dana Desk" in listed
    assert "The operator was created" in listed
    assert NEW_PASSWORD not in listed
    assert _signs_in(client.app, "dana.desk", NEW_PASSWORD) == 303

    taken = _create(client, csrf, username="dana.desk")
    assert taken.status_code == 409 and "already an operator" in taken.text
    assert NEW_PASSWORD not in taken.text


def test_a_form_with_problems_is_shown_again_with_them_never_the_password(client) -> None:
    csrf = sign_in(client, "ops-admin")
    short = _create(client, csrf, password="short-pw")
    assert short.status_code == 422
    assert "at least 12 characters" in short.text
    assert 'value="dana.desk"' in short.text  # what was typed stays, but not the password
    assert "short-pw" not in short.text
    bad = _create(client, csrf, username="no spaces allowed", role="owner")
    assert bad.status_code == 422
    assert "letters, digits" in bad.text and "viewer, agent or admin" in bad.text
    assert "dana.desk" not in client.get(PAGE).text


def test_a_role_change_takes_effect_at_the_next_page(client) -> None:
    admin = TestClient(client.app)
    csrf = sign_in(admin, "ops-admin")
    sign_in(client, "ops-viewer")
    assert client.get(PAGE).status_code == 403
    viewer_id = _user_id(admin.get(PAGE).text, "ops-viewer")
    changed = admin.post(
        f"{PAGE}/{viewer_id}/role",
        data={"csrf_token": csrf, "role": "admin"},
        follow_redirects=False,
    )
    assert changed.status_code == 303 and changed.headers["location"] == f"{PAGE}?done=role"
    # Same session, new role.
    assert client.get(PAGE).status_code == 200
    wrong = admin.post(f"{PAGE}/{viewer_id}/role", data={"csrf_token": csrf, "role": "owner"})
    assert wrong.status_code == 422 and "viewer, agent or admin" in wrong.text


def test_disabling_signs_them_out_and_enabling_lets_them_back(client) -> None:
    admin = TestClient(client.app)
    csrf = sign_in(admin, "ops-admin")
    sign_in(client, "ops-agent")
    agent_id = _user_id(admin.get(PAGE).text, "ops-agent")
    done = admin.post(
        f"{PAGE}/{agent_id}/disable", data={"csrf_token": csrf}, follow_redirects=False
    )
    assert done.headers["location"] == f"{PAGE}?done=disabled"
    assert "disabled" in admin.get(PAGE).text
    gone = client.get("/console/", follow_redirects=False)
    assert gone.status_code == 303 and "/console/sign-in" in gone.headers["location"]
    assert _signs_in(client.app, "ops-agent", "orderhub-sandbox") == 401
    back = admin.post(
        f"{PAGE}/{agent_id}/enable", data={"csrf_token": csrf}, follow_redirects=False
    )
    assert back.headers["location"] == f"{PAGE}?done=enabled"
    assert _signs_in(client.app, "ops-agent", "orderhub-sandbox") == 303


def test_the_last_admin_is_kept_and_an_admin_cannot_disable_themselves(client) -> None:
    csrf = sign_in(client, "ops-admin")
    me = _user_id(client.get(PAGE).text, "ops-admin")
    own = client.post(f"{PAGE}/{me}/disable", data={"csrf_token": csrf})
    assert own.status_code == 409 and "your own account" in own.text
    last = client.post(f"{PAGE}/{me}/role", data={"csrf_token": csrf, "role": "agent"})
    assert last.status_code == 409 and "last active admin" in last.text
    assert 'class="flash flash-error"' in last.text

    # With a second admin, the first may step down (and then may no longer see the page),
    # and the second may not then be disabled nor demoted: they are the last one.
    _create(client, csrf, username="second.admin", role="admin")
    second = _user_id(client.get(PAGE).text, "second.admin")
    down = client.post(
        f"{PAGE}/{me}/role", data={"csrf_token": csrf, "role": "agent"}, follow_redirects=False
    )
    assert down.status_code == 303 and down.headers["location"] == "/console/"
    assert client.get(PAGE).status_code == 403

    other = TestClient(client.app)
    pre = csrf_of(other.get("/console/sign-in").text)
    other.post(
        "/console/sign-in",
        data={"csrf_token": pre, "username": "second.admin", "password": NEW_PASSWORD},
    )
    csrf2 = csrf_of(other.get("/console/").text)
    refused = other.post(f"{PAGE}/{second}/role", data={"csrf_token": csrf2, "role": "viewer"})
    assert refused.status_code == 409 and "last active admin" in refused.text


def test_forms_without_the_sessions_csrf_token_are_refused(client) -> None:
    sign_in(client, "ops-admin")
    me = _user_id(client.get(PAGE).text, "ops-admin")
    for path, data in (
        (PAGE, {"username": "x.y", "role": "agent", "password": NEW_PASSWORD}),
        (f"{PAGE}/{me}/role", {"role": "viewer"}),
        (f"{PAGE}/{me}/disable", {"csrf_token": "forged"}),
    ):
        assert client.post(path, data=data).status_code == 403
    assert "x.y" not in client.get(PAGE).text


def test_an_unknown_operator_is_the_not_found_page(client) -> None:
    csrf = sign_in(client, "ops-admin")
    answer = client.post(f"{PAGE}/opu_nobody/disable", data={"csrf_token": csrf})
    assert answer.status_code == 404 and "text/html" in answer.headers["content-type"]
