"""The payments port's sandbox charges once per idempotency key; a provider's realms
replace an account's; payment and realm checks are plain functions of values."""

from __future__ import annotations

from datetime import date

import pytest

from orderhub.adapters.payments import SandboxPayments
from orderhub.errors import ValidationFailed
from orderhub.onboarding import payments, providers

CARD = {"card_number": "4242424242424242", "expiry": "12/30", "cvc": "123"}


def test_the_sandbox_charges_once_per_key_and_remembers_the_result():
    port = SandboxPayments()

    first = port.charge(idempotency_key="k1", amount_cents=8900, currency="USD", **CARD)
    again = port.charge(idempotency_key="k1", amount_cents=8900, currency="USD", **CARD)
    other = port.charge(idempotency_key="k2", amount_cents=100, currency="USD", **CARD)

    assert again == first and first.status == "succeeded" and other != first
    assert [(c.idempotency_key, c.amount_cents) for c in port.ledger] == [("k1", 8900), ("k2", 100)]
    assert port.lookup("k1") == first and port.lookup("never") is None


def test_a_declined_charge_is_remembered_as_declined():
    port = SandboxPayments()
    card = CARD | {"card_number": "4000000000000002"}
    first = port.charge(idempotency_key="k", amount_cents=1, currency="USD", **card)
    assert (first.status, first.decline_code) == ("declined", "card_declined")
    assert port.charge(idempotency_key="k", amount_cents=1, currency="USD", **CARD) == first


def test_payment_problems_name_each_field():
    card = payments.Card("4242424242424241", "01/20", "123")
    found = payments.problems(amount_cents=0, currency="XXX", card=card, today=date(2026, 12, 7))
    assert [(p.field, p.rule) for p in found] == [
        ("amount", "amount_range"),
        ("currency", "currency"),
        ("card.number", "luhn"),
        ("card.expiry", "expiry"),
    ]


def test_configured_realms_replace_the_accounts_and_none_keeps_them():
    account = ["isp.example", "voice.example"]
    assert providers.Settings("p").realms_for(account) == account
    assert providers.Settings("p", identifier_realms=["a.example"]).realms_for(account) == [
        "a.example"
    ]
    assert providers.Settings("p", identifier_realms=[]).realms_for(account) == []


def test_realms_are_lower_cased_kept_once_and_checked():
    assert providers.checked_realms(["A.Example", "b-1.example", "a.example"]) == [
        "a.example",
        "b-1.example",
    ]
    with pytest.raises(ValidationFailed) as refused:
        providers.checked_realms(["ok.example", "bad realm", ".dot"])
    assert [e.field for e in refused.value.errors] == ["realms.1", "realms.2"]
