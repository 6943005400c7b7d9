"""Passkey answers racing: one challenge, or one counter value, is accepted once."""

from __future__ import annotations

import dataclasses
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from orderhub.config import Settings
from orderhub.errors import OrderHubError
from orderhub.identity import passkey_challenges as challenges
from orderhub.identity import passkeys
from orderhub.identity.tokens import Principal
from orderhub.sandbox.authenticator import SoftwareAuthenticator

RACERS = 8
ALEX = Principal("2145550100", "cus_alex_bell", int(time.time()) + 3600)
KEY = b"k" * 32


def _race(action, racers: int = RACERS) -> list[str]:  # type: ignore[no-untyped-def]
    barrier = threading.Barrier(racers)

    def run(i: int) -> str:
        barrier.wait()
        try:
            action(i)
            return "ok"
        except OrderHubError as error:
            return error.code

    with ThreadPoolExecutor(max_workers=racers) as pool:
        return list(pool.map(run, range(racers)))


def test_one_challenge_is_consumed_once(database):
    with database.transaction() as session:
        row = challenges.start(session, purpose="authentication", challenge=b"c", customer_id=None)

    def consume(_: int) -> None:
        with database.transaction() as session:
            challenges.consume(
                session, challenge_id=row.id, purpose="authentication", customer_id=None
            )

    outcomes = _race(consume)
    assert outcomes.count("ok") == 1, outcomes
    assert set(outcomes) == {"ok", "passkey_challenge_used"}


def test_one_counter_value_signs_in_once(database):
    settings = dataclasses.replace(Settings.from_env(), sandbox=True)
    phone = SoftwareAuthenticator()
    with database.transaction() as session:
        options = passkeys.registration_options(session, principal=ALEX, settings=settings)
    body = {"challengeId": options.challenge_id, "publicKey": options.public_key}
    with database.transaction() as session:
        passkeys.register(
            session,
            principal=ALEX,
            challenge_id=options.challenge_id,
            credential=phone.create(body),
            name=None,
            settings=settings,
        )
    # A clone: every racer answers its own challenge with the same counter, 1.
    answers = []
    for _ in range(4):
        with database.transaction() as session:
            auth = passkeys.authentication_options(
                session, username=None, settings=settings, key=KEY
            )
        asked = {"challengeId": auth.challenge_id, "publicKey": auth.public_key}
        answers.append((auth.challenge_id, phone.get(asked, sign_count=1)))

    def sign_in(i: int) -> None:
        with database.transaction() as session:
            passkeys.sign_in(
                session,
                challenge_id=answers[i][0],
                credential=answers[i][1],
                settings=settings,
                key=KEY,
            )

    outcomes = _race(sign_in, racers=4)
    assert outcomes.count("ok") == 1, outcomes
    assert set(outcomes) == {"ok", "passkey_sign_count_regressed"}, outcomes
