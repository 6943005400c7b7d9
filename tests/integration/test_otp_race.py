"""Twelve clients ask for a code for one identifier at the same instant: five get one."""

from __future__ import annotations

import dataclasses
import threading
from concurrent.futures import ThreadPoolExecutor

from orderhub.adapters.messaging import SandboxMessenger
from orderhub.config import Settings
from orderhub.errors import TooManyRequests
from orderhub.identity import service as identity

RACERS = 12


def test_the_issue_limit_holds_when_requests_race(database):
    settings = dataclasses.replace(Settings.from_env(), otp_issue_limit=5)
    barrier = threading.Barrier(RACERS)

    def ask(_: int) -> str:
        barrier.wait()
        try:
            with database.transaction() as session:
                identity.issue_otp(
                    session,
                    identifier="race@example.com",
                    channel="email",
                    settings=settings,
                    messenger=SandboxMessenger(),
                    key=b"k",
                )
            return "sent"
        except TooManyRequests:
            return "limited"

    with ThreadPoolExecutor(max_workers=RACERS) as pool:
        outcomes = list(pool.map(ask, range(RACERS)))
    assert outcomes.count("sent") == 5, outcomes
