"""The sandbox payments adapter keeps its charges in the database: another process's
adapter (the worker's recovery pass) sees them, and a key charges once across all."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from orderhub.adapters.payments import SandboxPayments

CARD = {"card_number": "4242424242424242", "expiry": "12/30", "cvc": "123"}


def test_a_charge_made_by_one_adapter_is_seen_and_kept_by_another(database):
    serving, working = SandboxPayments(database), SandboxPayments(database)

    first = serving.charge(idempotency_key="pik_1", amount_cents=8900, currency="USD", **CARD)

    assert working.lookup("pik_1") == first and first.status == "succeeded"
    declined = CARD | {"card_number": "4000000000000002"}
    again = working.charge(idempotency_key="pik_1", amount_cents=1, currency="USD", **declined)
    assert again == first
    assert working.lookup("never") is None
    assert [(c.idempotency_key, c.amount_cents) for c in working.ledger] == [("pik_1", 8900)]


def test_a_declined_charge_is_kept_with_its_code(database):
    port = SandboxPayments(database)
    card = CARD | {"card_number": "4000000000009995"}
    made = port.charge(idempotency_key="pik_2", amount_cents=100, currency="EUR", **card)
    assert (made.status, made.decline_code) == ("declined", "insufficient_funds")
    assert SandboxPayments(database).lookup("pik_2") == made


def test_racing_charges_of_one_key_in_several_adapters_charge_once(database):
    racers = 4
    ports = [SandboxPayments(database) for _ in range(racers)]
    barrier = threading.Barrier(racers)

    def race(port: SandboxPayments):
        barrier.wait()
        return port.charge(idempotency_key="pik_3", amount_cents=500, currency="USD", **CARD)

    with ThreadPoolExecutor(max_workers=racers) as pool:
        charges = list(pool.map(race, ports))

    assert len(set(charges)) == 1
    assert len(ports[0].ledger) == 1
