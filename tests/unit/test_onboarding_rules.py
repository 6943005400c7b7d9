"""Requirement checks against the sandbox's service-type files (requirements are data)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from orderhub.onboarding import rules

TYPES = Path(__file__).parents[2] / "src/orderhub/sandbox/data/onboarding/service_types"


def _type(name: str) -> dict:
    return json.loads((TYPES / f"{name}.json").read_text())


BROADBAND = _type("home_broadband")
VOIP = _type("voip_line")


def _rules(problems) -> set[tuple[str, str]]:
    return {(p.field, p.rule) for p in problems}


def test_a_complete_configuration_has_no_problems():
    values = {"technology": "FTTP", "speedTier": "100/40", "preferredInstallDate": "2026-12-01"}
    assert rules.configuration_problems(BROADBAND["configuration"], values) == []


def test_configuration_problems_name_each_field_and_rule():
    values = {
        "technology": "DSL",
        "installationNotes": "x" * 501,
        "colour": "red",
        "preferredInstallDate": "next week",
    }
    assert _rules(rules.configuration_problems(BROADBAND["configuration"], values)) == {
        ("configuration.technology", "allowed_values"),
        ("configuration.speedTier", "required"),
        ("configuration.installationNotes", "max_length"),
        ("configuration.colour", "unknown_field"),
        ("configuration.preferredInstallDate", "date_format"),
    }


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"callerIdName": "ACME", "emergencyAddressConfirmed": "yes"}, "type"),
        ({"callerIdName": "ACME", "emergencyAddressConfirmed": True, "channels": 31}, "maximum"),
        ({"callerIdName": "ACME", "emergencyAddressConfirmed": True, "channels": True}, "type"),
        ({"callerIdName": "ACME<script>", "emergencyAddressConfirmed": True}, "pattern"),
    ],
)
def test_value_rules(values, expected):
    [problem] = rules.configuration_problems(VOIP["configuration"], values)
    assert problem.rule == expected


def test_features_mandatory_unknown_duplicate_and_conflicting():
    found = rules.feature_problems(
        BROADBAND["features"],
        BROADBAND["featureConflicts"],
        ["modem-rental", "modem-byo", "static-ip", "static-ip", "turbo"],
    )
    assert _rules(found) == {
        ("features.3", "duplicate"),
        ("features.4", "unknown_feature"),
        ("features", "mandatory_feature"),
        ("features", "conflicting_features"),
    }
    fine = ["ipv6", "modem-byo"]
    assert rules.feature_problems(BROADBAND["features"], BROADBAND["featureConflicts"], fine) == []


def test_contacts_by_role_count_and_fields():
    roles = BROADBAND["contacts"]
    good = [{"role": "technical", "firstName": "A", "lastName": "B", "phone": "2145550100"}]
    assert rules.contact_problems(roles, good) == []
    found = rules.contact_problems(
        roles,
        [
            {"role": "billing", "firstName": "A"},
            {"role": "technical", "firstName": "A", "email": "nope", "fax": "1"},
        ],
    )
    assert _rules(found) == {
        ("contacts.0.role", "unknown_role"),
        ("contacts.1.lastName", "required"),
        ("contacts.1.phone", "required"),
        ("contacts.1.email", "email_format"),
        ("contacts.1.fax", "unknown_field"),
    }
    assert _rules(rules.contact_problems(roles, [])) == {("contacts", "contact_count")}


def test_identifiers_pattern_mandatory_and_realms():
    reqs = BROADBAND["identifiers"]
    good = [{"name": "pppoeUsername", "value": "alex.bell", "realm": "isp.example"}]
    assert rules.identifier_problems(reqs, good, ["isp.example"]) == []
    found = rules.identifier_problems(
        reqs,
        [{"name": "pppoeUsername", "value": "9X", "realm": "other.example"}, {"name": "pin"}],
        ["isp.example"],
    )
    assert _rules(found) == {
        ("identifiers.0.value", "pattern"),
        ("identifiers.0.realm", "unknown_realm"),
        ("identifiers.1.name", "unknown_identifier"),
    }
    assert _rules(rules.identifier_problems(reqs, [], [])) == {("identifiers", "required")}
