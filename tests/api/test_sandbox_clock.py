"""The sandbox's test clock: moved over HTTP, shared through the database, forward only."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta

from fastapi.testclient import TestClient

from orderhub import clock
from orderhub.app import create_app
from tests.helpers import is_problem


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_the_clock_moves_forward_by_days_or_to_a_moment_and_resets(client):
    start = client.get("/sandbox/v1/clock").json()
    assert start["offsetSeconds"] == 0

    moved = client.post("/sandbox/v1/clock", json={"advanceDays": 2}).json()
    assert abs(moved["offsetSeconds"] - 2 * 86400) < 5
    assert _at(moved["now"]) - _at(moved["realNow"]) > timedelta(days=1, hours=23)
    with client.app.state.runtime.database.transaction(write=False) as session:
        assert clock.now(session, sandbox=True) > _at(moved["realNow"]) + timedelta(days=1)
        assert clock.now(session, sandbox=False) < _at(moved["realNow"]) + timedelta(minutes=1)

    later = _at(moved["now"]) + timedelta(days=30)
    got = _at(client.post("/sandbox/v1/clock", json={"now": later.isoformat()}).json()["now"])
    assert later <= got < later + timedelta(seconds=5)  # the test clock keeps running

    back = client.post("/sandbox/v1/clock", json={"now": moved["realNow"]})
    assert is_problem(back, 422)
    assert back.json()["errors"][0]["rule"] == "clock_backwards"

    assert client.post("/sandbox/v1/clock", json={"reset": True}).json()["offsetSeconds"] == 0


def test_a_move_needs_exactly_one_instruction(client):
    for body in ({}, {"advanceDays": 1, "reset": True}, {"now": "2030-01-01T00:00:00"}):
        assert is_problem(client.post("/sandbox/v1/clock", json=body), 422), body
    assert is_problem(client.post("/sandbox/v1/clock", json={"advanceDays": 0}), 422)


def test_there_is_no_test_clock_outside_the_sandbox(settings):
    production = dataclasses.replace(settings, sandbox=False, secret_key="k" * 32)
    with TestClient(create_app(production), raise_server_exceptions=False) as http:
        assert http.get("/sandbox/v1/clock").status_code == 404
        assert http.post("/sandbox/v1/clock", json={"advanceDays": 1}).status_code == 404
