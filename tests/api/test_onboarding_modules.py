"""Issue 13 items 10 and 9: what a service provider (the parent account) subscribes to.

The terms module is a per-provider switch (without it GetTermsAndConditions answers no
blocks and submit needs no acceptance); identifier realms are the provider's, set by
operations (API and CLI), and every order of the provider sees them.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from orderhub.cli import app
from tests.api.b2b_helpers import OPERATOR, SANDBOX_CLIENT_B, partner_headers
from tests.api.test_onboarding import GOOD, ONB, new_order, qualify, services_by_type
from tests.helpers import is_problem

OP = "/operator/v1/partners"
runner = CliRunner()


@pytest.fixture(autouse=True)
def _restore_environment(monkeypatch):
    # The CLI exports ORDERHUB_DATABASE_URL for its worker processes; undo that after.
    monkeypatch.setenv("ORDERHUB_DATABASE_URL", "sqlite:///unused-by-these-tests.db")


def configured_order(client, headers, realms: dict[str, str] | None = None) -> str:
    """An order with the sandbox plan chosen and every requirement set met; `realms`
    replaces the realm of an identifier by its service type."""
    oid = new_order(client, headers)["id"]
    qualify(client, headers, oid)
    chosen = client.post(
        f"{ONB}/orders/{oid}/package", json={"packagePlanId": "home-essentials-12"}, headers=headers
    )
    assert chosen.status_code == 200, chosen.text
    ids = services_by_type(client, headers, oid)
    for type_id, sets in GOOD.items():
        for kind, body in sets.items():
            if kind == "identifiers" and realms:
                body = {"identifiers": [i | {"realm": realms[type_id]} for i in body[kind]]}
            r = client.put(
                f"{ONB}/orders/{oid}/services/{ids[type_id]}/{kind}", json=body, headers=headers
            )
            assert r.status_code == 200, (type_id, kind, r.text)
    return oid


def settings(client, partner_id: str = "prt_sandbox") -> dict:
    answer = client.get(f"{OP}/{partner_id}/onboarding-settings", headers=OPERATOR)
    assert answer.status_code == 200, answer.text
    return answer.json()


# ---- item 10: the terms module ----------------------------------------------------------


def test_the_sandbox_partner_subscribes_to_terms_and_partner_b_does_not(client):
    assert settings(client) == {
        "partnerId": "prt_sandbox",
        "termsModule": True,
        "paymentRequired": False,
        "identifierRealms": ["isp.example", "voice.example"],
    }
    assert settings(client, "prt_sandbox_b")["termsModule"] is False


def test_a_subscribed_provider_answers_terms_and_submit_needs_them(client):
    headers = partner_headers(client)
    oid = configured_order(client, headers)

    blocks = client.get(f"{ONB}/orders/{oid}/terms", headers=headers).json()["blocks"]
    refused = client.post(f"{ONB}/orders/{oid}/submit", headers=headers)

    assert {b["id"] for b in blocks} == {"general", "contract-term", "voip-emergency"}
    assert is_problem(refused, 409, "order_incomplete")
    assert [e["rule"] for e in refused.json()["errors"]] == ["terms_not_accepted"]


def test_without_the_terms_module_there_are_no_terms_and_submit_needs_none(client):
    headers = partner_headers(client)
    oid = configured_order(client, headers)
    switched = client.patch(
        f"{OP}/prt_sandbox/onboarding-settings", json={"termsModule": False}, headers=OPERATOR
    )
    assert switched.status_code == 200, switched.text
    assert switched.json()["termsModule"] is False
    assert switched.json()["identifierRealms"] == ["isp.example", "voice.example"]  # kept

    terms = client.get(f"{ONB}/orders/{oid}/terms", headers=headers).json()
    submitted = client.post(f"{ONB}/orders/{oid}/submit", headers=headers)

    assert terms == {"blocks": [], "accepted": None, "acceptedAt": None}
    assert submitted.status_code == 200, submitted.text
    assert submitted.json()["status"] == "submitted"


def test_switching_the_module_back_on_needs_the_terms_again(client):
    headers = partner_headers(client)
    oid = configured_order(client, headers)
    for on in (False, True):
        client.patch(
            f"{OP}/prt_sandbox/onboarding-settings", json={"termsModule": on}, headers=OPERATOR
        )

    refused = client.post(f"{ONB}/orders/{oid}/submit", headers=headers)

    assert [e["rule"] for e in refused.json()["errors"]] == ["terms_not_accepted"]


def test_settings_are_the_operators_and_name_bad_input(client):
    partner = partner_headers(client)
    as_partner = client.get(f"{OP}/prt_sandbox/onboarding-settings", headers=partner)
    assert is_problem(as_partner, 401, "invalid_token")
    missing = client.get(f"{OP}/prt_nobody/onboarding-settings", headers=OPERATOR)
    assert is_problem(missing, 404, "partner_not_found")
    not_bool = client.patch(
        f"{OP}/prt_sandbox/onboarding-settings", json={"termsModule": "no"}, headers=OPERATOR
    )
    assert is_problem(not_bool, 422)
    assert not_bool.json()["errors"][0]["field"] == "termsModule"
    unknown = client.patch(
        f"{OP}/prt_sandbox/onboarding-settings", json={"terms": False}, headers=OPERATOR
    )
    assert is_problem(unknown, 422)


def test_the_cli_switches_the_modules(client, database_url):
    result = runner.invoke(
        app,
        [
            "partners",
            "onboarding",
            "prt_sandbox",
            "--no-terms",
            "--payment-required",
            "--database-url",
            database_url,
        ],
    )

    assert result.exit_code == 0, result.output
    assert "terms module:     off" in result.output
    assert (settings(client)["termsModule"], settings(client)["paymentRequired"]) == (False, True)
    shown = runner.invoke(
        app, ["partners", "onboarding", "prt_sandbox", "--database-url", database_url]
    )
    assert "payment required: yes" in shown.output
    unknown = runner.invoke(
        app, ["partners", "onboarding", "prt_nobody", "--database-url", database_url]
    )
    assert unknown.exit_code == 1 and "No partner" in unknown.output


# ---- item 9: identifier realms of the parent account -----------------------------------


def test_an_order_sees_its_providers_realms(client):
    a = partner_headers(client)
    b = partner_headers(client, SANDBOX_CLIENT_B)
    order_a, order_b = new_order(client, a)["id"], new_order(client, b)["id"]

    realms_a = client.get(f"{ONB}/orders/{order_a}/identifier-realms", headers=a).json()
    realms_b = client.get(f"{ONB}/orders/{order_b}/identifier-realms", headers=b).json()

    assert realms_a == {"realms": ["isp.example", "voice.example"]}
    assert realms_b == {"realms": ["isp-b.example", "voice-b.example"]}
    account_b = client.get(f"{ONB}/orders/{order_b}", headers=b).json()["accountId"]
    shown = client.get(f"{ONB}/accounts/{account_b}", headers=b).json()
    assert shown["identifierRealms"] == ["isp-b.example", "voice-b.example"]


def test_realms_set_by_the_operator_replace_the_accounts_in_checks_and_submit(client):
    headers = partner_headers(client)
    oid = configured_order(client, headers)  # identifiers in isp.example, voice.example
    put = client.put(
        f"{OP}/prt_sandbox/identifier-realms",
        json={"realms": ["Fibre.Example", "sip.example", "fibre.example"]},
        headers=OPERATOR,
    )
    assert put.status_code == 200, put.text
    assert put.json() == {
        "partnerId": "prt_sandbox",
        "realms": ["fibre.example", "sip.example"],
        "configured": True,
    }
    assert client.get(f"{ONB}/orders/{oid}/identifier-realms", headers=headers).json() == {
        "realms": ["fibre.example", "sip.example"]
    }

    ids = services_by_type(client, headers, oid)
    old_realm = client.put(
        f"{ONB}/orders/{oid}/services/{ids['voip-line']}/identifiers",
        json=GOOD["voip-line"]["identifiers"],
        headers=headers,
    )
    assert is_problem(old_realm, 422)
    assert [(e["field"], e["rule"]) for e in old_realm.json()["errors"]] == [
        ("identifiers.0.realm", "unknown_realm")
    ]
    # What was set before the change is checked again at submit.
    client.patch(
        f"{OP}/prt_sandbox/onboarding-settings", json={"termsModule": False}, headers=OPERATOR
    )
    blocked = client.post(f"{ONB}/orders/{oid}/submit", headers=headers)
    assert {e["rule"] for e in blocked.json()["errors"]} == {"unknown_realm"}

    for type_id, realm in (("home-broadband", "fibre.example"), ("voip-line", "sip.example")):
        body = {
            "identifiers": [
                i | {"realm": realm} for i in GOOD[type_id]["identifiers"]["identifiers"]
            ]
        }
        ok = client.put(
            f"{ONB}/orders/{oid}/services/{ids[type_id]}/identifiers", json=body, headers=headers
        )
        assert ok.status_code == 200, ok.text
    assert client.post(f"{ONB}/orders/{oid}/submit", headers=headers).status_code == 200


def test_cleared_realms_fall_back_to_the_accounts_own(client):
    headers = partner_headers(client)
    oid = new_order(client, headers)["id"]
    client.put(
        f"{OP}/prt_sandbox/identifier-realms", json={"realms": ["x.example"]}, headers=OPERATOR
    )

    cleared = client.delete(f"{OP}/prt_sandbox/identifier-realms", headers=OPERATOR)

    assert cleared.json() == {
        "partnerId": "prt_sandbox",
        "realms": ["isp.example", "voice.example"],
        "configured": False,
    }
    assert settings(client)["identifierRealms"] is None
    assert client.get(f"{ONB}/orders/{oid}/identifier-realms", headers=headers).json() == {
        "realms": ["isp.example", "voice.example"]
    }


def test_bad_realms_are_named(client):
    bad = client.put(
        f"{OP}/prt_sandbox/identifier-realms",
        json={"realms": ["isp.example", "not a realm", "-x"]},
        headers=OPERATOR,
    )
    assert is_problem(bad, 422)
    assert [(e["field"], e["rule"]) for e in bad.json()["errors"]] == [
        ("realms.1", "realm_format"),
        ("realms.2", "realm_format"),
    ]
    too_many = client.put(
        f"{OP}/prt_sandbox/identifier-realms",
        json={"realms": [f"r{n}.example" for n in range(21)]},
        headers=OPERATOR,
    )
    assert is_problem(too_many, 422)
    assert is_problem(
        client.put(f"{OP}/prt_nobody/identifier-realms", json={"realms": []}, headers=OPERATOR),
        404,
        "partner_not_found",
    )
    # No realm at all would silently refuse every identifier that needs one.
    empty = client.put(f"{OP}/prt_sandbox/identifier-realms", json={"realms": []}, headers=OPERATOR)
    assert is_problem(empty, 422)
    assert [(e["field"], e["rule"]) for e in empty.json()["errors"]] == [("realms", "empty")]
    # The settings' PATCH names its own member.
    patched = client.patch(
        f"{OP}/prt_sandbox/onboarding-settings",
        json={"identifierRealms": ["A B"]},
        headers=OPERATOR,
    )
    assert is_problem(patched, 422)
    assert [(e["field"], e["rule"]) for e in patched.json()["errors"]] == [
        ("identifierRealms.0", "realm_format")
    ]


def test_the_cli_sets_shows_and_clears_realms(client, database_url):
    url = ["--database-url", database_url]
    set_ = runner.invoke(
        app, ["partners", "realms", "set", "prt_sandbox", "a.example", "b.example", *url]
    )
    assert set_.exit_code == 0, set_.output
    assert "a.example, b.example (the partner's)" in set_.output
    headers = partner_headers(client)
    oid = new_order(client, headers)["id"]
    assert client.get(f"{ONB}/orders/{oid}/identifier-realms", headers=headers).json() == {
        "realms": ["a.example", "b.example"]
    }
    bad = runner.invoke(app, ["partners", "realms", "set", "prt_sandbox", "Not Valid", *url])
    assert bad.exit_code == 1 and "domain-like" in bad.output
    cleared = runner.invoke(app, ["partners", "realms", "clear", "prt_sandbox", *url])
    assert "isp.example, voice.example (each account's own)" in cleared.output
    shown = runner.invoke(app, ["partners", "realms", "show", "prt_sandbox", *url])
    assert shown.exit_code == 0 and "each account's own" in shown.output
