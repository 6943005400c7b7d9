"""No request ever holds one pooled connection while it takes another.

A request that does (the portal sign-in once held its read connection across the password
hash, then asked for a write connection) lets a burst of such requests take the whole
pool, and every other request then waits for a connection that never frees. Here every
checkout is traced to the request (asyncio task) that made it, over whole flows of every
channel and every kind of sign-in.
"""

from __future__ import annotations

import asyncio

from sqlalchemy import event

from orderhub import demo
from orderhub.demo import onboarding as demo_onboarding
from orderhub.demo import partner as demo_partner
from tests.api.b2b_helpers import partner_headers
from tests.helpers import BASE


def _watch(engines) -> list[str]:
    held: dict[int, int] = {}
    owner: dict[int, int] = {}
    violations: list[str] = []

    def checked_out(dbapi_connection, record, proxy) -> None:
        try:
            task = id(asyncio.current_task())
        except RuntimeError:  # outside any event loop: not a request
            return
        owner[id(record)] = task
        held[task] = held.get(task, 0) + 1
        if held[task] > 1:
            violations.append(f"a request holds {held[task]} connections")

    def checked_in(dbapi_connection, record) -> None:
        task = owner.pop(id(record), None)
        if task is not None:
            held[task] -= 1

    for engine in engines:
        event.listen(engine, "checkout", checked_out)
        event.listen(engine, "checkin", checked_in)
    return violations


def test_no_request_holds_two_connections_in_any_flow(client):
    database = client.app.state.runtime.database
    violations = _watch(database.engines)

    demo.run(client)
    demo_partner.run(client)
    demo_onboarding.run(client)
    # Every kind of sign-in, right and wrong: they hash between short transactions.
    for password in ("wrong-password", "sandbox-Alex-2026"):
        client.post(
            f"{BASE}/v1/auth",
            json={"method": "password", "username": "alex.bell@example.com", "password": password},
        )
    headers = partner_headers(client)
    for password in ("wrong", "correct horse battery"):
        client.post(
            "/onboarding/v1/accounts/find-by-credentials",
            json={"username": "nobody.here", "password": password},
            headers=headers,
        )

    assert violations == []
