"""The onboarding catalog is data: reloading its files changes the rules, with no code change."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from orderhub.onboarding import catalog, rules
from orderhub.sandbox.loader import DATA


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "onboarding"
    shutil.copytree(DATA / "onboarding", target)
    return target


def _voip_configuration(database) -> list[dict]:
    with database.transaction(write=False) as session:
        return catalog.service_type(session, "voip-line").requirements["configuration"]


def test_the_sandbox_catalog_is_loaded(database):
    with database.transaction(write=False) as session:
        assert {p.id for p in catalog.packages(session)} == {
            "home-essentials",
            "broadband-only",
            "small-office",
        }
        assert catalog.service_type(session, "home-broadband").check_type == "address"
        assert {t.id for t in catalog.terms(session)} >= {"general", "voip-emergency"}


def test_a_changed_requirement_file_changes_the_rules_after_a_reload(database, tmp_path):
    values = {"callerIdName": "ACME", "emergencyAddressConfirmed": True}
    assert rules.configuration_problems(_voip_configuration(database), values) == []

    files = _copy(tmp_path)
    path = files / "service_types" / "voip_line.json"
    voip = json.loads(path.read_text())
    for field in voip["configuration"]:
        if field["field"] == "channels":
            field["mandatory"] = True
    path.write_text(json.dumps(voip))
    with database.transaction() as session:
        catalog.load(session, files)

    [problem] = rules.configuration_problems(_voip_configuration(database), values)
    assert (problem.field, problem.rule) == ("configuration.channels", "required")


def test_a_broken_catalog_is_refused_and_the_old_one_stays(database, tmp_path):
    files = _copy(tmp_path)
    path = files / "service_types" / "voip_line.json"
    voip = json.loads(path.read_text())
    voip["configuration"][0]["type"] = "colour"
    path.write_text(json.dumps(voip))
    with pytest.raises(ValueError, match="colour"), database.transaction() as session:
        catalog.load(session, files)
    assert _voip_configuration(database)[0]["type"] == "string"
